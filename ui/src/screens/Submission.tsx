import { useEffect, useState } from 'preact/hooks';
import { ErrorBox } from '../widgets/ErrorBox';
import { StatusBadge } from '../widgets/StatusBadge';
import { useAction } from '../widgets/useAction';
import { CommandError, toCommandError } from '../ipc';
import { closeEditor, savedDraft } from '../state/drafts';
import { asksPartner, awaitsPartner, canRetry, entryById, online, outboxEntries, stateIcon, stateLabel, stateTone } from '../state/outbox';
import { go } from '../state/navigation';
import { activeEnvironment } from '../state/session';
import { followingEntryId, retryEntry, showRejected } from '../state/submission';
import { followedTeamSubmission } from '../state/teamDrafts';
import { localDateTime } from '../state/time';
import { TeamSubmissionResult } from './team/TeamSubmissionResult';
import type { AttemptError, OutboxEntry } from '../types';

/** An attempt's error as a CommandError (ErrorBox words it by kind). */
export const attemptError = (e: AttemptError) => new CommandError(e.kind, e.message, e.status !== undefined ? { status: e.status } : {});

/**
 * Follows the queued submission: Queued / Sending → Sent (then the partner's status, Processing
 * until settled); Retrying at … (attempt n); Failed with "Retry"; a rejected entry goes back to
 * the editor with the problems on the fields, a conflict to the conflict screen.
 */
export function Submission() {
  // A team draft is submitted through the team server, not the outbox (state/teamDrafts.ts).
  const team = followedTeamSubmission.value;
  if (team && team.draftId === savedDraft.value?.id) return <TeamSubmissionResult view={team.view} />;
  return <OutboxSubmission />;
}

