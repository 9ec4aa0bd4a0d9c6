import { describe, expect, it } from 'vitest';
import { amountFromInput, amountInputValue, dateFromInput, dateInputValue, dateTextValue } from './values';

describe('dates', () => {
  it('shows the UTC calendar date of an RFC 3339 value', () => {
    expect(dateInputValue('2023-11-07T05:31:56Z')).toBe('2023-11-07');
    expect(dateInputValue('2023-11-07T05:31:56.123Z')).toBe('2023-11-07');
    expect(dateInputValue('2023-11-07T23:30:00-05:00')).toBe('2023-11-08');
    expect(dateInputValue(undefined)).toBe('');
    expect(dateInputValue(null)).toBe('');
    expect(dateInputValue('not a date')).toBe('');
  });

  it('keeps the original value (and its time) when the date is unchanged', () => {
    expect(dateFromInput('2023-11-07', '2023-11-07T05:31:56Z')).toBe('2023-11-07T05:31:56Z');
  });

  it('keeps the loaded value when the user returns to the loaded date', () => {
    // current value was changed to another date; the loaded one had a time part
    expect(dateFromInput('2023-11-07', '2024-01-01T00:00:00Z', '2023-11-07T05:31:56Z')).toBe('2023-11-07T05:31:56Z');
  });

  it('writes midnight UTC for a new date', () => {
    expect(dateFromInput('2024-02-29', '2023-11-07T05:31:56Z')).toBe('2024-02-29T00:00:00Z');
    expect(dateFromInput('1981-04-22')).toBe('1981-04-22T00:00:00Z');
  });

  it('reads a typed or pasted date in the hinted order, with or without separators', () => {
    expect(dateFromInput('2031-03-15')).toBe('2031-03-15T00:00:00Z');
    expect(dateFromInput('20310315')).toBe('2031-03-15T00:00:00Z');
    expect(dateFromInput(' 2031/03/15 ')).toBe('2031-03-15T00:00:00Z');
    // Anything else goes to validation as typed (Rust names the problem).
    expect(dateFromInput('2031-03')).toBe('2031-03');
    expect(dateFromInput('03/15/2031')).toBe('03/15/2031');
  });

  it('shows a half-typed date as typed, a timestamp as its UTC date', () => {
    expect(dateTextValue('2031-03')).toBe('2031-03');
    expect(dateTextValue('2031-03-15T00:00:00Z')).toBe('2031-03-15');
    expect(dateTextValue('2023-11-07T23:30:00-05:00')).toBe('2023-11-08');
    expect(dateTextValue(undefined)).toBe('');
  });

  it('omits a cleared date', () => {
    expect(dateFromInput('', '2023-11-07T05:31:56Z')).toBeUndefined();
  });
});

describe('amounts', () => {
  it('shows the exact text the record holds', () => {
    expect(amountInputValue('99.99')).toBe('99.99');
    expect(amountInputValue('185000.00')).toBe('185000.00');
    expect(amountInputValue('0.10')).toBe('0.10');
    expect(amountInputValue(undefined)).toBe('');
    expect(amountInputValue(null)).toBe('');
  });
  it('shows a number in its shortest form should one ever arrive', () => {
    expect(amountInputValue(99.99)).toBe('99.99');
  });
  it('keeps exactly what was typed (no rounding, no locale rewriting)', () => {
    expect(amountFromInput('99.99')).toBe('99.99');
    expect(amountFromInput('0.1')).toBe('0.1');
    expect(amountFromInput('12345678901234567890.123')).toBe('12345678901234567890.123');
    expect(amountFromInput('12,5')).toBe('12,5');
    expect(amountFromInput('10.500')).toBe('10.500');
    expect(amountFromInput(' 7 ')).toBe(' 7 ');
  });
  it('omits a blank amount', () => {
    expect(amountFromInput('')).toBeUndefined();
    expect(amountFromInput('  ')).toBeUndefined();
  });
});

