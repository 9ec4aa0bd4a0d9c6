/**
 * The editor's record and its issues: for what is open (`openTarget`, state/navigation.ts) the
 * `Customer` as last fetched (if known), the `base` record the changes are measured against (none
 * for a new customer) and the `edited` record.
 *
 * Every edit replaces `edited` with a new object (never mutated), schedules
 * `validate_record(edited)` and tells the edit listeners (the draft autosave, state/drafts.ts);
 * the issues validation returns (and any the partner sent back) are shown beside the fields by path.
 */

import { batch, computed, signal } from '@preact/signals';
import * as ipc from '../ipc';
import { CommandError, toCommandError } from '../ipc';
import type { Customer, DraftTarget, LoadedCustomer, ServerFieldError, ShownIssue, UpdateCustomerRequest } from '../types';
import { afterMove, afterRemove, groupByPath, remapListPaths } from './issues';
import { openTarget } from './navigation';
import { appendItem, getAt, isWithin, moveItem, removeItem, setAt } from './paths';
import { createLatestScheduler } from './schedule';
import { mapServerErrors } from './serverErrors';

/** The customer as last fetched from the partner (none for a new customer or a draft opened offline). */
export const customer = signal<Customer | null>(null);
/** The record the changes are measured against (the draft's base); `null` for a new customer. */
export const base = signal<UpdateCustomerRequest | null>(null);
export const edited = signal<UpdateCustomerRequest>({});

/** Told after every edit of the record or the target (the draft autosave listens). */
const editListeners = new Set<() => void>();
export function onEdit(fn: () => void): () => void {
  editListeners.add(fn);
  return () => editListeners.delete(fn);
}
function edited_() {
  for (const fn of editListeners) fn();
}

/** Issues from the last `validate_record` answer, for the record in `validatedRecord`. */
export const validationIssues = signal<ShownIssue[]>([]);
/** The `edited` value the current `validationIssues` belong to. */
export const validatedRecord = signal<UpdateCustomerRequest | null>(null);
/** True while a validation waits for its timer or its answer. */
export const validating = signal(false);
/** Validation itself failed (the command, not the record). */
export const validationError = signal<CommandError | null>(null);

/** Field errors the partner sent back for the last submit, on their paths. */
export const partnerIssues = signal<ShownIssue[]>([]);
/** Partner errors that name no field. */
export const partnerGeneral = signal<ShownIssue[]>([]);

/** Set when the user tried to go on with problems left: the summary becomes role="alert". */
export const summaryAlert = signal(false);
/** Counts refused attempts to go on; the error summary takes focus at each one, and only then. */
export const summaryAttempts = signal(0);

/** An attempt to go on was refused: the summary becomes an alert and takes focus. */
export function raiseSummaryAlert() {
  batch(() => {
    summaryAlert.value = true;
    summaryAttempts.value++;
  });
}

/**
 * What the review checklist will need that the record lacks (a registration document, a
 * representative, ID images), from `review_status` of the stored draft where approval is required
 * (state/submission.ts keeps it): asked for here, so the change is not stopped only in review.
 */
export const reviewIssues = signal<ShownIssue[]>([]);

export const allIssues = computed(() => [...validationIssues.value, ...partnerIssues.value, ...reviewIssues.value]);
export const issuesByPath = computed(() => groupByPath(allIssues.value));

/** Whether the record may be submitted: validated as it is now, no issue, validation worked. */
export const canSubmit = computed(
  () =>
    openTarget.value !== null &&
    !validating.value &&
    validationError.value === null &&
    validatedRecord.value === edited.value &&
    allIssues.value.length === 0,
);

/** The record differs from its base (for a new customer: anything typed at all). */
export const isDirty = computed(
  () => openTarget.value !== null && JSON.stringify(base.value ?? {}) !== JSON.stringify(edited.value),
);

/**
 * Each edit is validated at once (speed goal: keystroke to inline error under 16 ms); answers that
 * arrive out of order are dropped. Screen readers hear the problem count only once typing
 * pauses (`ANNOUNCE_DELAY_MS` in ErrorSummary), so fast feedback does not mean chatter.
 */
export const VALIDATION_DELAY_MS = 0;

const validation = createLatestScheduler<UpdateCustomerRequest, ShownIssue[]>({
  delayMs: VALIDATION_DELAY_MS,
  run: async (record) => {
    const t = openTarget.peek();
    const issues = await ipc.validateRecord(record, t?.kind === 'create' ? t.partner_customer_id : undefined);
    return issues.map((i) => ({ ...i, source: 'validation' as const }));
  },
  deliver: (issues, record) =>
    batch(() => {
      validationIssues.value = issues;
      validatedRecord.value = record;
      validationError.value = null;
    }),
  fail: (e, record) =>
    batch(() => {
      validationError.value = toCommandError(e);
      validatedRecord.value = record;
    }),
  onBusyChange: (busy) => {
    validating.value = busy;
  },
});

