import { ErrorBox } from '../../widgets/ErrorBox';
import { useAction } from '../../widgets/useAction';
import { fieldLabel, labelForPath } from '../../state/labels';
import { confirmMatch, jumpToField } from '../../state/review';
import { valueText } from '../../state/reviewDocs';
import { isConfirmableIdentifierPath } from '../../state/reviewVocabulary';
import { localDateTime } from '../../state/time';
import type { ReviewDocument, ReviewView } from '../../types';

/**
 * "Fields this document supports": each field's label and current value, a "Jump to field" link
 * into the editor, and for identifier numbers "Number matches the document" (`confirm_identifier`).
 */
export function SupportedFields({ view, doc }: { view: ReviewView; doc: ReviewDocument }) {
  // Keyed by the field's path: its checkbox waits, and the error shows under that field only.
  const { run: onConfirm, busyKey: busy, error, errorKey: errorPath } = useAction(confirmMatch, { key: (path) => path });

  return (
    <section class="panel supported" aria-labelledby="supported-title" data-testid="supported-fields">
      <h2 id="supported-title" class="panel__title">
        Fields this document supports
      </h2>
      <ul class="supported__list">
        {doc.reference.supports.map((path) => {
          const value = valueText(view.record, path);
          const match = view.matches[path];
          const confirmed = match !== undefined && match.value.trim() === value.trim() && value.trim() !== '';
          const id = `match-${path.replace(/[^A-Za-z0-9_]/g, '-')}`;
          return (
            <li key={path} class="supported__item" data-testid="supported-field" data-path={path}>
              <div class="supported__head">
                <span class="supported__label" title={labelForPath(path)}>
                  {fieldLabel(path.slice(path.lastIndexOf('.') + 1))}
                </span>
                <a
                  href="#"
                  class="supported__jump"
                  data-testid="jump-to-field"
                  data-path={path}
                  aria-label={`Jump to field ${labelForPath(path)}`}
                  onClick={(e) => {
                    e.preventDefault();
                    void jumpToField(path);
                  }}
                >
                  Jump to field
                </a>
              </div>
              <div class={`supported__value${value ? '' : ' supported__value--empty'}`} data-testid="supported-value">
                {value || 'empty'}
              </div>
              {isConfirmableIdentifierPath(path) && (
                <div class="supported__match">
                  <label class="check" for={id}>
                    <input
                      id={id}
                      type="checkbox"
                      data-testid="confirm-match"
                      data-path={path}
                      checked={confirmed}
                      disabled={busy === path || value === ''}
                      aria-describedby={`${id}-note`}
                      onChange={(e) => void onConfirm(path, e.currentTarget.checked)}
                    />
                    Number matches the document
                  </label>
                  <p class="field__hint" id={`${id}-note`}>
                    {confirmed
                      ? `Confirmed by ${match!.confirmed_by} on ${localDateTime(match!.confirmed_at)}.`
                      : match
                        ? `${match.confirmed_by} confirmed “${match.value}”; the value changed since.`
                        : value
                          ? 'Not confirmed yet.'
                          : 'Nothing to confirm: the field is empty.'}
                  </p>
                  {error && errorPath === path && <ErrorBox error={error} testid="confirm-error" />}
                </div>
              )}
            </li>
          );
        })}
      </ul>
    </section>
  );
}
