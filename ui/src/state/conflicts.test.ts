import { describe, expect, it } from 'vitest';
import type { FieldConflict } from '../types';
import { completeChoices, missingChoices, onlyTheirs } from './conflicts';

const conflicts: FieldConflict[] = [
  { path: 'business_details.website', base: 'https://a.example', theirs: 'https://b.example', mine: 'https://c.example' },
  { path: 'primary_contact.contact_email', base: 'a@x.example', theirs: 'b@x.example' },
];

describe('conflict choices', () => {
  it('needs a choice for every field (none preselected)', () => {
    expect(missingChoices(conflicts, {})).toEqual(['business_details.website', 'primary_contact.contact_email']);
    expect(completeChoices(conflicts, {})).toBeNull();
    expect(missingChoices(conflicts, { 'business_details.website': 'mine' })).toEqual(['primary_contact.contact_email']);
    expect(completeChoices(conflicts, { 'business_details.website': 'mine' })).toBeNull();
  });

  it('gives the resolve_conflict argument once complete, only for the conflicting paths', () => {
    expect(
      completeChoices(conflicts, { 'business_details.website': 'mine', 'primary_contact.contact_email': 'theirs', 'other.path': 'mine' }),
    ).toEqual({ 'business_details.website': 'mine', 'primary_contact.contact_email': 'theirs' });
    expect(completeChoices([], {})).toEqual({});
  });

  it('lists the fields only the server changed', () => {
    const theirs = [{ path: 'business_details.website' }, { path: 'registration_address.registration_address_city' }, { path: 'account_usage.operating_country' }];
    const mine = [{ path: 'business_details.website' }, { path: 'account_usage.operating_country' }];
    expect(onlyTheirs(theirs, mine, conflicts)).toEqual(['registration_address.registration_address_city']);
  });
});
