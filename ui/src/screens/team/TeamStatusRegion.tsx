import type { TeamStatus } from '../../bindings/TeamStatus';

/**
 * The server's problem, the team trail's check against this desktop's kept checkpoint (an alert
 * when it does not hold), unpushed edits and merges waiting, read out politely when they change.
 */
export function TeamStatusRegion({ status }: { status: TeamStatus }) {
  const parts: string[] = [];
  if (status.unpushed > 0) parts.push(status.unpushed === 1 ? '1 draft has edits not on the team server yet' : `${status.unpushed} drafts have edits not on the team server yet`);
  if (status.conflicts > 0) parts.push(status.conflicts === 1 ? '1 draft needs a merge' : `${status.conflicts} drafts need a merge`);
  return (
    <div role="status" aria-live="polite" data-testid="team-status" data-unpushed={status.unpushed} data-conflicts={status.conflicts}>
      {status.problem && (
        <p class="notice notice--warn" data-testid="team-problem">
          The team server cannot be used just now: {status.problem}
        </p>
      )}
      {status.trail_broken ? (
        <p class="notice notice--error" role="alert" data-testid="team-trail-check" data-broken="true">
          {status.trail}
        </p>
      ) : (
        status.trail && (
          <p class="empty-note" data-testid="team-trail-check">
            {status.trail}
          </p>
        )
      )}
      {parts.length > 0 ? (
        <p data-testid="team-pending">{parts.join('; ')}.</p>
      ) : (
        <p class="empty-note" data-testid="team-pending">
          Everything on this desktop is on the team server.
        </p>
      )}
    </div>
  );
}