/** Validate `edited` after the debounce delay (every edit calls this). */
export function scheduleValidation() {
  validation.schedule(edited.value);
}

/** Validate now and wait for the answer (before going to review). */
export function validateNow(): Promise<void> {
  if (validatedRecord.value !== edited.value && !validation.isBusy()) validation.schedule(edited.value);
  return validation.flush();
}

export interface EditorLoad {
  target: DraftTarget;
  customer: Customer | null;
  base: UpdateCustomerRequest | null;
  record: UpdateCustomerRequest;
}

/** Put a record in the editor (from the server, a draft, or blank for a new customer). */
export function loadEditor(l: EditorLoad) {
  batch(() => {
    openTarget.value = l.target;
    customer.value = l.customer;
    base.value = l.base;
    edited.value = l.record;
    validationIssues.value = [];
    validatedRecord.value = null;
    validationError.value = null;
    partnerIssues.value = [];
    reviewIssues.value = [];
    partnerGeneral.value = [];
    summaryAlert.value = false;
  });
  scheduleValidation();
}

/** A customer as the server has it (no draft). */
export function loadCustomer(loaded: Pick<LoadedCustomer, 'customer' | 'record'>) {
  loadEditor({
    target: { kind: 'update', customer_id: loaded.customer.customer_id },
    customer: loaded.customer,
    base: loaded.record,
    record: loaded.record,
  });
}

export function closeCustomer() {
  validation.cancel();
  batch(() => {
    openTarget.value = null;
    customer.value = null;
    base.value = null;
    edited.value = {};
    validationIssues.value = [];
    validatedRecord.value = null;
    validationError.value = null;
    partnerIssues.value = [];
    reviewIssues.value = [];
    partnerGeneral.value = [];
    summaryAlert.value = false;
  });
}

function commit(next: UpdateCustomerRequest, remap?: (issues: ShownIssue[]) => ShownIssue[]) {
  batch(() => {
    edited.value = next;
    if (remap) {
      validationIssues.value = remap(validationIssues.value);
      partnerIssues.value = remap(partnerIssues.value);
    }
  });
  scheduleValidation();
  edited_();
}

/** A new customer's `partner_customer_id` (part of the target, not of the record). */
export function setPartnerCustomerId(value: string) {
  const t = openTarget.value;
  if (t?.kind !== 'create') return;
  batch(() => {
    openTarget.value = { kind: 'create', partner_customer_id: value };
    if (partnerIssues.value.some((i) => i.path === 'partner_customer_id'))
      partnerIssues.value = partnerIssues.value.filter((i) => i.path !== 'partner_customer_id');
  });
  // The id is checked with the record (validate_record), so a change validates again.
  scheduleValidation();
  edited_();
}

/** Read a value of the edited record. */
export function valueAt(path: string): unknown {
  return getAt(edited.value, path);
}

/** The loaded (server) value at a path. */
export function baseValueAt(path: string): unknown {
  return base.value ? getAt(base.value, path) : undefined;
}

/** Set a field (blank text or `undefined` omits it; see `setAt`). */
export function setField(path: string, value: unknown) {
  const next = setAt(edited.value, path, value);
  // What the partner said about this field no longer applies to the new value.
  const stale = partnerIssues.value.some((i) => isWithin(i.path, path));
  batch(() => {
    if (stale) partnerIssues.value = partnerIssues.value.filter((i) => !isWithin(i.path, path));
    commit(next);
  });
}

export function appendListItem(listPath: string, item: unknown) {
  commit(appendItem(edited.value, listPath, item));
}

export function removeListItem(listPath: string, index: number) {
  commit(removeItem(edited.value, `${listPath}[${index}]`), (issues) => remapListPaths(issues, listPath, afterRemove(index)));
}

export function moveListItem(listPath: string, from: number, to: number) {
  commit(moveItem(edited.value, listPath, from, to), (issues) => remapListPaths(issues, listPath, afterMove(from, to)));
}

/** Show the partner's field errors on the form. */
export function applyPartnerErrors(errors: readonly ServerFieldError[] | undefined) {
  const { issues, general } = mapServerErrors(errors);
  batch(() => {
    partnerIssues.value = issues;
    partnerGeneral.value = general;
  });
  raiseSummaryAlert();
}

/** Show validation issues that came with an `invalid_record` refusal. */
export function applyInvalidRecord(issues: readonly { path: string; code: string; message: string }[] | undefined) {
  batch(() => {
    validationIssues.value = (issues ?? []).map((i) => ({ ...i, source: 'validation' as const }));
    validatedRecord.value = edited.value;
  });
  raiseSummaryAlert();
}

