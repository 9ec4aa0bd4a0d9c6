import { useEffect, useRef } from 'preact/hooks';
import { useSettled } from '../widgets/useSettled';
import { focusPath } from '../widgets/focus';
import { problemCount } from '../state/issues';
import { labelForPath } from '../state/labels';
import { idForPath } from '../state/paths';
import { allIssues, partnerGeneral, summaryAlert, summaryAttempts, validating, validationError } from '../state/editor';

/**
 * Every problem of the record, at the top of the editor; each item moves focus to its field.
 * The count is announced politely once it has stopped changing for `ANNOUNCE_DELAY_MS` (the record
 * is validated on every keystroke; announcing each answer would talk over the typing); after an attempt to go on with problems left
 * the summary becomes role="alert" and takes focus.
 *
 * It sits in a slot of fixed height (its list scrolls inside) that is there even with nothing to
 * fix, so the form below never moves while the user types and problems come and go (WebKit has
 * no scroll anchoring).
 */
export const ANNOUNCE_DELAY_MS = 700;

export function ErrorSummary() {
  const issues = allIssues.value;
  const general = partnerGeneral.value;
  const alert = summaryAlert.value;
  const attempts = summaryAttempts.value;
  const heading = useRef<HTMLHeadingElement>(null);
  const total = issues.length + general.length;
  const announced = useSettled(validating.value ? '' : problemCount(total), ANNOUNCE_DELAY_MS);

  // Focus moves to the summary once, when an attempt to go on is refused; not again when the
  // count changes while the officer fixes fields (validation runs at every keystroke, and
  // stealing focus mid-word lost the rest of what was typed).
  useEffect(() => {
    if (alert && total > 0) heading.current?.focus();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [attempts]);

  return (
    <>
      <p class="visually-hidden" aria-live="polite" aria-atomic="true" data-testid="issue-count-live">
        {announced}
      </p>
      {validationError.value && (
        <div class="notice notice--error" role="alert" data-testid="validation-error">
          <p class="notice__title">Could not check the record</p>
          <p class="notice__detail">{validationError.value.message}</p>
        </div>
      )}
      <div class="summary-slot">
        {total === 0 && (
          <div class="summary summary--ok" data-testid="summary-ok">
            <p class="summary__ok-title">No problems found</p>
            <p class="summary__ok-detail">Problems appear here as you edit; each one links to its field.</p>
          </div>
        )}
        {total > 0 && (
          <div
            class={`summary${alert ? ' summary--alert' : ''}`}
            role={alert ? 'alert' : undefined}
            data-testid="error-summary"
            data-count={total}
            aria-labelledby="error-summary-title"
          >
            <h2 id="error-summary-title" class="summary__title" tabIndex={-1} ref={heading}>
              {problemCount(total)} to fix before submitting
            </h2>
            <ul class="summary__list">
              {general.map((g, i) => (
                <li key={`g${i}`} data-code={g.code} data-source="partner">
                  <span class="tag tag--partner">Partner</span> {g.message}
                </li>
              ))}
              {issues.map((i, n) => (
                <li key={n} data-code={i.code} data-path={i.path} data-source={i.source}>
                  <a
                    href={`#${safeId(i.path)}`}
                    class="summary__link"
                    data-testid={`summary-link-${safeId(i.path)}`}
                    onClick={(e) => {
                      e.preventDefault();
                      focusPath(i.path);
                    }}
                  >
                    <span class="summary__field">{labelForPath(i.path)}</span>
                    {i.source === 'partner' && <span class="tag tag--partner">Partner</span>}
                    <span class="summary__message">{i.message}</span>
                  </a>
                </li>
              ))}
            </ul>
          </div>
        )}
      </div>
    </>
  );
}

function safeId(path: string): string {
  try {
    return idForPath(path);
  } catch {
    return 'record';
  }
}
