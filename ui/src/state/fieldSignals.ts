/**
 * One computed signal per record path, for the value there and for its issues, so that an edit
 * or a validation answer re-renders only the fields whose value or issues changed, not every
 * field of the editor (speed goal: keystroke to inline error). Each signal is created on first use
 * and kept: paths are few (the form's shape), and a computed nobody reads holds no subscription.
 */
import { computed, type ReadonlySignal } from '@preact/signals';
import { getAt } from './paths';
import { edited, issuesByPath } from './editor';
import type { ShownIssue } from '../types';

const NO_ISSUES: ShownIssue[] = [];
const values = new Map<string, ReadonlySignal<unknown>>();
const issues = new Map<string, ReadonlySignal<ShownIssue[]>>();

/** The edited record's value at `path`; notifies only when that value changes. */
export function fieldValue(path: string): ReadonlySignal<unknown> {
  let s = values.get(path);
  if (!s) {
    s = computed(() => getAt(edited.value, path));
    values.set(path, s);
  }
  return s;
}

/** The issues at `path`; the same array until they really change (every answer regroups them). */
export function fieldIssues(path: string): ReadonlySignal<ShownIssue[]> {
  let s = issues.get(path);
  if (!s) {
    let last = NO_ISSUES;
    s = computed(() => {
      const next = issuesByPath.value.get(path) ?? NO_ISSUES;
      if (!sameIssues(last, next)) last = next;
      return last;
    });
    issues.set(path, s);
  }
  return s;
}

/** Whether two lists show the same: same issues (every shown part of each) in the same order. */
function sameIssues(a: readonly ShownIssue[], b: readonly ShownIssue[]): boolean {
  const shown = (i: ShownIssue) => [i.source, i.path, i.code, i.message].join('\u0000');
  return a.length === b.length && a.every((x, i) => shown(x) === shown(b[i]!));
}
