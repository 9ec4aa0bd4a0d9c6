import { effect } from '@preact/signals';
import { describe, expect, it } from 'vitest';
import { fieldIssues, fieldValue } from './fieldSignals';
import { edited, setField, validationIssues } from './editor';
import type { ShownIssue } from '../types';

const EMAIL = 'primary_contact.contact_email';
const PHONE = 'primary_contact.contact_phone';

/** How many times `read` ran again after its first run, while `change` runs. */
function rerunsDuring(read: () => unknown, change: () => void): number {
  let runs = 0;
  const stop = effect(() => {
    read();
    runs += 1;
  });
  change();
  stop();
  return runs - 1;
}

describe('per-path field signals', () => {
  it('a field hears only edits of its own path', () => {
    edited.value = { primary_contact: { contact_email: 'a@example.com', contact_phone: '+6512345678' } };
    expect(fieldValue(EMAIL).value).toBe('a@example.com');
    expect(rerunsDuring(() => fieldValue(PHONE).value, () => setField(EMAIL, 'b@example.com'))).toBe(0);
    expect(rerunsDuring(() => fieldValue(EMAIL).value, () => setField(EMAIL, 'c@example.com'))).toBe(1);
    expect(fieldValue(EMAIL).value).toBe('c@example.com');
  });

  it("a field's issues keep their identity until they really change", () => {
    const issue = (path: string, message: string): ShownIssue => ({ path, code: 'invalid_format', message, source: 'validation' });
    validationIssues.value = [issue(EMAIL, 'Contact email is not an email address.')];
    const first = fieldIssues(EMAIL).value;
    expect(first.map((i) => i.path)).toEqual([EMAIL]);
    // A new answer with the same issue for the email and a new one elsewhere.
    const change = () => {
      validationIssues.value = [issue(EMAIL, 'Contact email is not an email address.'), issue(PHONE, 'Contact phone is not a phone number.')];
    };
    expect(rerunsDuring(() => fieldIssues(EMAIL).value, change)).toBe(0);
    expect(fieldIssues(EMAIL).value).toBe(first);
    expect(fieldIssues(PHONE).value).toHaveLength(1);
    // The email's message changes: its field hears it.
    expect(rerunsDuring(() => fieldIssues(EMAIL).value, () => {
      validationIssues.value = [issue(EMAIL, 'Contact email is too long.')];
    })).toBe(1);
    validationIssues.value = [];
    expect(fieldIssues(EMAIL).value).toEqual([]);
  });
});
