import { describe, expect, it } from 'vitest';
import {
  ancestorPaths,
  appendItem,
  childPath,
  formatPath,
  getAt,
  idForPath,
  isWithin,
  moveItem,
  parsePath,
  removeItem,
  setAt,
} from './paths';

describe('parsePath / formatPath', () => {
  it.each([
    ['business_details.website', ['business_details', 'website']],
    ['business_person_list[1].identification.id_number', ['business_person_list', 1, 'identification', 'id_number']],
    ['business_details.business_identifier_document_list[3]', ['business_details', 'business_identifier_document_list', 3]],
    ['business_details', ['business_details']],
    ['', []],
  ])('%s', (path, segs) => {
    expect(parsePath(path)).toEqual(segs);
    expect(formatPath(segs)).toBe(path);
  });

  it.each(['a..b', '.a', 'a.', '[0]', 'a[x]', 'a b', 'a.[0]', 'a[0]b'])('refuses %s', (bad) => {
    expect(() => parsePath(bad)).toThrow();
  });

  it('childPath appends keys and indices', () => {
    expect(childPath('', 'business_details')).toBe('business_details');
    expect(childPath('business_person_list', 2)).toBe('business_person_list[2]');
    expect(childPath('business_person_list[2]', 'basic_info')).toBe('business_person_list[2].basic_info');
  });
});

describe('idForPath', () => {
  it('gives the documented ids', () => {
    expect(idForPath('business_person_list[1].identification.id_number')).toBe(
      'fld-business_person_list-1-identification-id_number',
    );
    expect(idForPath('business_details.website')).toBe('fld-business_details-website');
    expect(idForPath('business_details.business_identifier_document_list[0]')).toBe(
      'fld-business_details-business_identifier_document_list-0',
    );
    expect(idForPath('business_person_list')).toBe('fld-business_person_list');
  });

  it('ids are valid CSS identifiers without escaping', () => {
    const id = idForPath('business_person_list[1].residential_address.residential_address_line1');
    expect(id).toMatch(/^[A-Za-z][A-Za-z0-9_-]*$/);
  });
});

describe('ancestorPaths / isWithin', () => {
  it('walks up to the section', () => {
    expect(ancestorPaths('business_person_list[1].identification.id_number')).toEqual([
      'business_person_list[1].identification.id_number',
      'business_person_list[1].identification',
      'business_person_list[1]',
      'business_person_list',
    ]);
  });
  it('isWithin respects segment boundaries', () => {
    expect(isWithin('business_person_list[1].basic_info', 'business_person_list[1]')).toBe(true);
    expect(isWithin('business_person_list[10]', 'business_person_list[1]')).toBe(false);
    expect(isWithin('business_details.website', 'business_details')).toBe(true);
    expect(isWithin('business_details_x', 'business_details')).toBe(false);
    expect(isWithin('a', 'a')).toBe(true);
  });
});

describe('getAt', () => {
  const rec = {
    business_details: { website: 'https://x.example', business_identifier_document_list: ['f1', 'f2'] },
    business_person_list: [{ basic_info: { first_name_english: 'Jane' } }, { basic_info: null }],
  };
  it('reads nested values', () => {
    expect(getAt(rec, 'business_details.website')).toBe('https://x.example');
    expect(getAt(rec, 'business_details.business_identifier_document_list[1]')).toBe('f2');
    expect(getAt(rec, 'business_person_list[0].basic_info.first_name_english')).toBe('Jane');
  });
  it('missing, null and wrong-shape steps are undefined', () => {
    expect(getAt(rec, 'account_usage.operating_country')).toBeUndefined();
    expect(getAt(rec, 'business_person_list[1].basic_info.first_name_english')).toBeUndefined();
    expect(getAt(rec, 'business_person_list[1].basic_info')).toBeUndefined();
    expect(getAt(rec, 'business_person_list[5]')).toBeUndefined();
    expect(getAt(rec, 'business_details[0]')).toBeUndefined();
  });
});

