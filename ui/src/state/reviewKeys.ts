/**
 * The documents screen's keys: which action a keydown means, or none. Keys are ignored while
 * the officer types (text inputs, textareas, selects, editable content) and with Ctrl, Alt or
 * Meta held (Shift is allowed: "+" needs it on many keyboards).
 */

export type ReviewKeyAction =
  | 'next'
  | 'previous'
  | 'verified'
  | 'needs_reupload'
  | 'rejected'
  | 'first_field'
  | 'zoom_in'
  | 'zoom_out'
  | 'zoom_reset'
  | 'rotate'
  | 'approve';

const KEYS: Record<string, ReviewKeyAction> = {
  n: 'next',
  p: 'previous',
  v: 'verified',
  u: 'needs_reupload',
  x: 'rejected',
  f: 'first_field',
  '+': 'zoom_in',
  '=': 'zoom_in',
  '-': 'zoom_out',
  '−': 'zoom_out',
  '0': 'zoom_reset',
  r: 'rotate',
  a: 'approve',
};

/** Input types where letters are typed (a checkbox or radio still takes the keys). */
const NON_TEXT_INPUTS = new Set(['checkbox', 'radio', 'button', 'submit', 'reset', 'image', 'range', 'color']);

export function isTypingTarget(target: EventTarget | null): boolean {
  if (!target || typeof (target as Element).tagName !== 'string') return false;
  const el = target as HTMLElement;
  const tag = el.tagName.toLowerCase();
  if (tag === 'textarea' || tag === 'select') return true;
  if (tag === 'input') return !NON_TEXT_INPUTS.has(((el as HTMLInputElement).type || 'text').toLowerCase());
  return el.isContentEditable === true;
}

export function reviewKeyAction(e: Pick<KeyboardEvent, 'key' | 'ctrlKey' | 'metaKey' | 'altKey' | 'target' | 'defaultPrevented'>): ReviewKeyAction | null {
  if (e.defaultPrevented || e.ctrlKey || e.metaKey || e.altKey) return null;
  if (isTypingTarget(e.target)) return null;
  const k = e.key.length === 1 ? e.key.toLowerCase() : e.key;
  return KEYS[k] ?? null;
}
