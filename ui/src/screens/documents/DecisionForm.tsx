import { ErrorBox } from '../../widgets/ErrorBox';
import { focusIdSoon } from '../../widgets/focus';
import {
  decisionAnnouncement,
  decisionError,
  decisionForm,
  decisionSaving,
  queueDecision,
  setDecision,
  setNote,
  toggleReason,
} from '../../state/review';
import { DECISION_ICONS } from '../../state/reviewDocs';
import { decisionLabel, needsReasons, reasonLabel, reviewVocabulary } from '../../state/reviewVocabulary';
import { localDateTime } from '../../state/time';
import type { ReviewDocument } from '../../types';
import { docItemId } from './DocList';

/**
 * Save (after any decision still being saved), then focus the document now selected (the next
 * undecided one), or the error.
 */
export async function saveAndMoveOn(prepare?: () => void) {
  const r = await queueDecision(prepare);
  if (r.ok && r.next) focusIdSoon(docItemId(r.next));
  else if (r.failed) focusIdSoon(decisionError.peek()?.field === 'note' ? 'decision-note' : 'decision-form-title');
}

/**
 * The decision on one document: Verified / Needs re-upload / Rejected; the last two with at
 * least one reason; a note (required for "Other"; at most the served number of characters). The
 * choices, their words and the limit come with `reference_data`. Errors come from
 * `decide_document` by `field` (`reasons`, `note`); `self_approval` is said at the top.
 */
export function DecisionForm({ doc }: { doc: ReviewDocument }) {
  const f = decisionForm.value;
  const error = decisionError.value;
  const saving = decisionSaving.value;
  const existing = doc.decision ?? null;
  const reasonsError = error?.kind === 'invalid_input' && error.field === 'reasons' ? error : null;
  const noteError = error?.kind === 'invalid_input' && error.field === 'note' ? error : null;
  const selfError = error?.kind === 'self_approval' ? error : null;
  const otherError = error && !reasonsError && !noteError && !selfError ? error : null;
  const showReasons = needsReasons(f.decision);
  const vocabulary = reviewVocabulary.value;
  const noteMax = vocabulary.max_note_chars;

  return (
    <form
      class="panel decision"
      data-testid="decision-form"
      aria-labelledby="decision-form-title"
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        void saveAndMoveOn();
      }}
    >
      <h2 id="decision-form-title" class="panel__title" tabIndex={-1}>
        Decision
      </h2>
      {selfError && (
        <p class="notice notice--error" role="alert" data-testid="decision-self-approval" data-kind={selfError.kind}>
          <span aria-hidden="true">⚠ </span>
          You prepared this change, so another profile must review its documents.
        </p>
      )}
      {existing ? (
        <p class="decision__existing" data-testid="decision-existing" data-decision={existing.decision}>
          <span class={`decision-badge decision-badge--${existing.decision}`}>
            <span aria-hidden="true">{DECISION_ICONS[existing.decision]} </span>
            {decisionLabel(existing.decision)}
          </span>{' '}
          by {existing.decided_by} on {localDateTime(existing.decided_at)}
          {existing.reasons.length > 0 && <> — {existing.reasons.map(reasonLabel).join(', ')}</>}
          {existing.note && <span class="decision__note"> “{existing.note}”</span>}
        </p>
      ) : (
        <p class="decision__existing decision__existing--none" data-testid="decision-existing" data-decision="none">
          No decision yet.
        </p>
      )}
      <fieldset class="decision__choices">
        <legend class="field__label">This document is</legend>
        {vocabulary.decisions.map(({ value: d, label }) => (
          <label key={d} class="radio decision__choice" for={`decision-${d}`}>
            <input
              id={`decision-${d}`}
              type="radio"
              name="decision"
              value={d}
              data-testid={`decision-${d}`}
              checked={f.decision === d}
              aria-keyshortcuts={d === 'verified' ? 'v' : d === 'needs_reupload' ? 'u' : 'x'}
              onChange={() => setDecision(d)}
            />
            <span aria-hidden="true" class={`decision-icon decision-icon--${d}`}>
              {DECISION_ICONS[d]}
            </span>
            {label}
            <kbd class="key-hint" aria-hidden="true">
              {d === 'verified' ? 'v' : d === 'needs_reupload' ? 'u' : 'x'}
            </kbd>
          </label>
        ))}
      </fieldset>
      {showReasons && (
        <fieldset
          class="decision__reasons"
          id="decision-reasons"
          aria-invalid={reasonsError ? 'true' : undefined}
          aria-describedby={reasonsError ? 'decision-reasons-error' : undefined}
        >
          <legend class="field__label">Why? (at least one)</legend>
          {vocabulary.reasons.map(({ value: r, label }, i) => (
            <label key={r} class="check decision__reason" for={`reason-${r}`}>
              <input
                id={`reason-${r}`}
                type="checkbox"
                data-testid={`reason-${r}`}
                data-first={i === 0 ? 'true' : undefined}
                checked={f.reasons.includes(r)}
                onChange={(e) => toggleReason(r, e.currentTarget.checked)}
              />
              {label}
            </label>
          ))}
          {reasonsError && (
            <p id="decision-reasons-error" class="field__errors" role="alert" data-testid="decision-reasons-error">
              <span aria-hidden="true">⚠ </span>
              {reasonsError.message}
            </p>
          )}
        </fieldset>
      )}
      <div class="decision__note-field">
        <label class="field__label" for="decision-note">
          Note{f.reasons.includes('other') ? ' (required for “Other”)' : ' (optional)'}
        </label>
        <textarea
          id="decision-note"
          class="input input--multiline"
          data-testid="decision-note"
          maxLength={noteMax}
          rows={3}
          value={f.note}
          aria-invalid={noteError ? 'true' : undefined}
          aria-describedby={`decision-note-count${noteError ? ' decision-note-error' : ''}`}
          onInput={(e) => setNote(e.currentTarget.value)}
        />
        <p class="field__hint" id="decision-note-count">
          {f.note.length} / {noteMax.toLocaleString('en')} characters
        </p>
        {noteError && (
          <p id="decision-note-error" class="field__errors" role="alert" data-testid="decision-note-error">
            <span aria-hidden="true">⚠ </span>
            {noteError.message}
          </p>
        )}
      </div>
      {otherError && <ErrorBox error={otherError} testid="decision-error" />}
      <div class="button-row">
        <button type="submit" class="btn btn--primary" data-testid="save-decision" disabled={!f.decision || saving}>
          {saving ? 'Saving…' : 'Save decision'}
        </button>
      </div>
      <p class="visually-hidden" aria-live="polite" data-testid="decision-live">
        {decisionAnnouncement.value}
      </p>
    </form>
  );
}
