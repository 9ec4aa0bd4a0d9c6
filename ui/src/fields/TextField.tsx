import type { ComponentChildren } from 'preact';
import { FieldShell } from '../widgets/FieldShell';
import { describedBy, useField } from './useField';

export interface TextFieldProps {
  path: string;
  label: string;
  required?: boolean;
  hint?: ComponentChildren;
  type?: 'text' | 'email' | 'tel' | 'url';
  multiline?: boolean;
  wide?: boolean;
  autoComplete?: string;
  inputMode?: 'text' | 'email' | 'tel' | 'url' | 'numeric' | 'decimal';
  spellcheck?: boolean;
}

export function TextField(p: TextFieldProps) {
  const f = useField(p.path);
  const value = typeof f.value === 'string' ? f.value : f.value === undefined ? '' : String(f.value);
  const common = {
    id: f.id,
    name: p.path,
    'data-testid': f.id,
    value,
    'aria-invalid': f.invalid ? ('true' as const) : undefined,
    'aria-required': p.required ? ('true' as const) : undefined,
    'aria-describedby': describedBy(f, !!p.hint),
    autoComplete: p.autoComplete ?? 'off',
    spellcheck: p.spellcheck ?? false,
    onInput: (e: Event) => f.set((e.currentTarget as HTMLInputElement | HTMLTextAreaElement).value),
  };
  return (
    <FieldShell id={f.id} path={f.path} label={p.label} required={p.required} hint={p.hint} issues={f.issues} wide={p.wide || p.multiline}>
      {p.multiline ? (
        <textarea {...common} rows={3} class="input input--multiline" />
      ) : (
        <input {...common} type={p.type ?? 'text'} inputMode={p.inputMode} class="input" />
      )}
    </FieldShell>
  );
}
