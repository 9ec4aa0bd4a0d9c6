import { useEffect, useState } from 'preact/hooks';
import { toCommandError, type CommandError } from '../../ipc';
import type { TeamSubmissionView } from '../../bindings/TeamSubmissionView';
import { go } from '../../state/navigation';
import { refreshFollowedTeamSubmission, TEAM_SUBMISSION_POLL_MS, teamSubmissionAwaits } from '../../state/teamDrafts';
import { localDateTime } from '../../state/time';
import { ErrorBox } from '../../widgets/ErrorBox';
import { StatusBadge } from '../../widgets/StatusBadge';

/**
 * A team draft's submission, sent by the team server: its state in Rust's words and, once sent,
 * the partner's status of the customer; asked again every 2 s until the submission has settled
 * and the status is no longer "Processing".
 */
export function TeamSubmissionResult({ view }: { view: TeamSubmissionView }) {
  const [error, setError] = useState<CommandError | null>(null);
  const awaits = teamSubmissionAwaits(view);
  const s = view.submission;

  useEffect(() => {
    if (!awaits) return;
    // One ask at a time: the next is planned when the last has answered.
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const ask = () => {
      timer = setTimeout(() => {
        refreshFollowedTeamSubmission().then(
          () => setError(null),
          (e) => setError(toCommandError(e)),
        ).finally(() => {
          if (!stopped) ask();
        });
      }, TEAM_SUBMISSION_POLL_MS);
    };
    ask();
    return () => {
      stopped = true;
      clearTimeout(timer);
    };
  }, [awaits]);

  const tone = s.state === 'sent' ? 'ok' : s.state === 'queued' || s.state === 'sending' ? 'info' : 'error';
  return (
    <section class="screen screen--narrow" aria-labelledby="submission-title">
      <h1 id="submission-title" tabIndex={-1}>
        {s.state === 'sent' ? 'Submitted through the team server' : 'Submitting through the team server'}
      </h1>
      <div class={`result result--${tone}`} data-testid="team-submission" data-state={s.state}>
        <p class="result__status" aria-live="polite" aria-atomic="true">
          <span class={`entry-state entry-state--${tone}`} data-testid="team-submission-state" data-state={s.state}>
            {view.state_words}
          </span>
          {view.customer_status !== undefined && (
            <>
              {' '}
              Status: <StatusBadge status={view.customer_status} testid="team-customer-status" />
            </>
          )}
        </p>
        <dl class="meta">
          <div>
            <dt>Version</dt>
            <dd>{s.version}</dd>
          </div>
          {s.customer_id && (
            <div>
              <dt>Customer ID</dt>
              <dd>
                <code>{s.customer_id}</code>
              </dd>
            </div>
          )}
          <div>
            <dt>Submitted by</dt>
            <dd data-testid="team-submission-by">
              {s.queued_by}, {localDateTime(s.queued_at)}
            </dd>
          </div>
        </dl>
        {s.error && (
          <p class="result__note" data-testid="team-submission-error">
            {s.error}
          </p>
        )}
        {awaits && (
          <p class="result__note" data-testid="team-submission-polling">
            <progress class="inline-progress" aria-label="Waiting for the team server" /> Checking every 2 seconds…
          </p>
        )}
        {error && <ErrorBox error={error} testid="team-submission-refresh-error" alert={false} />}
      </div>
      <div class="button-row">
        <button type="button" class="btn btn--primary" data-testid="back-to-customer" onClick={() => go('editor')}>
          Back to this customer
        </button>
        <button type="button" class="btn btn--quiet" data-testid="go-team" onClick={() => go('team')}>
          Team drafts
        </button>
      </div>
    </section>
  );
}
