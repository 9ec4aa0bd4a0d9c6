import { beforeEach, describe, expect, it } from 'vitest';
import { replay } from '../dev/recorded';
import type { ReferenceData } from '../types';
import { FIELD_LABELS, SECTION_LABELS, labelForPath, personName } from './labels';
import { reference } from './session';

describe('labels served by Rust with reference_data', () => {
  beforeEach(() => {
    reference.value = replay('reference_data') as ReferenceData;
  });

  it.each([
    ['business_details.website', 'Business details · Website'],
    ['business_person_list[1].identification.id_number', 'Person 2 · Identification · ID number'],
    ['business_details.business_identifier_document_list[0]', 'Business details · Business document 1'],
    ['business_person_list', 'Legal representatives'],
    ['not a path', 'not a path'],
  ])('%s', (path, label) => {
    expect(labelForPath(path)).toBe(label);
  });

  it('reads the tables as served, and has none of its own before they arrive', () => {
    expect(FIELD_LABELS.id_expiration_date).toBe('ID expiry date');
    expect(SECTION_LABELS.residential_address).toBe('Residential address');
    expect(FIELD_LABELS.partner_customer_id).toBe('Partner customer ID');
    reference.value = null;
    expect(FIELD_LABELS.id_expiration_date).toBeUndefined();
    expect(labelForPath('business_details.website')).toBe('business_details · website');
  });
});

describe('personName', () => {
  it('uses the English names, then the local ones, then the position', () => {
    expect(personName({ basic_info: { first_name_english: 'Jane', last_name_english: 'Doe' } }, 0)).toBe('Jane Doe');
    expect(personName({ basic_info: { first_name: '伟', last_name: '王' } }, 0)).toBe('伟 王');
    expect(personName({ basic_info: { last_name_english: ' Doe ' } }, 3)).toBe('Doe');
    expect(personName({}, 1)).toBe('Person 2');
    expect(personName(null, 0)).toBe('Person 1');
  });
});
