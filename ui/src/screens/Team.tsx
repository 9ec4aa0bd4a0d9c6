import { useEffect, useRef, useState } from 'preact/hooks';
import { teamAssignToMe, teamDrafts, toCommandError, type CommandError } from '../ipc';
import type { TeamDraftRow } from '../bindings/TeamDraftRow';
import type { TeamQueue } from '../bindings/TeamQueue';
import { targetIds } from '../state/library';
import { go } from '../state/navigation';
import { isTeamReviewer, refreshTeamStatus, teamSignedIn, teamStatus } from '../state/team';
import { openTeamDraft, reviewTeamDraft } from '../state/teamDrafts';
import { ErrorBox } from '../widgets/ErrorBox';
import { useAction } from '../widgets/useAction';
import { StartTeamDraft } from './team/StartTeamDraft';
import { TeamStatusRegion } from './team/TeamStatusRegion';
import { TeamConflict } from './team/TeamConflict';
import { TeamTrail } from './team/TeamTrail';

const TABS: readonly { queue: TeamQueue; label: string; testid: string }[] = [
  { queue: 'waiting_for_my_review', label: 'Waiting for my review', testid: 'team-tab-waiting' },
  { queue: 'mine', label: 'Mine', testid: 'team-tab-mine' },
  { queue: 'all', label: 'All', testid: 'team-tab-all' },
];

/** A row's panel below the table: its trail or its merge. */
type Panel = { kind: 'trail' | 'merge'; localId: string; title: string } | null;

/**
 * The team's drafts (team mode): the queues "Waiting for my review" (first for a reviewer),
 * "Mine" and "All" as tabs; per draft who prepared, approved, is assigned and working now, its
 * submission and this desktop's side (edits not pushed yet, a merge to make); open it in the
 * editor, review its documents, assign it to me, read its trail, merge. And "Start a team draft".
 */
/** How often the shown queue is asked again. */
export const TEAM_LIST_REFRESH_MS = 5_000;

