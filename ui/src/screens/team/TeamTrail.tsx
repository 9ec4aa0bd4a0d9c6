import { useEffect, useState } from 'preact/hooks';
import { teamTrail, toCommandError, type CommandError } from '../../ipc';
import type { TeamTrailEntry } from '../../bindings/TeamTrailEntry';
import { localDateTime } from '../../state/time';
import { ErrorBox } from '../../widgets/ErrorBox';

/**
 * The team's audit trail of one team draft (every desktop reads the same one, checked by Rust
 * against the checkpoint this desktop kept): who did what, when, with each entry's chain hash.
 */
export function TeamTrail({ localId, title, onClose }: { localId: string; title: string; onClose: () => void }) {
  const [entries, setEntries] = useState<TeamTrailEntry[] | null>(null);
  const [error, setError] = useState<CommandError | null>(null);

  const load = async () => {
    setError(null);
    try {
      setEntries(await teamTrail(localId));
    } catch (e) {
      setError(toCommandError(e));
    }
  };
  useEffect(() => {
    setEntries(null);
    void load();
  }, [localId]);

  return (
    <section class="panel" aria-labelledby="team-trail-title" data-testid="team-trail" tabIndex={-1} id="team-trail">
      <h2 class="h2" id="team-trail-title">
        Team trail — {title}
      </h2>
      {error && <ErrorBox error={error} testid="team-trail-error" onRetry={() => void load()} />}
      {entries === null && !error && <p class="loading">Reading the team&rsquo;s trail…</p>}
      {entries !== null && entries.length === 0 && <p class="empty-note">Nothing recorded for this draft yet.</p>}
      {entries !== null && entries.length > 0 && (
        <ol class="team-trail">
          {entries.map((e) => (
            <li key={e.seq} data-testid="team-trail-entry" data-seq={e.seq} data-hash={e.hash}>
              <time dateTime={e.at}>{localDateTime(e.at)}</time> — <strong>{e.actor}</strong>: {words(e.action)}
              <code class="team-trail__hash" title={`Entry ${e.seq}, chain hash ${e.hash}`}>
                #{e.seq} {e.hash.slice(0, 12)}
              </code>
            </li>
          ))}
        </ol>
      )}
      <div class="button-row">
        <button type="button" class="btn" data-testid="team-trail-close" onClick={onClose}>
          Close the trail
        </button>
      </div>
    </section>
  );
}

/** `draft_pushed` → "draft pushed": the server's action names, readable (not a translation). */
const words = (action: string) => action.replace(/[_.]/g, ' ');
