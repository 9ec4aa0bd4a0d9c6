import { afterEach, describe, expect, it } from 'vitest';
import { replay } from '../dev/recorded';
import type { ReferenceData } from '../types';
import { reference } from './session';
import { decisionLabel, isConfirmableIdentifierPath, needsReasons, reasonLabel, reviewVocabulary } from './reviewVocabulary';

// The real back end's reference data, as recorded by src-tauri/tests/recorded_answers.rs.
const served = () => replay('reference_data') as ReferenceData;

afterEach(() => {
  reference.value = null;
});

describe('the review vocabulary served with reference_data', () => {
  it('offers nothing and confirms nothing before reference_data answered', () => {
    expect(reviewVocabulary.value.decisions).toEqual([]);
    expect(needsReasons('rejected')).toBe(false);
    expect(isConfirmableIdentifierPath('business_details.business_identifier_number')).toBe(false);
    expect(decisionLabel('needs_reupload')).toBe('needs_reupload');
  });
  it('labels decisions and reasons and says which decisions need a reason', () => {
    reference.value = served();
    expect(reviewVocabulary.value.decisions.map((d) => d.value)).toEqual(['verified', 'needs_reupload', 'rejected']);
    expect(decisionLabel('needs_reupload')).toBe('Needs re-upload');
    expect(reasonLabel('details_mismatch')).toBe('Details do not match the record');
    expect(needsReasons('verified')).toBe(false);
    expect(needsReasons('rejected')).toBe(true);
    expect(needsReasons(null)).toBe(false);
    expect(reviewVocabulary.value.max_note_chars).toBeGreaterThan(0);
  });
  it('knows the confirmable identifier fields, `[*]` standing for any representative', () => {
    reference.value = served();
    expect(isConfirmableIdentifierPath('business_details.business_identifier_number')).toBe(true);
    expect(isConfirmableIdentifierPath('business_person_list[12].identification.id_number')).toBe(true);
    expect(isConfirmableIdentifierPath('business_person_list[1].identification.id_type')).toBe(false);
  });
});
