// @vitest-environment jsdom
import { describe, expect, it } from 'vitest';
import { reviewKeyAction } from './reviewKeys';

const ev = (key: string, target: EventTarget | null = document.body, extra: Partial<KeyboardEvent> = {}) =>
  ({ key, ctrlKey: false, metaKey: false, altKey: false, defaultPrevented: false, target, ...extra }) as KeyboardEvent;

describe('document review keys', () => {
  it('map letters and zoom keys (any case; + with Shift)', () => {
    expect(['n', 'p', 'v', 'u', 'x', 'f', '+', '=', '-', '0', 'r', 'a', 'N'].map((k) => reviewKeyAction(ev(k)))).toEqual([
      'next', 'previous', 'verified', 'needs_reupload', 'rejected', 'first_field', 'zoom_in', 'zoom_in', 'zoom_out', 'zoom_reset', 'rotate', 'approve', 'next',
    ]);
    expect(reviewKeyAction(ev('+', document.body, { shiftKey: true }))).toBe('zoom_in');
    expect(reviewKeyAction(ev('q'))).toBeNull();
    expect(reviewKeyAction(ev('Enter'))).toBeNull();
  });
  it('are ignored while typing and with Ctrl, Alt or Meta', () => {
    const text = document.createElement('input');
    const area = document.createElement('textarea');
    const select = document.createElement('select');
    const check = document.createElement('input');
    check.type = 'checkbox';
    expect(reviewKeyAction(ev('n', text))).toBeNull();
    expect(reviewKeyAction(ev('n', area))).toBeNull();
    expect(reviewKeyAction(ev('n', select))).toBeNull();
    expect(reviewKeyAction(ev('n', check))).toBe('next');
    expect(reviewKeyAction(ev('n', document.body, { ctrlKey: true }))).toBeNull();
    expect(reviewKeyAction(ev('n', document.body, { altKey: true }))).toBeNull();
    expect(reviewKeyAction(ev('n', document.body, { metaKey: true }))).toBeNull();
    expect(reviewKeyAction(ev('n', document.body, { defaultPrevented: true }))).toBeNull();
  });
});
