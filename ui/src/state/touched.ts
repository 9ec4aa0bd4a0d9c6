/**
 * Which problems to show as errors yet. A blank form is not a list of mistakes: a problem about
 * an empty field stays quiet (counted in the summary as "to fill") until the officer has been in
 * that field, or has tried to review; a problem about a value that is there (typed, or loaded
 * from the partner) and every partner error show at once. Validation itself is untouched: Rust
 * still reports every issue and submitting stays blocked by all of them.
 */
import { computed, effect, signal, type ReadonlySignal } from '@preact/signals';
import type { ShownIssue } from '../types';
import { allIssues, edited, summaryAttempts } from './editor';
import { fieldIssues, fieldValue } from './fieldSignals';
import { openTarget } from './navigation';
import { getAt, isWithin } from './paths';

/** Paths the officer has typed in or left (focus out) since the record was opened. */
export const touchedPaths = signal<ReadonlySet<string>>(new Set());
const attemptsAtOpen = signal(0);

// A fresh start for every record opened (a new customer's id being typed is the same record).
let openKey: string | null = null;
effect(() => {
  const t = openTarget.value;
  const key = t ? (t.kind === 'update' ? `update:${t.customer_id}` : 'create') : null;
  if (key === openKey) return;
  openKey = key;
  touchedPaths.value = new Set();
  attemptsAtOpen.value = summaryAttempts.peek();
});

/** Whether the officer tried to go on (review, submit) since the record was opened. */
export const attempted = computed(() => summaryAttempts.value > attemptsAtOpen.value);

export function markTouched(path: string) {
  if (touchedPaths.peek().has(path)) return;
  touchedPaths.value = new Set([...touchedPaths.peek(), path]);
}

/** Nothing there: missing, blank text, or a list or object holding only blanks. */
export function isBlank(v: unknown): boolean {
  if (v === undefined || v === null) return true;
  if (typeof v === 'string') return v.trim() === '';
  if (Array.isArray(v)) return v.every(isBlank);
  if (typeof v === 'object') return Object.values(v as Record<string, unknown>).every(isBlank);
  return false;
}

/** A problem still only "to fill": about an empty, untouched field, before any attempt to go on. */
export function isToFill(issue: ShownIssue, valueThere: unknown, touched: ReadonlySet<string>, tried: boolean): boolean {
  if (tried || issue.source === 'partner') return false;
  for (const t of touched) if (isWithin(t, issue.path)) return false;
  return isBlank(valueThere);
}

/**
 * The value a problem is about. A new customer's partner customer ID is part of what is opened,
 * not of the record, so it is read from there.
 */
function valueThere(record: unknown, path: string): unknown {
  const t = openTarget.value;
  if (path === 'partner_customer_id' && t?.kind === 'create') return t.partner_customer_id;
  return getAt(record, path);
}

const split = computed(() => {
  const record = edited.value;
  const touched = touchedPaths.value;
  const tried = attempted.value;
  const errors: ShownIssue[] = [];
  const toFill: ShownIssue[] = [];
  for (const i of allIssues.value) (isToFill(i, valueThere(record, i.path), touched, tried) ? toFill : errors).push(i);
  return { errors, toFill };
});

/** Problems shown as errors (inline, red, in the summary's list to fix). */
export const shownErrors = computed(() => split.value.errors);
/** Problems about empty fields not visited yet: counted and listed neutrally. */
export const toFill = computed(() => split.value.toFill);

const NO_ISSUES: ShownIssue[] = [];
const shownAt = new Map<string, ReadonlySignal<ShownIssue[]>>();

/**
 * The issues a field at `path` shows now: none while they are only "to fill". A field without
 * issues depends on nothing else, so typing elsewhere does not re-render it.
 */
export function fieldShownIssues(path: string): ReadonlySignal<ShownIssue[]> {
  let s = shownAt.get(path);
  if (!s) {
    s = computed(() => {
      const issues = fieldIssues(path).value;
      if (issues.length === 0) return NO_ISSUES;
      const tried = attempted.value;
      const touched = touchedPaths.value;
      const value = path === 'partner_customer_id' ? valueThere(null, path) : fieldValue(path).value;
      const shown = issues.filter((i) => !isToFill(i, value, touched, tried));
      return shown.length === issues.length ? issues : shown.length === 0 ? NO_ISSUES : shown;
    });
    shownAt.set(path, s);
  }
  return s;
}
