/**
 * Drafts: every edit in the editor is stored as a draft (per customer and environment, or per new
 * customer) through `save_draft`, 250 ms after the last change and at once on blur, when the page
 * is hidden and before the editor closes. Which draft is open is told to `set_open_draft`, so
 * after a crash the app reopens it (`restore_workspace`).
 *
 * The record itself lives in the store (state/store.ts); this module only adds what a draft
 * needs around it: its id, environment and base (with when/what was fetched), and the save status.
 */

import { batch, computed, signal } from '@preact/signals';
import * as ipc from '../ipc';
import { toCommandError, type CommandError } from '../ipc';
import type { Customer, Draft, DraftBase, DraftSave, LoadedCustomer, UpdateCustomerRequest } from '../types';
import { createAutosaver, type SavePhase } from './autosave';
import { base, closeCustomer, customer, edited, isDirty, loadCustomer, loadEditor, onEdit, validatedRecord, validationIssues } from './editor';
import { go, openTarget } from './navigation';
import { session, setSession } from './session';
import { isTeamEnvironment } from './team';
import { showToast } from './toast';
import { clockTime, localDateTime } from './time';

export const AUTOSAVE_DELAY_MS = 250;

/** What the open record is saved with besides its target and record. */
export interface DraftContext {
  environment: string;
  /** The server record (and when it was fetched) the draft started from; none for a new customer. */
  base: DraftBase | null;
}

export const draftContext = signal<DraftContext | null>(null);
/** The open draft as last stored (id, revision, issue_count, updated_at). */
export const savedDraft = signal<Draft | null>(null);
export const savePhase = signal<SavePhase>('idle');
/** The last save failed (kept until a save succeeds; the typed record is untouched). */
export const saveError = signal<CommandError | null>(null);

export type DraftNotice =
  /** Reopened after the app stopped. */
  | { kind: 'restored'; at: string }
  /** `open_customer` found a draft: it is shown; the server's record can replace it. */
  | { kind: 'resumed'; at: string; draftId: string; server: LoadedCustomer };

export const draftNotice = signal<DraftNotice | null>(null);
/** `restore_workspace` failed at start (shown on the open screen). */
export const workspaceError = signal<CommandError | null>(null);

/** The record object the last successful save sent (to compare with the validated one). */
const savedRecord = signal<UpdateCustomerRequest | null>(null);

/** The id saves write to (known once the first save answered, or from the opened draft). */
let draftId: string | null = null;
/** What `set_open_draft` was last told. */
let workspaceId: string | null | undefined;

function tellWorkspace(id: string | null) {
  if (workspaceId === id) return;
  workspaceId = id;
  ipc.setOpenDraft(id).catch(() => {
    // Only a convenience for reopening after a crash; the draft itself is stored.
    workspaceId = undefined;
  });
}

const saver = createAutosaver<DraftSave, Draft>({
  delayMs: AUTOSAVE_DELAY_MS,
  save: (input) => ipc.saveDraft(draftId ? { ...input, id: draftId } : input),
  onSaved: (d, input) => {
    draftId = d.id;
    batch(() => {
      // The stored draft keeps its own base; a newer one (rebased after a send) is taken over.
      if (d.base && d.base.fetched_at !== draftContext.value?.base?.fetched_at && draftContext.value) {
        draftContext.value = { ...draftContext.value, base: d.base };
        base.value = d.base.record;
      }
      savedDraft.value = d;
      savedRecord.value = input.record;
      saveError.value = null;
    });
    tellWorkspace(d.id);
  },
  onError: (e) => {
    saveError.value = toCommandError(e);
  },
  onPhase: (p) => {
    savePhase.value = p;
  },
});

/** What a save of the editor's current state sends (without the id, which the saver adds). */
export function currentSave(): DraftSave | null {
  const ctx = draftContext.value;
  const target = openTarget.value;
  if (!ctx || !target) return null;
  return { environment: ctx.environment, target, ...(ctx.base ? { base: ctx.base } : {}), record: edited.value };
}

onEdit(() => {
  const input = currentSave();
  if (input) saver.schedule(input);
});