export function Team() {
  const status = teamStatus.value;
  const person = teamSignedIn.value;
  const [queue, setQueue] = useState<TeamQueue>(isTeamReviewer.peek() ? 'waiting_for_my_review' : 'mine');
  const [rows, setRows] = useState<TeamDraftRow[] | null>(null);
  const [listError, setListError] = useState<CommandError | null>(null);
  const [panel, setPanel] = useState<Panel>(null);
  const [notice, setNotice] = useState('');
  const tabRefs = useRef<(HTMLButtonElement | null)[]>([]);
  const asked = useRef(0);
  const action = useAction((fn: () => Promise<unknown>) => fn());

  const load = async (q: TeamQueue = queue) => {
    const mine = ++asked.current;
    setListError(null);
    try {
      const answer = await teamDrafts(q);
      if (mine === asked.current) setRows(answer);
    } catch (e) {
      if (mine === asked.current) setListError(toCommandError(e));
    }
  };
  useEffect(() => {
    setRows(null);
    void load(queue);
  }, [queue, person?.name]);
  // Others push, approve and submit meanwhile: the list follows while it is shown (quietly: the
  // rows are replaced in place, focus and the open panel stay).
  useEffect(() => {
    const timer = setInterval(() => void load(queue), TEAM_LIST_REFRESH_MS);
    return () => clearInterval(timer);
  }, [queue]);

  const chooseTab = (index: number, focus: boolean) => {
    const tab = TABS[(index + TABS.length) % TABS.length]!;
    setQueue(tab.queue);
    if (focus) tabRefs.current[TABS.indexOf(tab)]?.focus();
  };
  const onTabKey = (e: KeyboardEvent, index: number) => {
    const moves: Record<string, number> = { ArrowRight: index + 1, ArrowLeft: index - 1, Home: 0, End: TABS.length - 1 };
    const to = moves[e.key];
    if (to === undefined) return;
    e.preventDefault();
    chooseTab(to, true);
  };

  const run = (fn: () => Promise<unknown>) => {
    setNotice('');
    return action.run(fn);
  };
  const assign = (r: TeamDraftRow) =>
    run(async () => {
      await teamAssignToMe(r.summary.id);
      setNotice(`${titleOf(r)} is assigned to you.`);
      await load();
    });
  const showPanel = (p: Panel) => {
    setPanel(p);
    if (p) requestAnimationFrame(() => document.getElementById(p.kind === 'trail' ? 'team-trail' : 'team-conflict')?.focus());
  };

  if (!status?.server_url) {
    return (
      <section class="screen screen--narrow" aria-labelledby="team-title">
        <h1 id="team-title" tabIndex={-1}>
          Team
        </h1>
        <p class="notice" data-testid="team-solo">
          This desktop works solo. Connect it to a team server in Settings → Team.
        </p>
        <div class="button-row">
          <button type="button" class="btn btn--primary" onClick={() => go('settings')}>
            Open Settings
          </button>
        </div>
      </section>
    );
  }

  return (
    <section class="screen" aria-labelledby="team-title">
      <div class="screen-head">
        <h1 id="team-title" tabIndex={-1}>
          Team
        </h1>
        <p class="team-who" data-testid="team-who">
          {person ? (
            <>
              Signed in as <strong>{person.name}</strong>
              {person.roles.length > 0 ? ` (${person.roles.join(', ')})` : ''}
            </>
          ) : (
            <>
              Not signed in.{' '}
              <button type="button" class="link-button" data-testid="team-go-sign-in" onClick={() => go('settings')}>
                Sign in in Settings
              </button>
            </>
          )}
        </p>
      </div>
      <TeamStatusRegion status={status} />
      <p class="visually-hidden" aria-live="polite" data-testid="team-notice">
        {notice}
      </p>
      {notice && (
        <p class="notice notice--ok" aria-hidden="true">
          {notice}
        </p>
      )}

      <StartTeamDraft />

      <div role="tablist" aria-label="Team drafts" class="tabs" data-testid="team-tabs">
        {TABS.map((t, i) => (
          <button
            key={t.queue}
            type="button"
            role="tab"
            id={`team-tab-${t.queue}`}
            ref={(el) => {
              tabRefs.current[i] = el;
            }}
            class={`tabs__tab${queue === t.queue ? ' tabs__tab--current' : ''}`}
            data-testid={t.testid}
            aria-selected={queue === t.queue ? 'true' : 'false'}
            aria-controls="team-queue"
            tabIndex={queue === t.queue ? 0 : -1}
            onClick={() => chooseTab(i, false)}
            onKeyDown={(e) => onTabKey(e, i)}
          >
            {t.label}
          </button>
        ))}
      </div>
      <div role="tabpanel" id="team-queue" class="tabs__panel" aria-labelledby={`team-tab-${queue}`} data-testid="team-queue" data-queue={queue}>
        {listError && <ErrorBox error={listError} testid="team-list-error" onRetry={() => void load()} />}
        {action.error && <ErrorBox error={action.error} testid="team-action-error" />}
        {rows === null && !listError && <p class="loading">Asking the team server…</p>}
        {rows !== null && rows.length === 0 && (
          <p class="empty-note" data-testid="team-empty">
            {queue === 'waiting_for_my_review' ? 'Nothing waits for your review.' : queue === 'mine' ? 'No team drafts of yours.' : 'No team drafts yet.'}
          </p>
        )}
        {rows !== null && rows.length > 0 && (
          <table class="env-table team-table" data-testid="team-table" aria-busy={action.busy ? 'true' : undefined}>
            <thead>
              <tr>
                <th scope="col">Customer</th>
                <th scope="col">Environment</th>
                <th scope="col">Version</th>
                <th scope="col">Prepared by</th>
                <th scope="col">Approved by</th>
                <th scope="col">Assigned to</th>
                <th scope="col">Working now</th>
                <th scope="col">Submission</th>
                <th scope="col">This desktop</th>
                <th scope="col">
                  <span class="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {rows.map((r) => (
                <Row
                  key={r.summary.id}
                  row={r}
                  busy={action.busy}
                  onOpen={() => void run(() => openTeamDraft(r.summary.id))}
                  onReview={() => void run(() => reviewTeamDraft(r.summary.id))}
                  onAssign={() => void assign(r)}
                  onTrail={(localId) => showPanel({ kind: 'trail', localId, title: titleOf(r) })}
                  onMerge={(localId) => showPanel({ kind: 'merge', localId, title: titleOf(r) })}
                />
              ))}
            </tbody>
          </table>
        )}
      </div>

      {panel?.kind === 'trail' && <TeamTrail localId={panel.localId} title={panel.title} onClose={() => setPanel(null)} />}
      {panel?.kind === 'merge' && (
        <TeamConflict
          localId={panel.localId}
          title={panel.title}
          onDone={(message) => {
            setPanel(null);
            if (message) setNotice(message);
            void load();
            void refreshTeamStatus();
          }}
        />
      )}
    </section>
  );
}

