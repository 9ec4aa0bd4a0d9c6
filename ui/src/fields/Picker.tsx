import type { ComponentChildren } from 'preact';
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { FieldShell } from '../widgets/FieldShell';
import type { PickerOption } from '../types';
import { commitTyped, displayFor, filterOptions, optionText } from './pickerLogic';
import { describedBy, useField } from './useField';

export interface PickerProps {
  path: string;
  label: string;
  options: readonly PickerOption[];
  required?: boolean;
  hint?: ComponentChildren;
  placeholder?: string;
}

/**
 * A searchable combobox (WAI-ARIA "combobox with listbox popup", list autocomplete): type to
 * filter, ArrowDown/ArrowUp to move, Enter to choose, Escape to close and restore. A value that
 * is not in the list (e.g. a lowercase "us" from the server) is shown as it is, marked.
 */
export function Picker(p: PickerProps) {
  const f = useField(p.path);
  const value = typeof f.value === 'string' ? f.value : f.value === undefined ? '' : String(f.value);
  const display = displayFor(value, p.options);
  const inList = value === '' || p.options.some((o) => o.value === value);

  // `typed` is what the user typed since focusing (null: showing the value).
  const [typed, setTyped] = useState<string | null>(null);
  const [open, setOpen] = useState(false);
  const [active, setActive] = useState(-1);
  const listRef = useRef<HTMLUListElement>(null);
  // Focus selects the text so typing replaces it; a mouse click would undo that on mouseup.
  const keepSelection = useRef(false);

  const shown = useMemo(() => (typed === null ? p.options.slice() : filterOptions(p.options, typed)), [typed, p.options]);
  const listId = `${f.id}-listbox`;
  const optId = (i: number) => `${f.id}-opt-${i}`;
  const notInListId = `${f.id}-notinlist`;

  useEffect(() => {
    if (!open || active < 0) return;
    const el = document.getElementById(optId(active));
    if (el && typeof el.scrollIntoView === 'function') el.scrollIntoView({ block: 'nearest' });
  }, [open, active]);

  const openList = (from: 'current' | 'first' | 'last') => {
    setOpen(true);
    if (from === 'current') {
      const i = shown.findIndex((o) => o.value === value);
      setActive(i >= 0 ? i : shown.length ? 0 : -1);
    } else if (from === 'last') setActive(shown.length - 1);
    else setActive(shown.length ? 0 : -1);
  };

  const choose = (o: PickerOption) => {
    f.set(o.value);
    setTyped(null);
    setOpen(false);
    setActive(-1);
  };

  const close = () => {
    setOpen(false);
    setActive(-1);
  };

  const onKeyDown = (e: KeyboardEvent) => {
    switch (e.key) {
      case 'ArrowDown':
        e.preventDefault();
        if (!open) openList('current');
        else setActive((a) => Math.min(a + 1, shown.length - 1));
        break;
      case 'ArrowUp':
        e.preventDefault();
        if (!open) openList('last');
        else setActive((a) => Math.max(a - 1, 0));
        break;
      case 'PageDown':
        if (open) {
          e.preventDefault();
          setActive((a) => Math.min(a + 10, shown.length - 1));
        }
        break;
      case 'PageUp':
        if (open) {
          e.preventDefault();
          setActive((a) => Math.max(a - 10, 0));
        }
        break;
      case 'Enter': {
        if (open && active >= 0 && shown[active]) {
          e.preventDefault();
          choose(shown[active]!);
        } else if (typed !== null) {
          e.preventDefault();
          commit();
        }
        break;
      }
      case 'Escape':
        if (open || typed !== null) {
          e.preventDefault();
          e.stopPropagation();
          setTyped(null);
          close();
        }
        break;
      default:
        break;
    }
  };

  const commit = () => {
    if (typed !== null) {
      const next = commitTyped(typed, p.options);
      if ((next ?? '') !== value) f.set(next);
    }
    setTyped(null);
    close();
  };

  return (
    <FieldShell id={f.id} path={f.path} label={p.label} required={p.required} hint={p.hint} issues={f.issues} class="field--picker">
      <div class={`combo${open ? ' combo--open' : ''}`}>
        <input
          id={f.id}
          name={p.path}
          data-testid={f.id}
          type="text"
          role="combobox"
          class={`input combo__input${inList ? '' : ' combo__input--unknown'}`}
          autoComplete="off"
          spellcheck={false}
          placeholder={p.placeholder ?? 'Type to search'}
          value={typed ?? display}
          aria-expanded={open ? 'true' : 'false'}
          aria-controls={listId}
          aria-autocomplete="list"
          aria-activedescendant={open && active >= 0 ? optId(active) : undefined}
          aria-invalid={f.invalid ? 'true' : undefined}
          aria-required={p.required ? 'true' : undefined}
          aria-describedby={describedBy(f, !!p.hint, !inList && notInListId)}
          data-value={value}
          onFocus={(e) => {
            e.currentTarget.select();
            keepSelection.current = true;
          }}
          onMouseUp={(e) => {
            if (keepSelection.current) e.preventDefault();
            keepSelection.current = false;
          }}
          onInput={(e) => {
            const t = e.currentTarget.value;
            setTyped(t);
            setOpen(true);
            setActive(filterOptions(p.options, t).length ? 0 : -1);
          }}
          onKeyDown={onKeyDown}
          onBlur={commit}
        />
        <button
          type="button"
          class="combo__toggle"
          tabIndex={-1}
          aria-label={`Show ${p.label} options`}
          onMouseDown={(e) => e.preventDefault()}
          onClick={() => {
            if (open) close();
            else {
              document.getElementById(f.id)?.focus();
              openList('current');
            }
          }}
        >
          <span aria-hidden="true">▾</span>
        </button>
        <ul
          id={listId}
          ref={listRef}
          role="listbox"
          aria-label={p.label}
          class="combo__list"
          hidden={!open}
          data-testid={`${f.id}-listbox`}
        >
          {open &&
            shown.map((o, i) => (
              <li
                key={o.value}
                id={optId(i)}
                role="option"
                aria-selected={i === active ? 'true' : 'false'}
                class={`combo__option${i === active ? ' combo__option--active' : ''}${o.value === value ? ' combo__option--current' : ''}`}
                data-value={o.value}
                onMouseDown={(e) => e.preventDefault()}
                onMouseMove={() => i !== active && setActive(i)}
                onClick={() => choose(o)}
              >
                {o.name ? (
                  <>
                    <span class="combo__code">{o.value}</span> <span class="combo__name">{o.name}</span>
                  </>
                ) : (
                  optionText(o)
                )}
              </li>
            ))}
          {open && shown.length === 0 && (
            <li class="combo__empty" role="presentation">
              No match. Leave the field to keep “{typed}” as typed.
            </li>
          )}
        </ul>
      </div>
      {!inList && (
        <p class="field__note" id={notInListId}>
          <span class="tag tag--warn">Not in the list</span> shown as stored: “{value}”
        </p>
      )}
    </FieldShell>
  );
}