/** Store what waits now; `true` when everything typed is stored. */
export function flushDraft(): Promise<boolean> {
  return saver.flush();
}

/**
 * Store the editor's state now, even without a new edit (before queueing, so that the stored
 * draft is exactly what the officer reviewed). Resolves with the draft's id, or `null` when it
 * could not be stored (`saveError` says why).
 */
export async function saveNow(): Promise<string | null> {
  const input = currentSave();
  if (!input) return null;
  if (!saver.hasUnsaved() && draftId !== null && savedRecord.value === input.record) return draftId;
  saver.schedule(input);
  const ok = await saver.flush();
  return ok ? draftId : null;
}

/** The id of the open draft, once stored. */
export const openDraftId = () => draftId;

// ---------------------------------------------------------------------------------------------
// Opening and closing

function serverBase(loaded: LoadedCustomer): DraftBase {
  return {
    record: loaded.record,
    ...(loaded.customer.partner_customer_id ? { partner_customer_id: loaded.customer.partner_customer_id } : {}),
    status: loaded.customer.status,
    fetched_at: loaded.fetched_at,
  };
}

/** Finish with what is open: store its last edits, then forget it. */
async function leave() {
  await saver.flush();
  saver.reset();
  draftId = null;
  batch(() => {
    draftContext.value = null;
    savedDraft.value = null;
    savedRecord.value = null;
    saveError.value = null;
    draftNotice.value = null;
  });
}

/**
 * Make the draft's environment the active one (a draft belongs to the environment it was made in).
 * A team environment is not one of the session's: its drafts open beside the active one (the team
 * server, not this desktop, talks to its partner).
 */
async function ensureEnvironment(environment: string) {
  const s = session.value;
  if (isTeamEnvironment(environment)) return;
  if (s && s.active !== environment) setSession(await ipc.selectEnvironment(environment));
}

function showDraft(d: Draft, server: Customer | null) {
  draftId = d.id;
  loadEditor({ target: d.target, customer: server, base: d.base?.record ?? null, record: d.record });
  batch(() => {
    draftContext.value = { environment: d.environment, base: d.base ?? null };
    savedDraft.value = d;
    // The form holds exactly the stored record: queueing it unchanged stores nothing (an
    // imported file keeps its idempotency key that way).
    savedRecord.value = d.record;
    saveError.value = null;
  });
  tellWorkspace(d.id);
}

/** A customer from `open_customer`: its draft when there is one (with a notice), else the server's record. */
export async function openLoadedCustomer(loaded: LoadedCustomer) {
  await leave();
  const environment = session.value?.active ?? '';
  if (loaded.draft) {
    showDraft(loaded.draft, loaded.customer);
    const { draft: _draft, ...server } = loaded;
    // A draft with nothing pending (rebased after a send) needs no notice.
    const pending = JSON.stringify(loaded.draft.record) !== JSON.stringify(loaded.draft.base?.record ?? null);
    draftNotice.value = pending ? { kind: 'resumed', at: loaded.draft.updated_at, draftId: loaded.draft.id, server } : null;
  } else {
    loadCustomer(loaded);
    draftContext.value = { environment, base: serverBase(loaded) };
    tellWorkspace(null);
  }
}

/** A stored draft (library, import, restore): switches to its environment first. */
export async function openDraftInEditor(d: Draft, notice: DraftNotice | null = null) {
  await leave();
  await ensureEnvironment(d.environment);
  showDraft(d, null);
  draftNotice.value = notice;
}

export async function openDraftById(id: string) {
  await saver.flush();
  const d = await ipc.openDraft(id);
  await openDraftInEditor(d);
}

/** The editor for a new customer (no base; `partner_customer_id` on top). Saved once something is typed. */
export async function startNewCustomer() {
  await leave();
  loadEditor({ target: { kind: 'create', partner_customer_id: '' }, customer: null, base: null, record: {} });
  draftContext.value = { environment: session.value?.active ?? '', base: null };
  tellWorkspace(null);
}

/** Close the editor; its last edits are stored first (nothing to confirm: the draft keeps them). */
export async function closeEditor() {
  await leave();
  closeCustomer();
  tellWorkspace(null);
}

