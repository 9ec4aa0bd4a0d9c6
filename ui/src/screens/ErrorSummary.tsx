import type { ComponentChildren } from 'preact';
import { useEffect, useLayoutEffect, useRef } from 'preact/hooks';
import { useSettled } from '../widgets/useSettled';
import { focusPath } from '../widgets/focus';
import { problemCount } from '../state/issues';
import { labelForPath } from '../state/labels';
import { idForPath } from '../state/paths';
import { partnerGeneral, summaryAlert, summaryAttempts, validating, validationError } from '../state/editor';
import { shownErrors, toFill } from '../state/touched';
import type { ShownIssue } from '../types';

/**
 * Every problem of the record, at the top of the editor; each item moves focus to its field.
 * The count is announced politely once it has stopped changing for `ANNOUNCE_DELAY_MS` (the record
 * is validated on every keystroke; announcing each answer would talk over the typing); after an attempt to go on with problems left
 * the summary becomes role="alert" and takes focus.
 *
 * It is as tall as its problems (every one visible, no inner scrolling) and takes no room when
 * there are none. Problems about empty fields the officer has not visited yet are not errors:
 * they are counted and listed, calmly, as fields to fill (state/touched.ts); after an attempt to
 * go on they are errors like the rest.
 */
export const ANNOUNCE_DELAY_MS = 700;

export function ErrorSummary() {
  const issues = shownErrors.value;
  const pending = toFill.value;
  const general = partnerGeneral.value;
  const alert = summaryAlert.value;
  const attempts = summaryAttempts.value;
  const heading = useRef<HTMLHeadingElement>(null);
  const slot = useRef<HTMLParagraphElement>(null);
  const total = issues.length + general.length;
  const spoken = total === 0 && pending.length > 0 ? fieldsToFill(pending.length) : problemCount(total) + (pending.length ? `, ${fieldsToFill(pending.length)}` : '');
  const announced = useSettled(validating.value ? '' : spoken, ANNOUNCE_DELAY_MS);

  // Focus moves to the summary once, when an attempt to go on is refused; not again when the
  // count changes while the officer fixes fields (validation runs at every keystroke, and
  // stealing focus mid-word lost the rest of what was typed).
  useEffect(() => {
    if (alert && total > 0) heading.current?.focus();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [attempts]);

  useKeepFocusedFieldStill(slot, total, pending.length);

  return (
    <>
      <p class="visually-hidden" aria-live="polite" aria-atomic="true" data-testid="issue-count-live" ref={slot}>
        {announced}
      </p>
      {validationError.value && (
        <div class="notice notice--error" role="alert" data-testid="validation-error">
          <p class="notice__title">Could not check the record</p>
          <p class="notice__detail">{validationError.value.message}</p>
        </div>
      )}
      {(total > 0 || pending.length > 0) && (
        <div class="summary-slot" data-testid="summary-slot">
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
                    <IssueLink issue={i}>
                      <span class="summary__field">{labelForPath(i.path)}</span>
                      {i.source === 'partner' && <span class="tag tag--partner">Partner</span>}
                      <span class="summary__message">{i.message}</span>
                    </IssueLink>
                  </li>
                ))}
              </ul>
            </div>
          )}
          {pending.length > 0 && (
            <div class="summary summary--todo" data-testid="fill-summary" data-count={pending.length} aria-labelledby="fill-summary-title">
              <h2 id="fill-summary-title" class="summary__todo-title">
                {fieldsToFill(pending.length)} before submitting
              </h2>
              <ul class="summary__todo-list">
                {pending.map((i, n) => (
                  <li key={n} data-code={i.code} data-path={i.path}>
                    <IssueLink issue={i} title={i.message}>
                      {labelForPath(i.path)}
                    </IssueLink>
                  </li>
                ))}
              </ul>
            </div>
          )}
        </div>
      )}
    </>
  );
}

/**
 * The summary grows and shrinks above the form as problems come and go; the field being typed
 * in must not move under the caret (WebKit has no scroll anchoring): when the summary's height
 * changed, the page is scrolled by as much, if the focused control is below it.
 */
function useKeepFocusedFieldStill(anchor: { current: Element | null }, ...sizes: number[]) {
  const lastHeight = useRef(0);
  useLayoutEffect(() => {
    const box = anchor.current?.parentElement?.querySelector('.summary-slot');
    // Its margin too: the slot and its margin are there only while there is something to show.
    const height = box ? box.getBoundingClientRect().height + parseFloat(getComputedStyle(box).marginBottom || '0') : 0;
    const moved = height - lastHeight.current;
    lastHeight.current = height;
    const el = document.activeElement;
    const below = !!el && !!anchor.current && (anchor.current.compareDocumentPosition(el) & Node.DOCUMENT_POSITION_FOLLOWING) !== 0;
    if (below && !box?.contains(el) && Math.abs(moved) >= 1) window.scrollBy(0, moved);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, sizes);
}

function fieldsToFill(n: number): string {
  return n === 1 ? '1 field to fill' : `${n} fields to fill`;
}

function IssueLink({ issue, title, children }: { issue: ShownIssue; title?: string; children: ComponentChildren }) {
  return (
    <a
      href={`#${safeId(issue.path)}`}
      class="summary__link"
      title={title}
      data-testid={`summary-link-${safeId(issue.path)}`}
      onClick={(e) => {
        e.preventDefault();
        focusPath(issue.path);
      }}
    >
      {children}
    </a>
  );
}

function safeId(path: string): string {
  try {
    return idForPath(path);
  } catch {
    return 'record';
  }
}
