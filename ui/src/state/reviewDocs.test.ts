import { describe, expect, it } from 'vitest';
import type { ReviewDocument } from '../types';
import { formatRecordValue } from './time';
import { docLabel, docLongLabel, groupDocuments, listOrder, nextUndecided, stepFrom, valueText } from './reviewDocs';

const doc = (file_id: string, kind: ReviewDocument['reference']['kind'], path: string, person?: number, decided = false): ReviewDocument => ({
  reference: { file_id, kind, path, ...(person !== undefined ? { person } : {}), supports: [] },
  ...(decided ? { decision: { file_id, decision: 'verified', reasons: [], note: '', decided_by: 'A', decided_at: '2025-01-01T00:00:00Z' } } : {}),
});

const docs = [
  doc('reg-1', 'business_registration', 'business_details.business_identifier_document_list[0]'),
  doc('reg-2', 'business_registration', 'business_details.business_identifier_document_list[2]', undefined, true),
  doc('a-front', 'id_front', 'business_person_list[0].identification.id_document_front_file_id', 0),
  doc('a-back', 'id_back', 'business_person_list[0].identification.id_document_back_file_id', 0, true),
  doc('b-back', 'id_back', 'business_person_list[1].identification.id_document_back_file_id', 1),
];
const record = { business_person_list: [{ basic_info: { first_name_english: 'Jane', last_name_english: 'Doe' } }, {}] };

describe('document groups', () => {
  it('puts business documents first, then each representative’s front and back as a pair', () => {
    const groups = groupDocuments(docs, record);
    expect(groups.map((g) => g.title)).toEqual(['Business registration documents', 'Representative 1 — Jane Doe', 'Representative 2']);
    const [, a, b] = groups;
    expect(a?.kind === 'person' && [a.front?.reference.file_id, a.back?.reference.file_id]).toEqual(['a-front', 'a-back']);
    expect(b?.kind === 'person' && [b.front, b.back?.reference.file_id]).toEqual([null, 'b-back']);
    expect(listOrder(groups).map((d) => d.reference.file_id)).toEqual(['reg-1', 'reg-2', 'a-front', 'a-back', 'b-back']);
  });
  it('labels documents by their place', () => {
    expect(docLabel(docs[1]!.reference)).toBe('Business document 3');
    expect(docLongLabel(docs[3]!.reference)).toBe('ID back of representative 1');
  });
  it('steps through the list (clamped) and finds the next undecided document, wrapping', () => {
    const order = listOrder(groupDocuments(docs, record));
    expect(stepFrom(order, 'reg-1', 1)).toBe('reg-2');
    expect(stepFrom(order, 'reg-1', -1)).toBe('reg-1');
    expect(stepFrom(order, 'b-back', 1)).toBe('b-back');
    expect(stepFrom(order, null, 1)).toBe('reg-1');
    expect(nextUndecided(order, 'reg-1')).toBe('a-front');
    expect(nextUndecided(order, 'b-back')).toBe('reg-1');
    expect(nextUndecided(order.filter((d) => d.reference.file_id !== 'reg-1' && d.reference.file_id !== 'a-front' && d.reference.file_id !== 'b-back'), 'reg-2')).toBeNull();
  });
  it('shows values (dates by their day)', () => {
    const r = { business_person_list: [{ identification: { id_expiration_date: '2031-08-09T00:00:00Z' } }] };
    // A date reads as the officer's other dates do (state/time.ts), never as an ISO timestamp.
    expect(valueText(r, 'business_person_list[0].identification.id_expiration_date')).toBe(formatRecordValue('2031-08-09T00:00:00Z'));
    expect(valueText(r, 'business_person_list[3].identification.id_number')).toBe('');
  });
});
