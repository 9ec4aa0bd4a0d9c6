import { fieldIssues, fieldValue } from '../state/fieldSignals';
import { baseValueAt, setField } from '../state/editor';
import { idForPath } from '../state/paths';
import type { ShownIssue } from '../types';

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

/**
 * What a field control needs for its path: id, value, issues, and a setter. The component
 * re-renders only when this path's value or issues change (state/fieldSignals.ts).
 */
export function useField(path: string): FieldState {
  const id = idForPath(path);
  const issues = fieldIssues(path).value;
  return {
    id,
    value: fieldValue(path).value,
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
