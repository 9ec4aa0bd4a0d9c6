import { baseValueAt, issuesByPath, setField, valueAt } from '../state/store';
import { idForPath } from '../state/paths';
import type { ShownIssue } from '../types';

const NO_ISSUES: ShownIssue[] = [];

export interface FieldState {
  id: string;
  value: unknown;
  baseValue: unknown;
  issues: ShownIssue[];
  invalid: boolean;
  errorId: string;
  hintId: string;
  set: (value: unknown) => void;
}

/** What a field control needs for its path: id, value, issues, and a setter. */
export function useField(path: string): FieldState {
  const id = idForPath(path);
  const issues = issuesByPath.value.get(path) ?? NO_ISSUES;
  return {
    id,
    value: valueAt(path),
    baseValue: baseValueAt(path),
    issues,
    invalid: issues.length > 0,
    errorId: `${id}-error`,
    hintId: `${id}-hint`,
    set: (v) => setField(path, v),
  };
}

/** `aria-describedby` for a control: its hint and its errors, when present. */
export function describedBy(f: Pick<FieldState, 'hintId' | 'errorId' | 'invalid'>, hasHint: boolean, ...extra: (string | false | undefined)[]) {
  const ids = [hasHint ? f.hintId : '', ...extra, f.invalid ? f.errorId : ''].filter(Boolean);
  return ids.length ? ids.join(' ') : undefined;
}