/** Replace the resumed draft with the server's record; the draft goes to the trash ("Undo" brings it back). */
export async function discardDraftAndReload() {
  const n = draftNotice.value;
  if (n?.kind !== 'resumed') return;
  await saver.flush();
  saver.reset();
  await ipc.deleteDraft(n.draftId);
  draftId = null;
  loadCustomer(n.server);
  batch(() => {
    draftContext.value = { environment: session.value?.active ?? '', base: serverBase(n.server) };
    savedDraft.value = null;
    savedRecord.value = null;
    saveError.value = null;
    draftNotice.value = null;
  });
  tellWorkspace(null);
  const customerId = n.server.customer.customer_id;
  showToast('Draft discarded; the form shows the server’s record.', async () => {
    const d = await ipc.restoreDraft(n.draftId);
    const t = openTarget.value;
    if (t?.kind === 'update' && t.customer_id === customerId) {
      await leave();
      showDraft(d, n.server.customer);
      draftNotice.value = { kind: 'resumed', at: d.updated_at, draftId: d.id, server: n.server };
    }
  });
}

/**
 * At start: reopen what was open when the app last stopped. "Restored your draft" only after a
 * crash (`start_info`); after a normal quit the officer simply carries on where she was.
 */
export async function restoreOnStart() {
  workspaceError.value = null;
  try {
    const d = await ipc.restoreWorkspace();
    if (!d) return;
    const crashed = await ipc.startInfo().then(
      (info) => info.last_run_crashed,
      () => false,
    );
    await openDraftInEditor(d, crashed ? { kind: 'restored', at: d.updated_at } : null);
    go('editor');
  } catch (e) {
    workspaceError.value = toCommandError(e);
  }
}

/**
 * The open draft's submission was sent and has settled. The Rust side rebases the stored draft
 * on what the partner now holds (a sent new customer's draft becomes that customer's update
 * draft; the workspace follows), so the editor reloads it: `open_draft` for an update,
 * `restore_workspace` for a converted create. Anything typed meanwhile stays: the last edits
 * are stored first, and if the officer typed while the draft was being read, only the new base
 * is taken (the record stays as typed).
 */
export async function followSent(draftIdSent: string, c: Customer) {
  if (draftId !== draftIdSent) return;
  await saver.flush();
  const typed = edited.value;
  let d: Draft | null = null;
  try {
    if (openTarget.value?.kind === 'create') {
      const w = await ipc.restoreWorkspace();
      if (w?.target.kind === 'update' && w.target.customer_id === c.customer_id) d = w;
    } else {
      d = await ipc.openDraft(draftIdSent);
    }
  } catch {
    d = null; // gone or unreadable: fall back to the partner's record below
  }
  if (draftId !== draftIdSent) return; // another draft was opened meanwhile
  if (d && edited.value === typed) {
    showDraft(d, c);
    draftNotice.value = null;
  } else if (d) {
    adoptStored(d);
    customer.value = c;
    const input = currentSave();
    if (input) saver.schedule(input);
  } else {
    // No stored draft to follow: the partner's record is the new base of what is in the form.
    const record = sectionsOf(c);
    const fresh: DraftBase = {
      record,
      ...(c.partner_customer_id ? { partner_customer_id: c.partner_customer_id } : {}),
      status: c.status,
      fetched_at: new Date().toISOString(),
    };
    saver.reset();
    draftId = null;
    batch(() => {
      openTarget.value = { kind: 'update', customer_id: c.customer_id };
      customer.value = c;
      base.value = record;
      draftContext.value = { environment: draftContext.value?.environment ?? session.value?.active ?? '', base: fresh };
      savedDraft.value = null;
      draftNotice.value = null;
    });
    tellWorkspace(null);
    if (isDirty.value) {
      const input = currentSave();
      if (input) saver.schedule(input);
    }
  }
}

/** Take the stored draft's id, target and base (someone else wrote it: the rebase after a send). */
function adoptStored(d: Draft) {
  draftId = d.id;
  batch(() => {
    openTarget.value = d.target;
    base.value = d.base?.record ?? null;
    draftContext.value = { environment: d.environment, base: d.base ?? null };
    savedDraft.value = d;
  });
  tellWorkspace(d.id);
}