function OutboxSubmission() {
  const id = followingEntryId.value;
  outboxEntries.value; // re-render on every poll
  const entry = entryById(id);
  const env = activeEnvironment.value;
  const [openError, setOpenError] = useState<CommandError | null>(null);
  const retryAction = useAction((e: OutboxEntry) => retryEntry(e.id));
  const busy = retryAction.busy;
  // One error box: the latest of opening a rejected draft and of "Retry".
  const error = retryAction.error ?? openError;

  const state = entry?.state.state;
  const sentStatus = entry?.state.state === 'sent' ? entry.state.customer.status : null;

  useEffect(() => {
    if (!entry) return;
    if (entry.state.state === 'rejected')
      void showRejected(entry).catch((e) => {
        retryAction.clearError();
        setOpenError(toCommandError(e));
      });
    else if (entry.state.state === 'conflict') go('conflict');
  }, [entry?.id, state, sentStatus]);

  const retry = (e: OutboxEntry) => {
    setOpenError(null);
    return retryAction.run(e);
  };

  if (!entry) {
    return (
      <section class="screen screen--narrow" aria-labelledby="submission-title">
        <h1 id="submission-title" tabIndex={-1}>
          Submission
        </h1>
        <p class="notice" data-testid="submission-gone">
          This submission is no longer in the outbox (it was cancelled).
        </p>
        <div class="button-row">
          <button type="button" class="btn btn--primary" data-testid="back-to-customer" onClick={() => go('editor')}>
            Back to the draft
          </button>
        </div>
      </section>
    );
  }

  const s = entry.state;
  const tone = stateTone(entry);
  return (
    <section class="screen screen--narrow" aria-labelledby="submission-title">
      <h1 id="submission-title" tabIndex={-1}>
        {s.state === 'sent' ? 'Submitted' : s.state === 'queued' && online.value === false ? 'Queued for sending' : 'Submitting'}
      </h1>
      <div class={`result result--${tone}`} data-testid="submit-result" data-state={s.state}>
        <p class="result__status" aria-live="polite" aria-atomic="true">
          <span class={`entry-state entry-state--${tone}`} data-testid="entry-state" data-state={s.state}>
            <span aria-hidden="true">{stateIcon(entry)} </span>
            {s.state === 'sent' ? 'Sent' : stateLabel(entry)}
          </span>
          {s.state === 'sent' && (
            <>
              {' '}
              Status: <StatusBadge status={s.customer.status} />
            </>
          )}
        </p>
        <dl class="meta">
          <div>
            <dt>{entry.target.kind === 'update' ? 'Customer ID' : 'New customer'}</dt>
            <dd>
              <code>{s.state === 'sent' ? s.customer.customer_id : entry.target.kind === 'update' ? entry.target.customer_id : entry.target.partner_customer_id}</code>
            </dd>
          </div>
          <div>
            <dt>Queued</dt>
            <dd data-testid="entry-queued-at">{localDateTime(entry.queued_at)}</dd>
          </div>
          {entry.attempts > 0 && (
            <div>
              <dt>Attempts</dt>
              <dd data-testid="entry-attempts">{entry.attempts}</dd>
            </div>
          )}
          {s.state === 'sent' && (
            <div>
              <dt>Sent</dt>
              <dd data-testid="result-created-at">{localDateTime(s.sent_at)}</dd>
            </div>
          )}
        </dl>
        {s.state === 'queued' && online.value === false && (
          <p class="result__note" data-testid="queued-offline">
            {env?.name ?? 'The partner'} cannot be reached; this is sent automatically when it can. You can keep working meanwhile.
          </p>
        )}
        {(s.state === 'queued' || s.state === 'sending') && online.value !== false && (
          <p class="result__note" data-testid="sending">
            <progress class="inline-progress" aria-label="Sending" /> Sending to the partner…
          </p>
        )}
        {s.state === 'waiting_retry' && entry.last_error && (
          <p class="result__note" data-testid="retry-note">
            Last attempt: {entry.last_error.message}
          </p>
        )}
        {s.state === 'sent' && awaitsPartner(s) && (
          <p class="result__note" data-testid="polling">
            <progress class="inline-progress" aria-label="Waiting for the partner" />{' '}
            {s.customer.status === 'Processing'
              ? 'The partner is processing the record; checking every second…'
              : `The partner’s status is “${s.customer.status}”, which this app does not know; checking for a while…`}
          </p>
        )}
        {s.state === 'sent' && !awaitsPartner(s) && !asksPartner(s) && <SettledText status={s.customer.status} />}
        {s.state === 'sent' && asksPartner(s) && (
          <p class="result__note" data-testid="ask-partner">
            The partner’s status “{s.customer.status}” is not one this app knows, and it has not changed for a while, so
            the app stopped checking. Ask the partner what it means.
          </p>
        )}
        {s.state === 'failed' && <ErrorBox error={attemptError(s.error)} env={entry.environment} testid="entry-error" />}
        {canRetry(entry) && (
          <p class="button-row">
            <button type="button" class="btn" data-testid="retry-entry" disabled={busy} onClick={() => void retry(entry)}>
              {s.state === 'failed' ? 'Retry' : 'Retry now'}
            </button>
          </p>
        )}
        {error && <ErrorBox error={error} testid="submission-error" />}
      </div>
      <div class="button-row">
        <button type="button" class="btn btn--primary" data-testid="back-to-customer" onClick={() => go('editor')}>
          Back to this customer
        </button>
        <button
          type="button"
          class="btn"
          data-testid="open-another"
          onClick={() => {
            void closeEditor().then(() => go('open'));
          }}
        >
          Open another customer
        </button>
        <button type="button" class="btn btn--quiet" data-testid="go-outbox" onClick={() => go('outbox')}>
          Outbox
        </button>
      </div>
    </section>
  );
}

function SettledText({ status }: { status: string }) {
  const text: Record<string, string> = {
    Succeeded: 'The partner accepted the update.',
    Failed: 'The partner did not accept the update. Check the record and the partner’s notes.',
    Suspended: 'The partner suspended the customer. Contact the partner before making further changes.',
  };
  return (
    <p class="result__note" data-testid="settled-text">
      {text[status] ?? `Final status: ${status}.`}
    </p>
  );
}
