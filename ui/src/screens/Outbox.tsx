import { ErrorBox } from '../widgets/ErrorBox';
import { useAction } from '../widgets/useAction';
import { cancelOutboxEntry } from '../ipc';
import { targetIds } from '../state/library';
import {
  canCancel,
  canRetry,
  online,
  outboxEntries,
  outboxError,
  pollOutboxNow,
  removeEntry,
  settledNotListed,
  stateIcon,
  stateLabel,
  stateTone,
} from '../state/outbox';
import { go } from '../state/navigation';
import { activeEnvironment } from '../state/session';
import { followingEntryId, retryEntry, showConflict, showRejected } from '../state/submission';
import { localDateTime, relativeTime } from '../state/time';
import type { OutboxEntry } from '../types';

/**
 * Every queued submission, in queue order: customer, state, attempts, last error, when queued;
 * Retry / Cancel, and the way on for entries waiting for the officer (resolve a conflict, fix a
 * rejected draft). Entries are sent in order per customer; a blocked one holds back later ones.
 */
export function Outbox() {
  const entries = outboxEntries.value;
  const env = activeEnvironment.value;
  const now = Date.now();
  // `id` names the entry whose button shows the run in flight.
  const { run, error, busyKey: busy } = useAction((_id: string, fn: () => Promise<void>) => fn(), { key: (id) => id });

  const sorted = [...entries].sort((a, b) => a.sequence - b.sequence);

  return (
    <section class="screen" aria-labelledby="outbox-title">
      <h1 id="outbox-title" tabIndex={-1}>
        Outbox
      </h1>
      <p class="section__intro">
        Submissions wait here until the partner accepts them; they are sent automatically
        {online.value === false ? ` as soon as ${env?.name ?? 'the partner'} can be reached (offline now)` : ''}, retried when the network
        fails, and never sent twice.
      </p>
      {outboxError.value && <ErrorBox error={outboxError.value} testid="outbox-error" onRetry={pollOutboxNow} />}
      {error && <ErrorBox error={error} testid="outbox-action-error" />}
      {sorted.length === 0 ? (
        <p class="empty-note" data-testid="outbox-empty">
          Nothing queued.
        </p>
      ) : (
        <table class="env-table outbox-table" data-testid="outbox-table">
          <thead>
            <tr>
              <th scope="col">Customer</th>
              <th scope="col">State</th>
              <th scope="col">Attempts</th>
              <th scope="col">Last error</th>
              <th scope="col">Queued</th>
              <th scope="col">
                <span class="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {sorted.map((e) => (
              <tr key={e.id} data-testid="outbox-entry" data-id={e.id} data-state={e.state.state}>
                <th scope="row">
                  <span class="drafts-table__name">{nameOf(e)}</span>
                  <code class="drafts-table__ids">{e.state.state === 'sent' ? e.state.customer.customer_id : targetIds(e.target)}</code>
                  <span class="drafts-table__env">{e.environment}</span>
                </th>
                <td>
                  <span class={`entry-state entry-state--${stateTone(e)}`} data-testid="outbox-entry-state" data-state={e.state.state}>
                    <span aria-hidden="true">{stateIcon(e)} </span>
                    {stateLabel(e)}
                  </span>
                </td>
                <td data-testid="outbox-entry-attempts">{e.attempts}</td>
                <td class="outbox-table__error">{e.state.state === 'failed' ? e.state.error.message : (e.last_error?.message ?? '—')}</td>
                <td title={localDateTime(e.queued_at)}>
                  <time dateTime={e.queued_at}>{relativeTime(e.queued_at, now)}</time>
                </td>
                <td>
                  <span class="env-table__actions">
                    {e.state.state === 'conflict' && (
                      <button type="button" class="btn btn--small btn--primary" data-testid="outbox-resolve" onClick={() => showConflict(e)}>
                        Resolve…
                      </button>
                    )}
                    {e.state.state === 'rejected' && (
                      <button type="button" class="btn btn--small btn--primary" data-testid="outbox-fix" disabled={busy !== null} onClick={() => void run(e.id, () => showRejected(e))}>
                        Fix in editor
                      </button>
                    )}
                    {(e.state.state === 'sent' || e.state.state === 'sending' || e.state.state === 'queued' || e.state.state === 'waiting_retry') && (
                      <button
                        type="button"
                        class="btn btn--small"
                        data-testid="outbox-follow"
                        onClick={() => {
                          followingEntryId.value = e.id;
                          go('submission');
                        }}
                      >
                        Details
                      </button>
                    )}
                    {canRetry(e) && (
                      <button type="button" class="btn btn--small" data-testid="outbox-retry" disabled={busy !== null} onClick={() => void run(e.id, async () => void (await retryEntry(e.id)))}>
                        {busy === e.id ? 'Retrying…' : 'Retry'}
                      </button>
                    )}
                    {canCancel(e) && (
                      <button
                        type="button"
                        class="btn btn--small btn--danger-quiet"
                        data-testid="outbox-cancel"
                        disabled={busy !== null}
                        aria-label={`Cancel the submission of ${nameOf(e)}`}
                        onClick={() =>
                          void run(e.id, async () => {
                            await cancelOutboxEntry(e.id);
                            removeEntry(e.id);
                            pollOutboxNow();
                          })
                        }
                      >
                        Cancel
                      </button>
                    )}
                  </span>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {settledNotListed.value > 0 && (
        <p class="empty-note" data-testid="outbox-older">
          {settledNotListed.value === 1 ? '1 older sent submission is' : `${settledNotListed.value} older sent submissions are`} not
          listed; the Audit screen has every submission.
        </p>
      )}
    </section>
  );
}

function nameOf(e: OutboxEntry): string {
  return e.record.business_details?.business_name_english || (e.target.kind === 'create' ? 'New customer' : e.target.customer_id);
}
