import { fieldValue } from '../state/fieldSignals';
import { baseValueAt, setField } from '../state/editor';
import { fieldShownIssues, markTouched } from '../state/touched';
import { idForPath } from '../state/paths';
import type { ShownIssue } from '../types';

export interface FieldState {
  id: string;
  path: string;
  value: unknown;
  baseValue: unknown;
  /** The issues shown now (a blank, untouched field's are only counted as "to fill"). */
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
  const issues = fieldShownIssues(path).value;
  return {
    id,
    path,
    value: fieldValue(path).value,
    baseValue: baseValueAt(path),
    issues,
    invalid: issues.length > 0,
    errorId: `${id}-error`,
    hintId: `${id}-hint`,
    set: (v) => {
      markTouched(path);
      setField(path, v);
    },
  };
}

/** `aria-describedby` for a control: its hint and its errors, when present. */
export function describedBy(f: Pick<FieldState, 'hintId' | 'errorId' | 'invalid'>, hasHint: boolean, ...extra: (string | false | undefined)[]) {
  const ids = [hasHint ? f.hintId : '', ...extra, f.invalid ? f.errorId : ''].filter(Boolean);
  return ids.length ? ids.join(' ') : undefined;
}
