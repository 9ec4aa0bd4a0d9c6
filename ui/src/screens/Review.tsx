import { useEffect, useRef, useState } from 'preact/hooks';
import { ErrorBox } from '../widgets/ErrorBox';
import { useAction } from '../widgets/useAction';
import { diffRecord, toCommandError, type CommandError } from '../ipc';
import { draftContext, openDraftId } from '../state/drafts';
import { isUnsent, online, outboxEntries, stateLabel } from '../state/outbox';
import { allIssues, applyInvalidRecord, base, canSubmit, edited, validating } from '../state/editor';
import { go, openTarget } from '../state/navigation';
import { backToEditor } from '../state/editorPlace';
import { activeEnvironment, isProduction } from '../state/session';
import { openDocumentsReview } from '../state/review';
import { openDraftReview, queueOpenDraft } from '../state/submission';
import { teamStatus } from '../state/team';
import { stopFollowingTeamSubmission, submitOpenTeamDraft } from '../state/teamDrafts';
import { ApprovalNote } from './ApprovalNote';
import { DiffList } from './DiffList';
import type { DiffView } from '../types';

/**
 * The field-by-field diff against the draft's base, then "Submit" (online) / "Queue for sending"
 * (offline): the draft is stored as reviewed and queued in the outbox; the Submission screen
 * follows it.
 */
