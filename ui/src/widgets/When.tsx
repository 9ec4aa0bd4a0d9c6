import { formatDate, formatRecordValue, isoTitle, localDateTime, relativeTime } from '../state/time';

export interface WhenProps {
  value: string | null | undefined;
  /** `datetime` (default): local date and time; `date`: the day; `relative`: "5 min ago"; `record`: a record's date value. */
  as?: 'datetime' | 'date' | 'relative' | 'record';
  now?: number;
  testid?: string;
}

/**
 * A date or time as the officer reads it (state/time.ts: their locale), with the exact ISO value
 * on hover (title) and for assistive technology and tests (`<time datetime>`).
 */
export function When({ value, as = 'datetime', now, testid }: WhenProps) {
  if (!value) return null;
  const text =
    as === 'relative' ? relativeTime(value, now) : as === 'date' ? formatDate(value) : as === 'record' ? formatRecordValue(value) : localDateTime(value);
  return (
    <time dateTime={value} title={isoTitle(value)} data-testid={testid}>
      {text}
    </time>
  );
}
