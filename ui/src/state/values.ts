/**
 * Converting record values to what inputs show and back. No rule lives here: whether a value is
 * acceptable is only ever decided by `validate_record` on the Rust side.
 */

const DATE_ONLY = /^(\d{4})-(\d{2})-(\d{2})$/;
/** A typed or pasted date in the hinted order: `2031-03-15`, `2031/03/15`, `2031.03.15` or `20310315`. */
const TYPED_DATE = /^(\d{4})[-/.]?(\d{2})[-/.]?(\d{2})$/;
const RFC3339_ANY = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:\d{2})$/i;
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
 * What the date text input shows: the UTC calendar date of a timestamp (`YYYY-MM-DD`), otherwise
 * the text exactly as the record holds it (half typed or unreadable: validation says why), so
 * the input never rewrites what the officer is typing.
 */
export function dateTextValue(value: unknown): string {
  if (typeof value !== 'string') return '';
  const utc = RFC3339_UTC.exec(value.trim());
  if (utc) return utc[1]!;
  return RFC3339_ANY.test(value.trim()) ? dateInputValue(value) : value;
}

/**
 * The record value for what the date input now shows.
 *
 * - blank → `undefined` (the field is omitted);
 * - the same calendar date as one of `keep` (the current value, then the loaded one) → that
 *   value unchanged, so a time part such as `T05:31:56Z` survives an edit that did not change
 *   the date;
 * - any other date → `YYYY-MM-DDT00:00:00Z` (typed as `2031-03-15`, `2031/03/15` or `20310315`);
 * - anything else → the text as typed, for validation (Rust) to name.
 */
export function dateFromInput(input: string, ...keep: unknown[]): string | undefined {
  const typed = input.trim();
  if (typed === '') return undefined;
  const parts = TYPED_DATE.exec(typed);
  const text = parts ? `${parts[1]}-${parts[2]}-${parts[3]}` : typed;
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
