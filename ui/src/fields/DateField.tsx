import type { ComponentChildren } from 'preact';
import { dateFromInput, dateInputValue } from '../state/values';
import { FieldShell } from '../widgets/FieldShell';
import { describedBy, useField } from './useField';

export interface DateFieldProps {
  path: string;
  label: string;
  required?: boolean;
  hint?: ComponentChildren;
}

/**
 * `<input type=date>` over an RFC 3339 value: shows its UTC date; an unchanged date keeps the
 * original value (time included), a new date is written as `YYYY-MM-DDT00:00:00Z`.
 */
export function DateField(p: DateFieldProps) {
  const f = useField(p.path);
  const shown = dateInputValue(f.value);
  const unreadable = typeof f.value === 'string' && f.value.trim() !== '' && shown === '';
  const rawId = `${f.id}-raw`;
  return (
    <FieldShell id={f.id} label={p.label} required={p.required} hint={p.hint} issues={f.issues}>
      <input
        id={f.id}
        name={p.path}
        data-testid={f.id}
        type="date"
        class="input input--date"
        value={shown}
        data-empty={shown === '' ? 'true' : undefined}
        min="1800-01-01"
        max="9999-12-31"
        aria-invalid={f.invalid ? 'true' : undefined}
        aria-required={p.required ? 'true' : undefined}
        aria-describedby={describedBy(f, !!p.hint, unreadable && rawId)}
        onInput={(e) => {
          const el = e.currentTarget;
          // A half-typed date reads as "" with badInput set: keep the record (and the segments
          // the user is typing) as they are until the date is complete or really emptied.
          if (el.value === '' && el.validity?.badInput) return;
          f.set(dateFromInput(el.value, f.value, f.baseValue));
        }}
      />
      {unreadable && (
        <p class="field__note" id={rawId}>
          Current value “{String(f.value)}” is not a date.
        </p>
      )}
    </FieldShell>
  );
}