describe('setAt', () => {
  it('writes without mutating and shares untouched branches', () => {
    const rec = { business_details: { website: 'a' }, registration_address: { registration_address_city: 'X' } };
    const next = setAt(rec, 'business_details.website', 'b');
    expect(next.business_details.website).toBe('b');
    expect(rec.business_details.website).toBe('a');
    expect(next.registration_address).toBe(rec.registration_address);
  });

  it('creates missing sections, objects and array slots', () => {
    const next = setAt({}, 'business_person_list[0].identification.id_number', 'X1');
    expect(next).toEqual({ business_person_list: [{ identification: { id_number: 'X1' } }] });
    expect(setAt({}, 'account_usage.estimated_monthly_revenue_amount', '99.99')).toEqual({
      account_usage: { estimated_monthly_revenue_amount: '99.99' },
    });
  });

  it('omits an optional field that becomes blank instead of sending ""', () => {
    const rec = { business_details: { website: 'https://a.example', business_name: 'A' } };
    expect(setAt(rec, 'business_details.website', '')).toEqual({ business_details: { business_name: 'A' } });
    expect(setAt(rec, 'business_details.website', '   ')).toEqual({ business_details: { business_name: 'A' } });
    expect(setAt(rec, 'business_details.website', undefined)).toEqual({ business_details: { business_name: 'A' } });
  });

  it('drops objects that the user emptied, up to the section', () => {
    const rec = { primary_contact: { contact_phone: '+12125550142' }, business_details: { website: 'x' } };
    expect(setAt(rec, 'primary_contact.contact_phone', '')).toEqual({ business_details: { website: 'x' } });
    const person = { business_person_list: [{ basic_info: { first_name: 'J' }, residential_address: { residential_address_city: 'C' } }] };
    expect(setAt(person, 'business_person_list[0].residential_address.residential_address_city', '')).toEqual({
      business_person_list: [{ basic_info: { first_name: 'J' } }],
    });
  });

  it('keeps a person (an array item) even when it becomes empty', () => {
    const rec = { business_person_list: [{ basic_info: { first_name: 'J' } }] };
    expect(setAt(rec, 'business_person_list[0].basic_info.first_name', '')).toEqual({ business_person_list: [{}] });
  });

  it('keeps an empty document slot so its index stays put', () => {
    const rec = { business_details: { business_identifier_document_list: ['a', 'b'] } };
    expect(setAt(rec, 'business_details.business_identifier_document_list[0]', '')).toEqual({
      business_details: { business_identifier_document_list: ['', 'b'] },
    });
  });

  it('leaves an object that was already empty alone when removing a missing key', () => {
    const rec = { account_usage: {} };
    expect(setAt(rec, 'account_usage.operating_country', '')).toEqual({ account_usage: {} });
  });

  it('treats null as missing', () => {
    const rec = { business_details: null, business_person_list: [{ basic_info: null }] };
    expect(setAt(rec, 'business_details.website', 'w')).toEqual({ business_details: { website: 'w' }, business_person_list: [{ basic_info: null }] });
    expect(setAt(rec, 'business_person_list[0].basic_info.role_type', 'Director').business_person_list[0]).toEqual({
      basic_info: { role_type: 'Director' },
    });
  });

  it('keeps non-blank text exactly (no trimming)', () => {
    expect(setAt({}, 'business_details.business_name_english', ' Acme ')).toEqual({
      business_details: { business_name_english: ' Acme ' },
    });
  });
});

describe('array items', () => {
  const rec = { business_person_list: [{ n: 'a' }, { n: 'b' }, { n: 'c' }] };
  it('appendItem creates the list when missing', () => {
    expect(appendItem({}, 'business_person_list', {})).toEqual({ business_person_list: [{}] });
    expect(appendItem(rec, 'business_person_list', { n: 'd' }).business_person_list).toHaveLength(4);
  });
  it('removeItem removes one item and keeps an empty list', () => {
    expect(removeItem(rec, 'business_person_list[1]').business_person_list).toEqual([{ n: 'a' }, { n: 'c' }]);
    expect(removeItem({ business_person_list: [{}] }, 'business_person_list[0]')).toEqual({ business_person_list: [] });
  });
  it('moveItem moves up and down, ignores out-of-range moves', () => {
    expect(moveItem(rec, 'business_person_list', 2, 1).business_person_list.map((p) => p.n)).toEqual(['a', 'c', 'b']);
    expect(moveItem(rec, 'business_person_list', 0, 1).business_person_list.map((p) => p.n)).toEqual(['b', 'a', 'c']);
    expect(moveItem(rec, 'business_person_list', 0, -1)).toBe(rec);
    expect(moveItem(rec, 'business_person_list', 2, 3)).toBe(rec);
  });
});
