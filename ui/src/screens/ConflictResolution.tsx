import { useEffect, useRef, useState } from 'preact/hooks';
import { ErrorBox } from '../widgets/ErrorBox';
import { useAction } from '../widgets/useAction';
import { diffRecord, resolveConflict } from '../ipc';
import { completeChoices, missingChoices, onlyTheirs, type Choices } from '../state/conflicts';
import { labelForPath } from '../state/labels';
import { entryById, outboxEntries, pollOutboxNow, putEntry } from '../state/outbox';
import { go } from '../state/navigation';
import { followingEntryId } from '../state/submission';
import { isTimestamp, localDateTime } from '../state/time';
import { When } from '../widgets/When';
import type { Choice, OutboxEntry } from '../types';

/**
 * The lost-update check found fields that both the server (since the draft's base) and the
 * officer changed, differently. One row per field: Base, Theirs (the server now), Mine, and a
 * radio group to keep Theirs or Mine; nothing is preselected and every row needs a choice. Fields
 * only the server changed are kept as the server has them (listed in a note).
 */
export function ConflictResolution() {
  const id = followingEntryId.value;
  outboxEntries.value; // follow polls
  const entry = entryById(id);
  const [choices, setChoices] = useState<Choices>({});
  const [missing, setMissing] = useState<string[]>([]);
  const send = useAction(async (e: OutboxEntry, complete: Record<string, Choice>) => {
    const next = await resolveConflict(e.id, complete);
    putEntry(next);
    pollOutboxNow();
    go('submission');
  });
  const { busy, error } = send;
  const [kept, setKept] = useState<string[] | null>(null);
  const errorRef = useRef<HTMLDivElement>(null);

  const conflict = entry?.state.state === 'conflict' ? entry.state : null;

  useEffect(() => {
    if (!entry || !conflict) return;
    const baseRecord = entry.base?.record ?? {};
    Promise.all([diffRecord(baseRecord, conflict.theirs), diffRecord(baseRecord, entry.record)]).then(
      ([theirs, mine]) => setKept(onlyTheirs(theirs.changes, mine.changes, conflict.conflicts)),
      () => setKept([]),
    );
  }, [entry?.id, conflict?.theirs_fetched_at]);

  if (!entry || !conflict) {
    return (
      <section class="screen screen--narrow" aria-labelledby="conflict-title">
        <h1 id="conflict-title" tabIndex={-1}>
          Resolve conflicts
        </h1>
        <p class="notice" data-testid="no-conflict">
          There is nothing to resolve for this submission any more.
        </p>
        <div class="button-row">
          <button type="button" class="btn" data-testid="go-outbox" onClick={() => go('outbox')}>
            Outbox
          </button>
          {entry && (
            <button type="button" class="btn btn--primary" data-testid="go-submission" onClick={() => go('submission')}>
              Follow the submission
            </button>
          )}
        </div>
      </section>
    );
  }

  const rows = conflict.conflicts;
  const chosen = rows.length - missingChoices(rows, choices).length;

  const choose = (path: string, c: Choice) => {
    setChoices((prev) => ({ ...prev, [path]: c }));
    setMissing((prev) => prev.filter((p) => p !== path));
  };

  const apply = async (e: OutboxEntry) => {
    const complete = completeChoices(rows, choices);
    if (!complete) {
      const left = missingChoices(rows, choices);
      setMissing(left);
      send.clearError();
      requestAnimationFrame(() => {
        errorRef.current?.focus();
      });
      return;
    }
    await send.run(e, complete);
  };

  const who = entry.target.kind === 'update' ? entry.target.customer_id : entry.target.partner_customer_id;

  return (
    <section class="screen" aria-labelledby="conflict-title">
      <h1 id="conflict-title" tabIndex={-1}>
        Resolve conflicts — {entry.record.business_details?.business_name_english || who}
      </h1>
      <p class="notice notice--warn" id="conflict-intro">
        Someone changed {rows.length === 1 ? 'a field' : `${rows.length} fields`} at the partner that you also changed, since your draft
        started{entry.base ? ` (${localDateTime(entry.base.fetched_at)})` : ''}. For each, keep the server’s value (Theirs) or yours
        (Mine); nothing is sent until every field has a choice. Server values as of {localDateTime(conflict.theirs_fetched_at)}.
      </p>

      {missing.length > 0 && (
        <div class="notice notice--error" role="alert" tabIndex={-1} ref={errorRef} data-testid="conflict-missing">
          <p class="notice__title">
            Choose Theirs or Mine for {missing.length === 1 ? '1 more field' : `${missing.length} more fields`}:
          </p>
          <ul>
            {missing.map((p) => (
              <li key={p}>
                <a
                  href={`#choice-${rowIndex(rows, p)}-theirs`}
                  onClick={(ev) => {
                    ev.preventDefault();
                    document.getElementById(`choice-${rowIndex(rows, p)}-theirs`)?.focus();
                  }}
                >
                  {labelForPath(p)}
                </a>
              </li>
            ))}
          </ul>
        </div>
      )}

      <table class="diff conflict-table" data-testid="conflict-table" aria-describedby="conflict-intro">
        <caption class="diff__caption" data-testid="conflict-progress">
          {chosen} of {rows.length} chosen
        </caption>
        <thead>
          <tr>
            <th scope="col">Field</th>
            <th scope="col">Base</th>
            <th scope="col">Theirs (server now)</th>
            <th scope="col">Mine</th>
            <th scope="col">Keep</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((c, i) => {
            const label = labelForPath(c.path);
            const isMissing = missing.includes(c.path);
            const value = choices[c.path];
            return (
              <tr key={c.path} class={isMissing ? 'conflict-row--missing' : undefined} data-testid="conflict-row" data-path={c.path} data-choice={value ?? ''}>
                <th scope="row">
                  <span class="diff__label" id={`conflict-${i}-label`}>
                    {label}
                  </span>
                  <code class="diff__path">{c.path}</code>
                </th>
                <td>
                  <Value v={c.base} />
                </td>
                <td class={value === 'theirs' ? 'conflict__kept' : undefined}>
                  <Value v={c.theirs} />
                </td>
                <td class={value === 'mine' ? 'conflict__kept' : undefined}>
                  <Value v={c.mine} />
                </td>
                <td>
                  <fieldset class="choice-group" aria-describedby={isMissing ? `conflict-${i}-missing` : undefined}>
                    <legend class="visually-hidden">Keep which value of {label}?</legend>
                    {(['theirs', 'mine'] as const).map((k) => (
                      <label key={k} class="radio choice-group__option">
                        <input
                          type="radio"
                          id={`choice-${i}-${k}`}
                          name={`conflict-choice-${i}`}
                          value={k}
                          checked={value === k}
                          data-testid={`conflict-choice-${k}`}
                          aria-invalid={isMissing ? 'true' : undefined}
                          onChange={() => choose(c.path, k)}
                        />
                        {k === 'theirs' ? 'Theirs' : 'Mine'}
                      </label>
                    ))}
                    {isMissing && (
                      <span class="field__errors" id={`conflict-${i}-missing`}>
                        Choose one
                      </span>
                    )}
                  </fieldset>
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>

      <div class="notice" data-testid="conflict-kept">
        {kept === null ? (
          <p class="loading">Checking what else changed on the server…</p>
        ) : kept.length === 0 ? (
          <p>No other field changed on the server.</p>
        ) : (
          <>
            <p>Changed only on the server, and kept as the server has {kept.length === 1 ? 'it' : 'them'}:</p>
            <ul class="kept-list">
              {kept.map((p) => (
                <li key={p} data-path={p}>
                  {labelForPath(p)} <code class="diff__path">{p}</code>
                </li>
              ))}
            </ul>
          </>
        )}
      </div>

      {error && <ErrorBox error={error} env={entry.environment} testid="conflict-error" onRetry={() => void apply(entry)} />}

      <div class="button-row">
        <button type="button" class="btn" data-testid="conflict-back" onClick={() => go('outbox')}>
          Decide later
        </button>
        <button type="button" class="btn btn--primary" data-testid="apply-choices" disabled={busy} onClick={() => void apply(entry)}>
          {busy ? 'Sending…' : 'Apply choices and send'}
        </button>
      </div>
    </section>
  );
}

const rowIndex = (rows: readonly { path: string }[], path: string) => rows.findIndex((r) => r.path === path);

/** A conflicting field's value as text (a timestamp in local time), or "(empty)". */
export function Value({ v }: { v: string | null | undefined }) {
  if (v === undefined || v === null || v === '') {
    return (
      <span class="diff__empty">
        <span aria-hidden="true">—</span>
        <span class="visually-hidden">(empty)</span>
      </span>
    );
  }
  return <span class="diff__value conflict__value">{isTimestamp(v) ? <When value={v} as="record" /> : v}</span>;
}
