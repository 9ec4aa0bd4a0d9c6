import { describe, expect, it } from 'vitest';
import { labelForPath, personName } from './labels';

describe('labelForPath', () => {
  it.each([
    ['business_details.website', 'Business details · Website'],
    ['business_person_list[1].identification.id_number', 'Person 2 · Identification · ID number'],
    ['business_details.business_identifier_document_list[0]', 'Business details · Business document 1'],
    ['business_person_list', 'Legal representatives'],
    ['not a path', 'not a path'],
  ])('%s', (path, label) => {
    expect(labelForPath(path)).toBe(label);
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