export function Review() {
  const target = openTarget.value;
  const env = activeEnvironment.value;
  // A team draft (its environment is one of the team's, as Rust lists them) is submitted through
  // the team server: no outbox, no partner reachable from here, no typed confirmation.
  const teamEnv = teamStatus.value?.environments.find((e) => e.name === draftContext.value?.environment) ?? null;
  const prod = teamEnv === null && isProduction.value;
  const [diff, setDiff] = useState<DiffView | null>(null);
  const [diffError, setDiffError] = useState<CommandError | null>(null);
  const confirmRef = useRef<HTMLInputElement>(null);
  const submit = useAction(
    async (confirmation: string | undefined) => {
      try {
        if (teamEnv) {
          await submitOpenTeamDraft();
        } else {
          stopFollowingTeamSubmission();
          await queueOpenDraft(confirmation);
        }
      } catch (e) {
        const err = toCommandError(e);
        if (err.kind !== 'invalid_record') throw err;
        // Problems the record has go beside their fields, not in the error box.
        applyInvalidRecord(err.issues);
        go('editor');
        return;
      }
      go('submission');
    },
    {
      onError: (err) => {
        if (err.kind === 'confirmation_required') confirmRef.current?.focus();
      },
    },
  );
  const { busy, error: submitError } = submit;

  const asked = useRef(0);
  const loadDiff = async () => {
    setDiffError(null);
    const mine = ++asked.current;
    try {
      // A new customer has no base: everything typed is a change.
      const d = await diffRecord(base.value ?? {}, edited.value);
      if (mine === asked.current) setDiff(d);
    } catch (e) {
      if (mine === asked.current) setDiffError(toCommandError(e));
    }
  };

  // Again whenever the base or the record changes (the base moves when a sent draft is rebased).
  const baseNow = base.value;
  const editedNow = edited.value;
  useEffect(() => {
    void loadDiff();
  }, [baseNow, editedNow]);

  // Escape closes Review changes, like "Back to edit".
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape' && !e.defaultPrevented) backToEditor();
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, []);

  if (!target) return null;
  const customerId = target.kind === 'update' ? target.customer_id : null;
  // Production asks for the English business name as the draft's base had it (the customer id
  // when it had none); for a new customer its partner customer id (queue_draft checks the same).
  const expectedName = customerId
    ? base.value?.business_details?.business_name_english || customerId
    : target.kind === 'create'
      ? target.partner_customer_id
      : '';
  const offline = teamEnv === null && online.value === false;
  const draftId = openDraftId();
  const earlier = draftId ? outboxEntries.value.filter((e) => e.draft_id === draftId && isUnsent(e)) : [];

  const queue = async () => {
    if (!canSubmit.value || busy) return;
    await submit.run(prod ? (confirmRef.current?.value ?? '') : undefined);
  };

  const issues = allIssues.value.length;
  const noChanges = diff !== null && diff.field_count === 0;
  // Four-eyes, as Rust answers it for the stored draft: "Waiting for approval", and who can give it.
  const stored = openDraftReview.value;
  const readiness = stored && stored.draft_id === draftId ? stored.state.readiness : null;
  const waiting = readiness?.state === 'waiting_for_approval' ? readiness : null;
  const disabled = busy || !canSubmit.value || diff === null || noChanges || waiting !== null;
  const label = waiting
    ? waiting.label
    : busy
    ? offline
      ? 'Queueing…'
      : 'Submitting…'
    : validating.value
      ? 'Checking…'
      : offline
        ? prod
          ? 'Queue for production'
          : 'Queue for sending'
        : prod
          ? 'Submit to production'
          : 'Submit';

  return (
    <section class="screen" aria-labelledby="review-title">
      <h1 id="review-title" tabIndex={-1}>
        Review changes — {edited.value.business_details?.business_name_english || expectedName || 'New customer'}
      </h1>
      {diffError && <ErrorBox error={diffError} testid="diff-error" onRetry={() => void loadDiff()} />}
      {diff === null && !diffError && <p class="loading">Comparing…</p>}
      {noChanges && (
        <p class="notice" data-testid="no-changes">
          No changes to submit.
        </p>
      )}
      {diff && diff.field_count > 0 && <DiffList view={diff} draftId={draftId} />}

      {issues > 0 && (
        <p class="notice notice--warn" id="review-issues-text" data-testid="review-issues">
          The record has {issues === 1 ? '1 problem' : `${issues} problems`}; go back and fix {issues === 1 ? 'it' : 'them'} before submitting.
        </p>
      )}

      {offline && (
        <p class="notice" id="review-offline-text" data-testid="review-offline">
          <span aria-hidden="true">○ </span>
          {env?.name ?? 'The partner'} cannot be reached right now. Queued changes are sent automatically when it can; the draft stays
          as it is until then.
        </p>
      )}

      {earlier.length > 0 && (
        <p class="notice" data-testid="review-earlier-entry">
          An earlier submission of this customer is still in the outbox ({stateLabel(earlier[earlier.length - 1]!)}); this one is sent
          after it.
        </p>
      )}

      {teamEnv && (
        <p class="notice" data-testid="review-team">
          A team draft of {teamEnv.name}: the team server sends it to the partner
          {teamEnv.requires_approval ? ', once someone else has approved this exact change' : ''}.
        </p>
      )}
      {(teamEnv ? teamEnv.requires_approval : env?.requires_approval) && <ApprovalNote />}
      {waiting && (
        <p class="notice notice--warn" id="review-waiting-text" data-testid="review-waiting">
          <span aria-hidden="true">⏳ </span>
          {waiting.detail}
        </p>
      )}

      {prod && (
        <div class="confirm-box" data-testid="production-confirm">
          <label class="field__label" for="confirm-name">
            This is <strong>PRODUCTION</strong>{env?.host ? <> (<span data-testid="production-host">{env.host}</span>)</> : null}. Type {customerId ? 'the business name (English)' : 'the partner customer ID'} to confirm:{' '}
            <span class="confirm-box__name">{expectedName}</span>
          </label>
          <input
            id="confirm-name"
            ref={confirmRef}
            data-testid="confirm-name"
            class="input"
            type="text"
            autoComplete="off"
            spellcheck={false}
            aria-invalid={submitError?.kind === 'confirmation_required' ? 'true' : undefined}
            aria-describedby={submitError?.kind === 'confirmation_required' ? 'submit-error' : undefined}
          />
        </div>
      )}

      <div id="submit-error">
        {submitError && <ErrorBox error={submitError} env={env?.name} testid="submit-error" onRetry={() => void queue()} />}
        {submitError?.kind === 'approval_required' && draftId && (
          <p class="button-row">
            <button type="button" class="btn" data-testid="approval-required-review" onClick={() => openDocumentsReview(draftId)}>
              Review documents
            </button>
          </p>
        )}
      </div>

      <div class="button-row">
        <button type="button" class="btn" data-testid="back-to-edit" onClick={backToEditor}>
          ← Back to edit
        </button>
        <button
          type="button"
          class={`btn btn--primary${prod ? ' btn--danger' : ''}`}
          data-testid={teamEnv ? 'team-submit' : 'queue-button'}
          data-offline={offline ? 'true' : undefined}
          data-readiness={readiness?.state}
          disabled={disabled}
          aria-describedby={
            [issues > 0 ? 'review-issues-text' : '', offline ? 'review-offline-text' : '', waiting ? 'review-waiting-text' : ''].filter(Boolean).join(' ') ||
            undefined
          }
          onClick={() => void queue()}
        >
          {label}
        </button>
      </div>
    </section>
  );
}
