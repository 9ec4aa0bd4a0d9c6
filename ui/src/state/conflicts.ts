/**
 * Choosing, per conflicting field, the server's current value ("Theirs") or the officer's
 * ("Mine"). Nothing is preselected: every field needs an explicit choice before sending.
 */

import type { Choice, FieldChange, FieldConflict } from '../types';

export type Choices = Readonly<Record<string, Choice | undefined>>;

/** Paths of the conflicts that have no choice yet, in table order. */
export function missingChoices(conflicts: readonly FieldConflict[], choices: Choices): string[] {
  return conflicts.filter((c) => choices[c.path] !== 'mine' && choices[c.path] !== 'theirs').map((c) => c.path);
}

/** The `choices` argument of `resolve_conflict`, or `null` while a field has no choice. */
export function completeChoices(conflicts: readonly FieldConflict[], choices: Choices): Record<string, Choice> | null {
  if (missingChoices(conflicts, choices).length > 0) return null;
  const out: Record<string, Choice> = {};
  for (const c of conflicts) out[c.path] = choices[c.path]!;
  return out;
}

/**
 * Fields only the server changed since the draft's base (kept as the server has them): the
 * server's changes minus the fields the officer also changed (conflicting or the same value).
 */
export function onlyTheirs(theirChanges: readonly FieldChange[], myChanges: readonly FieldChange[], conflicts: readonly FieldConflict[]): string[] {
  const mine = new Set([...myChanges.map((c) => c.path), ...conflicts.map((c) => c.path)]);
  return theirChanges.map((c) => c.path).filter((p) => !mine.has(p));
}
