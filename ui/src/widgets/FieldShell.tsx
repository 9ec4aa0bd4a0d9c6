import type { ComponentChildren } from 'preact';
import { markTouched } from '../state/touched';
import type { ShownIssue } from '../types';

export interface FieldShellProps {
  id: string;
  /** The record path: leaving the field marks it touched, so its problems show from then on. */
  path?: string;
  label: string;
  required?: boolean;
  hint?: ComponentChildren;
  issues: ShownIssue[];
  wide?: boolean;
  /** Render the label as a plain heading (for controls that label themselves). */
  labelFor?: string | null;
  children: ComponentChildren;
  class?: string;
}

/** Label, control, hint and errors of one field; the control gets ids from the same path. */
export function FieldShell({ id, path, label, required, hint, issues, wide, labelFor, children, class: cls }: FieldShellProps) {
  const classes = ['field', wide ? 'field--wide' : '', issues.length ? 'field--invalid' : '', cls ?? ''].filter(Boolean).join(' ');
  const onFocusOut = path
    ? (e: FocusEvent) => {
        // Focus moving inside the field (a picker's list, a calendar button) is not leaving it.
        const to = e.relatedTarget;
        if (to instanceof Node && (e.currentTarget as HTMLElement).contains(to)) return;
        markTouched(path);
      }
    : undefined;
  return (
    <div class={classes} onFocusOut={onFocusOut}>
      {labelFor === null ? (
        <span class="field__label" id={`${id}-label`}>
          {label}
          {required && <RequiredMark />}
        </span>
      ) : (
        <label class="field__label" for={labelFor ?? id} id={`${id}-label`}>
          {label}
          {required && <RequiredMark />}
        </label>
      )}
      {children}
      {hint && (
        <p class="field__hint" id={`${id}-hint`}>
          {hint}
        </p>
      )}
      <FieldErrors id={`${id}-error`} issues={issues} />
    </div>
  );
}

export function RequiredMark() {
  return (
    <span class="req" title="required" aria-hidden="true">
      *
    </span>
  );
}

export function FieldErrors({ id, issues }: { id: string; issues: ShownIssue[] }) {
  if (issues.length === 0) return null;
  return (
    <ul class="field__errors" id={id} data-testid={id}>
      {issues.map((i, n) => (
        <li key={n} data-code={i.code} data-source={i.source}>
          <span class="field__error-icon" aria-hidden="true">
            !
          </span>{' '}
          {i.source === 'partner' && <span class="tag tag--partner">Partner</span>} {i.message}
        </li>
      ))}
    </ul>
  );
}