const titleOf = (r: TeamDraftRow) => targetIds(r.summary.target);
const names = (list: readonly string[]) => (list.length > 0 ? list.join(', ') : '—');

function Row(p: {
  row: TeamDraftRow;
  busy: boolean;
  onOpen: () => void;
  onReview: () => void;
  onAssign: () => void;
  onTrail: (localId: string) => void;
  onMerge: (localId: string) => void;
}) {
  const { summary: s, local_id: localId } = p.row;
  const title = titleOf(p.row);
  return (
    <tr data-testid="team-row" data-team-id={s.id} data-local-id={localId ?? ''} data-conflict={p.row.conflict ? 'true' : undefined}>
      <th scope="row">
        <code>{title}</code>
      </th>
      <td>{p.row.environment}</td>
      <td data-testid="team-version">{s.version}</td>
      <td>{names(s.preparers)}</td>
      <td data-testid="team-approved-by">{names(s.approved_by)}</td>
      <td data-testid="team-assigned-to">{s.assigned_to ?? '—'}</td>
      <td>{names(s.working_now)}</td>
      <td data-testid="team-row-submission" data-state={s.submission?.state ?? ''}>
        {s.submission ? s.submission.state : '—'}
      </td>
      <td data-testid="team-row-local">
        {p.row.conflict ? (
          <span class="tag tag--warn">needs merge</span>
        ) : p.row.unpushed ? (
          <span class="tag">unpushed edits</span>
        ) : localId ? (
          'in sync'
        ) : (
          <span class="empty-note">not here</span>
        )}
      </td>
      <td>
        <span class="env-table__actions">
          <button type="button" class="btn btn--small" data-testid="team-open" disabled={p.busy} aria-label={`Open ${title}`} onClick={p.onOpen}>
            Open
          </button>
          <button type="button" class="btn btn--small" data-testid="team-review" disabled={p.busy} aria-label={`Review documents of ${title}`} onClick={p.onReview}>
            Review documents
          </button>
          <button type="button" class="btn btn--small" data-testid="team-assign" disabled={p.busy} aria-label={`Assign ${title} to me`} onClick={p.onAssign}>
            Assign to me
          </button>
          {localId && (
            <button type="button" class="btn btn--small btn--quiet" data-testid="team-trail-open" aria-label={`Trail of ${title}`} onClick={() => p.onTrail(localId)}>
              Trail
            </button>
          )}
          {localId && p.row.conflict && (
            <button type="button" class="btn btn--small btn--primary" data-testid="team-merge" aria-label={`Merge ${title}`} onClick={() => p.onMerge(localId)}>
              Merge
            </button>
          )}
        </span>
      </td>
    </tr>
  );
}
