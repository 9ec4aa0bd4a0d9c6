import { describe, expect, it } from 'vitest';
import { clockMinutes, clockTime, formatDate, formatRecordValue, isoTitle, isTimestamp, localDateTime, relativeTime } from './time';

describe('time', () => {
  const t = new Date(2025, 2, 14, 14, 3, 22); // local time
  const dateParts: Intl.DateTimeFormatOptions = { year: 'numeric', month: 'short', day: 'numeric' };
  it('formats the local clock', () => {
    expect(clockTime(t.toISOString())).toBe('14:03:22');
    expect(clockMinutes(t.toISOString())).toBe('14:03');
    expect(clockTime('not a time')).toBe('');
    expect(clockTime(undefined)).toBe('');
  });
  it('formats dates and times in the officer’s locale, one way everywhere', () => {
    const locale = new Intl.DateTimeFormat().resolvedOptions().locale;
    expect(formatDate(t)).toBe(t.toLocaleDateString(locale, dateParts));
    const full = localDateTime(t.toISOString());
    expect(full).toBe(t.toLocaleString(locale, { ...dateParts, hour: '2-digit', minute: '2-digit', second: '2-digit' }));
    expect(full).toContain('2025');
    expect(full).toContain('14:03:22'.slice(3)); // minutes and seconds, whatever the hour cycle
    expect(localDateTime('not a time')).toBe('not a time');
  });
  it('shows a record date (midnight UTC) as that calendar day, never as an ISO timestamp', () => {
    const shown = formatRecordValue('2031-03-15T00:00:00Z');
    expect(shown).toBe(new Date(Date.UTC(2031, 2, 15)).toLocaleDateString(undefined, { ...dateParts, timeZone: 'UTC' }));
    expect(shown).not.toContain('T00');
    expect(shown).toContain('2031');
    expect(shown).toContain('15');
    expect(formatRecordValue('2023-11-07T05:31:56Z')).toBe(localDateTime('2023-11-07T05:31:56Z'));
    expect(formatRecordValue('ACME Robotics')).toBe('ACME Robotics');
    expect(formatRecordValue('2031')).toBe('2031');
    expect(isTimestamp('2031-03-15T00:00:00Z')).toBe(true);
    expect(isTimestamp('2031-03-15')).toBe(false);
    expect(isoTitle('2031-03-15T00:00:00Z')).toBe('2031-03-15T00:00:00Z');
  });
  it('says how long ago', () => {
    const now = t.getTime();
    expect(relativeTime(new Date(now - 10_000), now)).toBe('just now');
    expect(relativeTime(new Date(now + 60_000), now)).toBe('just now');
    expect(relativeTime(new Date(now - 5 * 60_000), now)).toBe('5 min ago');
    expect(relativeTime(new Date(now - 3 * 3600_000), now)).toBe('3 h ago');
    expect(relativeTime(new Date(now - 26 * 3600_000), now)).toBe('yesterday');
    expect(relativeTime(new Date(now - 12 * 86400_000), now)).toBe('12 days ago');
    expect(relativeTime(new Date(2024, 0, 2, 9), now)).toBe(formatDate(new Date(2024, 0, 2, 9)));
  });
});
