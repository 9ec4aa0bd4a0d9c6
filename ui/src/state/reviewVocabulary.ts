/**
 * The document review's words and rules as the back end serves them with `reference_data`
 * (`ReferenceData.review`): the decisions and reasons offered with their labels, which decisions
 * need a reason, the note limit, and which fields a reviewer may confirm. The page keeps no copy.
 */

import { computed } from '@preact/signals';
import type { Decision, DecisionReason, ReviewVocabulary } from '../types';
import { reference } from './session';

const EMPTY: ReviewVocabulary = {
  decisions: [],
  reasons: [],
  decisions_needing_reasons: [],
  max_note_chars: 0,
  confirmable_identifier_patterns: [],
};

/** Empty until `reference_data` has answered (the app shows no screen before that). */
export const reviewVocabulary = computed<ReviewVocabulary>(() => reference.value?.review ?? EMPTY);

/** "Needs re-upload" for `needs_reupload` (the value itself when the back end names none). */
export function decisionLabel(decision: Decision): string {
  return reviewVocabulary.value.decisions.find((d) => d.value === decision)?.label ?? decision;
}

/** "Details do not match the record" for `details_mismatch`. */
export function reasonLabel(reason: DecisionReason): string {
  return reviewVocabulary.value.reasons.find((r) => r.value === reason)?.label ?? reason;
}

/** Whether `decision` needs at least one reason. */
export function needsReasons(decision: Decision | null | undefined): boolean {
  return !!decision && reviewVocabulary.value.decisions_needing_reasons.includes(decision);
}

/**
 * Whether `confirm_identifier` takes `path`: a served pattern names it, `[*]` standing for any
 * index (`business_person_list[*].identification.id_number`).
 */
export function isConfirmableIdentifierPath(path: string): boolean {
  const pattern = path.replace(/\[\d+\]/g, '[*]');
  return reviewVocabulary.value.confirmable_identifier_patterns.includes(pattern);
}