/** The editable sections of a customer, as an update body. */
export function sectionsOf(c: Customer): UpdateCustomerRequest {
  const out: UpdateCustomerRequest = {};
  if (c.business_details) out.business_details = c.business_details;
  if (c.registration_address) out.registration_address = c.registration_address;
  if (c.account_usage) out.account_usage = c.account_usage;
  if (c.primary_contact) out.primary_contact = c.primary_contact;
  if (c.business_person_list) out.business_person_list = c.business_person_list;
  return out;
}

/** Store at once when the window is hidden or closing (the debounce would otherwise wait). */
export function installFlushTriggers(): () => void {
  const onHidden = () => {
    if (document.visibilityState === 'hidden') void saver.flush();
  };
  const onLeave = () => void saver.flush();
  document.addEventListener('visibilitychange', onHidden);
  window.addEventListener('pagehide', onLeave);
  window.addEventListener('beforeunload', onLeave);
  return () => {
    document.removeEventListener('visibilitychange', onHidden);
    window.removeEventListener('pagehide', onLeave);
    window.removeEventListener('beforeunload', onLeave);
  };
}

// ---------------------------------------------------------------------------------------------
// The status line

export interface SaveStatus {
  state: 'idle' | 'saving' | 'saved' | 'error';
  text: string;
  /** Extra detail for a title / the error's own message. */
  detail?: string;
  /** Show the detail beside the text (an error the text does not explain by itself). */
  showDetail?: boolean;
}

/** Text per error kind (the message is detail only). */
export function saveErrorText(e: CommandError): string {
  switch (e.kind) {
    case 'keychain_unavailable':
      return 'Drafts cannot be kept: no OS keychain. Your edits stay in this window only.';
    case 'draft_unreadable':
      return 'This draft cannot be saved: it was sealed with a key that is no longer in the keychain. Your edits stay in this window only.';
    case 'unavailable':
      return 'Drafts cannot be kept outside the desktop app. Your edits stay in this window only.';
    default:
      return 'Draft not saved. Your edits stay in this window; saving is tried again with your next change.';
  }
}

export function saveStatus(phase: SavePhase, error: CommandError | null, saved: Pick<Draft, 'updated_at'> | null): SaveStatus {
  if (error) {
    const explained = error.kind === 'keychain_unavailable' || error.kind === 'draft_unreadable' || error.kind === 'unavailable';
    return { state: 'error', text: saveErrorText(error), detail: error.message, showDetail: !explained };
  }
  if (phase === 'saving' || (phase === 'pending' && !saved)) return { state: 'saving', text: 'Saving…' };
  if (saved) return { state: 'saved', text: `Draft saved ${clockTime(saved.updated_at)}`, detail: localDateTime(saved.updated_at) };
  return { state: 'idle', text: 'Every change is kept as a draft.' };
}

export const currentSaveStatus = computed(() => saveStatus(savePhase.value, saveError.value, savedDraft.value));

/**
 * What the polite live region says: only when saving starts failing or works again (not on every
 * save, which happens every few keystrokes).
 */
export const saveAnnouncement = computed(() => {
  const s = currentSaveStatus.value;
  if (s.state === 'error') return s.text;
  return savedDraft.value ? 'Draft saved.' : '';
});

/**
 * Problems the create rules found that the form cannot place on a field (`save_draft` counts them
 * in `issue_count`; `validate_record` checks only the sections): shown as a note, listed with
 * paths when the draft is queued.
 */
export const hiddenCreateProblems = computed(() => {
  const d = savedDraft.value;
  if (openTarget.value?.kind !== 'create' || !d || savedRecord.value === null) return 0;
  if (savedRecord.value !== validatedRecord.value) return 0;
  return Math.max(0, d.issue_count - validationIssues.value.length);
});

/** "Restored your draft from …" / the resumed-draft notice text. */
export function noticeText(n: DraftNotice): string {
  return n.kind === 'restored'
    ? `Restored your draft from ${localDateTime(n.at)}.`
    : `Showing your draft from ${localDateTime(n.at)} instead of the server’s record; its changes are not sent yet.`;
}
