import { describe, expect, it } from 'vitest';
import { clockMinutes, clockTime, localDateTime, relativeTime } from './time';

describe('time', () => {
  const t = new Date(2025, 2, 14, 14, 3, 22); // local time
  it('formats the local clock', () => {
    expect(clockTime(t.toISOString())).toBe('14:03:22');
    expect(clockMinutes(t.toISOString())).toBe('14:03');
    expect(localDateTime(t.toISOString())).toBe('2025-03-14 14:03:22');
    expect(clockTime('not a time')).toBe('');
    expect(clockTime(undefined)).toBe('');
  });
  it('says how long ago', () => {
    const now = t.getTime();
    expect(relativeTime(new Date(now - 10_000), now)).toBe('just now');
    expect(relativeTime(new Date(now + 60_000), now)).toBe('just now');
    expect(relativeTime(new Date(now - 5 * 60_000), now)).toBe('5 min ago');
    expect(relativeTime(new Date(now - 3 * 3600_000), now)).toBe('3 h ago');
    expect(relativeTime(new Date(now - 26 * 3600_000), now)).toBe('yesterday');
    expect(relativeTime(new Date(now - 12 * 86400_000), now)).toBe('12 days ago');
    expect(relativeTime(new Date(2024, 0, 2, 9), now)).toBe('2024-01-02');
  });
});
