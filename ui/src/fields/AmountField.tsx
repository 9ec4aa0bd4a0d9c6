import type { ComponentChildren } from 'preact';
import { amountFromInput, amountInputValue } from '../state/values';
import { FieldShell } from '../widgets/FieldShell';
import { describedBy, useField } from './useField';

export interface AmountFieldProps {
  path: string;
  label: string;
  required?: boolean;
  hint?: ComponentChildren;
}

/** A decimal amount as text: what is typed is exactly what is sent (amounts travel as strings). */
export function AmountField(p: AmountFieldProps) {
  const f = useField(p.path);
  return (
    <FieldShell id={f.id} path={f.path} label={p.label} required={p.required} hint={p.hint} issues={f.issues}>
      <input
        id={f.id}
        name={p.path}
        data-testid={f.id}
        type="text"
        inputMode="decimal"
        autoComplete="off"
        spellcheck={false}
        class="input input--amount"
        value={amountInputValue(f.value)}
        aria-invalid={f.invalid ? 'true' : undefined}
        aria-required={p.required ? 'true' : undefined}
        aria-describedby={describedBy(f, !!p.hint)}
        onInput={(e) => f.set(amountFromInput(e.currentTarget.value))}
      />
    </FieldShell>
  );
}
