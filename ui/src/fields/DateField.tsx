import type { ComponentChildren } from 'preact';
import { useRef } from 'preact/hooks';
import { formatRecordValue, isTimestamp } from '../state/time';
import { dateFromInput, dateInputValue, dateTextValue } from '../state/values';
import { FieldShell } from '../widgets/FieldShell';
import { describedBy, useField } from './useField';

export interface DateFieldProps {
  path: string;
  label: string;
  required?: boolean;
  hint?: ComponentChildren;
}

export const DATE_FORMAT_HINT = 'YYYY-MM-DD';

/** A calendar popup only where the web view can open one on request (showPicker). */
const canShowPicker = typeof HTMLInputElement !== 'undefined' && 'showPicker' in HTMLInputElement.prototype;

/**
 * A date as text in one stated order (`YYYY-MM-DD`, the hint says so and is read with the field):
 * typed or pasted digits go in as they are, whatever the system's locale (a native date control
 * orders its segments by locale and swallowed typed digits into its calendar). Over an RFC 3339
 * value: shows its UTC date; an unchanged date keeps the original value (time included), a new
 * one is written as `YYYY-MM-DDT00:00:00Z`; anything else is kept as typed for validation (Rust)
 * to name. The date it reads as, in the officer's format, is shown beside the hint. A calendar
 * button, where the web view has one, only fills the text in.
 */
export function DateField(p: DateFieldProps) {
  const f = useField(p.path);
  const shown = dateTextValue(f.value);
  const calendar = useRef<HTMLInputElement>(null);
  const readsAs = typeof f.value === 'string' && isTimestamp(f.value) ? formatRecordValue(f.value) : '';
  const hint = (
    <>
      {p.hint}
      {p.hint ? ' ' : ''}
      Format {DATE_FORMAT_HINT}, e.g. 2031-03-15.
      {readsAs && <span class="field__reads-as"> Reads: {readsAs}.</span>}
    </>
  );
  return (
    <FieldShell id={f.id} path={f.path} label={p.label} required={p.required} hint={hint} issues={f.issues}>
      <div class="date-input">
        <input
          id={f.id}
          name={p.path}
          data-testid={f.id}
          type="text"
          inputMode="numeric"
          autoComplete="off"
          spellcheck={false}
          placeholder={DATE_FORMAT_HINT}
          class="input input--date"
          value={shown}
          aria-invalid={f.invalid ? 'true' : undefined}
          aria-required={p.required ? 'true' : undefined}
          aria-describedby={describedBy(f, true)}
          onInput={(e) => f.set(dateFromInput(e.currentTarget.value, f.value, f.baseValue))}
        />
        {canShowPicker && (
          <>
            <button
              type="button"
              class="btn btn--quiet btn--small date-input__calendar"
              data-testid={`${f.id}-calendar`}
              aria-label={`Choose ${p.label} from a calendar`}
              title="Choose from a calendar"
              onClick={() => {
                const c = calendar.current;
                if (!c) return;
                c.value = dateInputValue(f.value);
                try {
                  c.showPicker();
                } catch {
                  // No calendar here after all: the text input still takes the date.
                }
              }}
            >
              <svg class="date-input__icon" width="16" height="16" viewBox="0 0 16 16" aria-hidden="true" focusable="false">
                <rect x="1.5" y="2.5" width="13" height="12" rx="1.5" fill="none" stroke="currentColor" />
                <path d="M1.5 6h13M5 1v3M11 1v3" stroke="currentColor" fill="none" />
                <path d="M4 8.5h2v2H4zM7 8.5h2v2H7zM10 8.5h2v2h-2z" fill="currentColor" />
              </svg>
            </button>
            <input
              ref={calendar}
              type="date"
              class="date-input__native"
              tabIndex={-1}
              aria-hidden="true"
              min="1800-01-01"
              max="9999-12-31"
              onChange={(e) => {
                const v = e.currentTarget.value;
                if (v) f.set(dateFromInput(v, f.value, f.baseValue));
                document.getElementById(f.id)?.focus();
              }}
            />
          </>
        )}
      </div>
    </FieldShell>
  );
}
