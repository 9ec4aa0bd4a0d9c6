/**
 * Converting record values to what inputs show and back. No rule lives here: whether a value is
 * acceptable is only ever decided by `validate_record` on the Rust side.
 */

const DATE_ONLY = /^(\d{4})-(\d{2})-(\d{2})$/;
const RFC3339_UTC = /^(\d{4}-\d{2}-\d{2})T\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]00:00)$/i;

/**
 * The `YYYY-MM-DD` an `<input type=date>` shows for an RFC 3339 value: its UTC calendar date
 * (the date validation compares). Blank for a missing value or one that is not a timestamp.
 */
export function dateInputValue(value: unknown): string {
  if (typeof value !== 'string' || value.trim() === '') return '';
  const utc = RFC3339_UTC.exec(value.trim());
  if (utc) return utc[1]!;
  const ms = Date.parse(value);
  if (Number.isNaN(ms)) return '';
  return new Date(ms).toISOString().slice(0, 10);
}

/**
 * The record value for what the date input now shows.
 *
 * - blank → `undefined` (the field is omitted);
 * - the same calendar date as one of `keep` (the current value, then the loaded one) → that
 *   value unchanged, so a time part such as `T05:31:56Z` survives an edit that did not change
 *   the date;
 * - any other date → `YYYY-MM-DDT00:00:00Z`.
 */
export function dateFromInput(input: string, ...keep: unknown[]): string | undefined {
  const text = input.trim();
  if (text === '') return undefined;
  for (const original of keep) {
    if (typeof original === 'string' && dateInputValue(original) === text) return original;
  }
  if (!DATE_ONLY.test(text)) return text; // not a date the picker would produce; let validation name it
  return `${text}T00:00:00Z`;
}

/**
 * What an amount input shows: the decimal text exactly as the record holds it. Amounts travel
 * as strings; a number (should the other side ever send one) is shown in its shortest form.
 */
export function amountInputValue(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  return '';
}

/**
 * The record value for what the amount input shows: exactly the typed text (no rounding, no
 * reformatting, no locale guessing — "12,5" is sent as typed and validation says why it is
 * wrong); blank → `undefined`.
 */
export function amountFromInput(input: string): string | undefined {
  return input.trim() === '' ? undefined : input;
}

/** A date-time for people: `2025-03-14 09:21 UTC`; the raw text when it is not a timestamp. */
export function formatTimestamp(value: unknown): string {
  if (typeof value !== 'string' || value === '') return '';
  const ms = Date.parse(value);
  if (Number.isNaN(ms)) return value;
  const iso = new Date(ms).toISOString();
  return `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC`;
}
