/**
 * Times as officers read them in the drafts library, the outbox and the autosave line: the
 * computer's local clock ("Draft saved 14:03:22", "Retrying at 14:05"), relative ages ("5 min
 * ago") with the exact local date and time for a title.
 */

const pad = (n: number) => String(n).padStart(2, '0');

function toDate(value: string | number | Date | null | undefined): Date | null {
  if (value === null || value === undefined || value === '') return null;
  const d = value instanceof Date ? value : new Date(value);
  return Number.isNaN(d.getTime()) ? null : d;
}

/** `14:03:22` (local); blank for no or a bad value. */
export function clockTime(value: string | number | Date | null | undefined): string {
  const d = toDate(value);
  return d ? `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}` : '';
}

/** `14:05` (local). */
export function clockMinutes(value: string | number | Date | null | undefined): string {
  const d = toDate(value);
  return d ? `${pad(d.getHours())}:${pad(d.getMinutes())}` : '';
}

/** `2025-03-14 14:03:22` (local), for titles and notices. */
export function localDateTime(value: string | number | Date | null | undefined): string {
  const d = toDate(value);
  if (!d) return typeof value === 'string' ? value : '';
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${clockTime(d)}`;
}

/**
 * How long ago: "just now", "5 min ago", "3 h ago", "yesterday", "12 days ago", then the local
 * date. A time in the future (another computer's clock) reads "just now".
 */
export function relativeTime(value: string | number | Date | null | undefined, now: number = Date.now()): string {
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
  return localDateTime(d).slice(0, 10);
}
