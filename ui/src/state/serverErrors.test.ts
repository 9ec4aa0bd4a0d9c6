import { describe, expect, it } from 'vitest';
import { mapServerErrors, normalizeServerPath } from './serverErrors';

describe('normalizeServerPath', () => {
  it.each([
    ['business_person_list[0].identification.id_number', 'business_person_list[0].identification.id_number'],
    ['business_person_list.0.identification.id_number', 'business_person_list[0].identification.id_number'],
    ['/business_person_list/1/basic_info/birth_date', 'business_person_list[1].basic_info.birth_date'],
    ['$.business_details.website', 'business_details.website'],
    ['body.registration_address.registration_address_city', 'registration_address.registration_address_city'],
    ['business_details.business_identifier_document_list[2]', 'business_details.business_identifier_document_list[2]'],
    ['business_details.business_identifier_document_list.2', 'business_details.business_identifier_document_list[2]'],
    [' business_details.website ', 'business_details.website'],
  ])('%s → %s', (field, path) => {
    expect(normalizeServerPath(field)).toBe(path);
  });

  it.each([null, undefined, '', '  ', '0.a', 'some field', 'a/b'])('%s names no field', (field) => {
    expect(normalizeServerPath(field)).toBeNull();
  });
});

describe('mapServerErrors', () => {
  it('puts field errors on paths and keeps the rest as general', () => {
    const { issues, general } = mapServerErrors([
      { field: 'business_person_list[1].identification.id_document_front_file_id', code: 'unknown_file', message: 'No such file.' },
      { field: null, code: 'duplicate', message: 'Customer already updated.' },
    ]);
    expect(issues).toEqual([
      {
        path: 'business_person_list[1].identification.id_document_front_file_id',
        code: 'unknown_file',
        message: 'No such file.',
        source: 'partner',
      },
    ]);
    expect(general).toEqual([{ path: '', code: 'duplicate', message: 'Customer already updated.', source: 'partner' }]);
  });
  it('copes with a missing list and empty texts', () => {
    expect(mapServerErrors(undefined)).toEqual({ issues: [], general: [] });
    expect(mapServerErrors([{ field: 'business_details.website', code: '', message: '' }]).issues[0]).toMatchObject({
      code: 'rejected',
      message: 'Rejected by the partner.',
    });
  });
});
