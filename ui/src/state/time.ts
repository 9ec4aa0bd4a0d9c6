/**
 * Dates and times as officers read them, on every screen: one place that formats them, in the
 * officer's own locale (Intl.DateTimeFormat with the system's language), with the full ISO value
 * for a title (hover). Record dates (`2031-03-15T00:00:00Z`) are calendar dates in UTC, the date
 * validation compares; moments (saved, queued, decided) are shown on the computer's local clock.
 * Relative ages ("5 min ago") for lists.
 */

const pad = (n: number) => String(n).padStart(2, '0');

type TimeValue = string | number | Date | null | undefined;

function toDate(value: TimeValue): Date | null {
  if (value === null || value === undefined || value === '') return null;
  const d = value instanceof Date ? value : new Date(value);
  return Number.isNaN(d.getTime()) ? null : d;
}

// Formatters are costly to build and the lists format hundreds of rows: one of each.
let dateFormat: Intl.DateTimeFormat | null = null;
let utcDateFormat: Intl.DateTimeFormat | null = null;
let dateTimeFormat: Intl.DateTimeFormat | null = null;
const DATE_PARTS: Intl.DateTimeFormatOptions = { year: 'numeric', month: 'short', day: 'numeric' };

/** `Mar 14, 2025` / `14 Mar 2025` (the officer's locale; local calendar day). */
export function formatDate(value: TimeValue): string {
  const d = toDate(value);
  if (!d) return typeof value === 'string' ? value : '';
  dateFormat ??= new Intl.DateTimeFormat(undefined, DATE_PARTS);
  return dateFormat.format(d);
}

/** `Mar 14, 2025, 14:03:22` (the officer's locale, local clock); the text as is when not a time. */
export function localDateTime(value: TimeValue): string {
  const d = toDate(value);
  if (!d) return typeof value === 'string' ? value : '';
  dateTimeFormat ??= new Intl.DateTimeFormat(undefined, { ...DATE_PARTS, hour: '2-digit', minute: '2-digit', second: '2-digit' });
  return dateTimeFormat.format(d);
}

const RFC3339 = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.\d+)?(Z|[+-]\d{2}:\d{2})$/i;

/**
 * A value of the record that is a timestamp, for people: a date at midnight UTC (how the record
 * keeps a calendar date such as a birth date) as that calendar date in the officer's locale,
 * any other timestamp as a local date and time; any other text as it is.
 */
export function formatRecordValue(value: string): string {
  const m = RFC3339.exec(value.trim());
  if (!m) return value;
  const d = toDate(value.trim());
  if (!d) return value;
  const midnightUtc = d.getUTCHours() === 0 && d.getUTCMinutes() === 0 && d.getUTCSeconds() === 0 && d.getUTCMilliseconds() === 0;
  if (!midnightUtc) return localDateTime(d);
  utcDateFormat ??= new Intl.DateTimeFormat(undefined, { ...DATE_PARTS, timeZone: 'UTC' });
  return utcDateFormat.format(d);
}

/** Whether a record value is a timestamp (shown formatted, its ISO text on hover). */
export function isTimestamp(value: string): boolean {
  return RFC3339.test(value.trim());
}

/** The full ISO 8601 value, for a title: what the record or the log holds, exactly. */
export function isoTitle(value: TimeValue): string {
  if (typeof value === 'string') return value;
  const d = toDate(value);
  return d ? d.toISOString() : '';
}

/** `14:03:22` (local); blank for no or a bad value. */
export function clockTime(value: TimeValue): string {
  const d = toDate(value);
  return d ? `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}` : '';
}

/** `14:05` (local). */
export function clockMinutes(value: TimeValue): string {
  const d = toDate(value);
  return d ? `${pad(d.getHours())}:${pad(d.getMinutes())}` : '';
}

/**
 * How long ago: "just now", "5 min ago", "3 h ago", "yesterday", "12 days ago", then the date.
 * A time in the future (another computer's clock) reads "just now".
 */
export function relativeTime(value: TimeValue, now: number = Date.now()): string {
  const d = toDate(value);
  if (!d) return '';
  const secs = Math.floor((now - d.getTime()) / 1000);
  if (secs < 45) return 'just now';
  const mins = Math.round(secs / 60);
  if (mins < 60) return `${mins} min ago`;
  const hours = Math.round(secs / 3600);
  if (hours < 24) return `${hours} h ago`;
  const days = Math.round(secs / 86400);
  if (days === 1) return 'yesterday';
  if (days < 30) return `${days} days ago`;
  return formatDate(d);
}
