import { useEffect, useRef, useState } from 'preact/hooks';
import { teamConflict, teamResolveConflict, toCommandError, type CommandError } from '../../ipc';
import type { TeamConflictView } from '../../bindings/TeamConflictView';
import { completeChoices, missingChoices, type Choices } from '../../state/conflicts';
import { labelForPath } from '../../state/labels';
import { refreshTeamStatus } from '../../state/team';
import type { Choice } from '../../types';
import { ErrorBox } from '../../widgets/ErrorBox';
import { useAction } from '../../widgets/useAction';
import { Value } from '../ConflictResolution';

/**
 * Someone else changed a team draft first, and some fields this desktop also changed: for each,
 * keep mine or theirs (the team's version); "Keep these choices" makes the merged record the
 * local copy's next revision, pushed on top of the team's version by the sync.
 */
export function TeamConflict({ localId, title, onDone }: { localId: string; title: string; onDone: (message: string | null) => void }) {
  const [view, setView] = useState<TeamConflictView | null>(null);
  const [loadError, setLoadError] = useState<CommandError | null>(null);
  const [choices, setChoices] = useState<Choices>({});
  const [missing, setMissing] = useState<string[]>([]);
  const missingRef = useRef<HTMLDivElement>(null);
  const resolve = useAction(async (complete: Record<string, Choice>) => {
    await teamResolveConflict(localId, complete);
    void refreshTeamStatus();
    onDone(`Merged ${title}: the sync sends it to the team server.`);
  });

  const load = async () => {
    setLoadError(null);
    try {
      setView(await teamConflict(localId));
    } catch (e) {
      setLoadError(toCommandError(e));
    }
  };
  useEffect(() => {
    setView(null);
    setChoices({});
    setMissing([]);
    void load();
  }, [localId]);

  const rows = view?.conflicts ?? [];
  const keep = () => {
    const complete = completeChoices(rows, choices);
    if (!complete) {
      setMissing(missingChoices(rows, choices));
      requestAnimationFrame(() => missingRef.current?.focus());
      return;
    }
    void resolve.run(complete);
  };

  return (
    <section class="panel" aria-labelledby="team-conflict-title" data-testid="team-conflict" tabIndex={-1} id="team-conflict">
      <h2 class="h2" id="team-conflict-title">
        Merge — {title}
      </h2>
      {loadError && <ErrorBox error={loadError} testid="team-conflict-error" onRetry={() => void load()} />}
      {view === null && !loadError && <p class="loading">Comparing with the team&rsquo;s version…</p>}
      {view && (
        <>
          <p class="notice notice--warn" id="team-conflict-intro">
            {view.updated_by} changed {rows.length === 1 ? 'a field' : `${rows.length} fields`} you also changed. For each, keep theirs
            (the team&rsquo;s version) or mine.
            {view.taken_from_theirs.length > 0 &&
              ` Their other changes are already in your copy: ${view.taken_from_theirs.map(labelForPath).join(', ')}.`}
          </p>
          {missing.length > 0 && (
            <div class="notice notice--error" role="alert" tabIndex={-1} ref={missingRef} data-testid="team-conflict-missing">
              Choose Theirs or Mine for: {missing.map(labelForPath).join(', ')}.
            </div>
          )}
          <table class="diff conflict-table" aria-describedby="team-conflict-intro">
            <thead>
              <tr>
                <th scope="col">Field</th>
                <th scope="col">Theirs (team)</th>
                <th scope="col">Mine</th>
                <th scope="col">Keep</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((c, i) => {
                const label = labelForPath(c.path);
                const value = choices[c.path];
                const isMissing = missing.includes(c.path);
                return (
                  <tr key={c.path} data-testid="team-conflict-row" data-path={c.path} data-choice={value ?? ''}>
                    <th scope="row">
                      <span class="diff__label">{label}</span>
                      <code class="diff__path">{c.path}</code>
                    </th>
                    <td class={value === 'theirs' ? 'conflict__kept' : undefined}>
                      <Value v={c.theirs} />
                    </td>
                    <td class={value === 'mine' ? 'conflict__kept' : undefined}>
                      <Value v={c.mine} />
                    </td>
                    <td>
                      <fieldset class="choice-group">
                        <legend class="visually-hidden">Keep which value of {label}?</legend>
                        {(['theirs', 'mine'] as const).map((k) => (
                          <label key={k} class="radio choice-group__option">
                            <input
                              type="radio"
                              name={`team-conflict-${i}`}
                              value={k}
                              checked={value === k}
                              data-testid={`team-conflict-${k}`}
                              aria-invalid={isMissing ? 'true' : undefined}
                              onChange={() => {
                                setChoices((prev) => ({ ...prev, [c.path]: k }));
                                setMissing((prev) => prev.filter((p) => p !== c.path));
                              }}
                            />
                            {k === 'theirs' ? 'Theirs' : 'Mine'}
                          </label>
                        ))}
                      </fieldset>
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </>
      )}
      {resolve.error && <ErrorBox error={resolve.error} testid="team-resolve-error" />}
      <div class="button-row">
        <button type="button" class="btn" data-testid="team-conflict-later" onClick={() => onDone(null)}>
          Decide later
        </button>
        <button type="button" class="btn btn--primary" data-testid="team-conflict-keep" disabled={!view || resolve.busy} onClick={keep}>
          {resolve.busy ? 'Merging…' : 'Keep these choices'}
        </button>
      </div>
    </section>
  );
}
