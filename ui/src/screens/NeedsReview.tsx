import { useEffect, useMemo, useState } from 'preact/hooks';
import { ErrorBox } from '../widgets/ErrorBox';
import { listDrafts, toCommandError, type CommandError } from '../ipc';
import { buildRows } from '../state/library';
import { go } from '../state/navigation';
import { activeProfile } from '../state/profiles';
import { openDocumentsReview } from '../state/review';
import { localDateTime, relativeTime } from '../state/time';
import type { DraftLibraryView } from '../types';

/**
 * "Needs review": the changes waiting for an approval the person working now may give (they did
 * not prepare them), in every environment that requires approval. Which ones is Rust's rule
 * (`needs_my_review` of `list_drafts`); this screen lists them with the way to review each.
 */
export function NeedsReview() {
  const profile = activeProfile.value;
  const [view, setView] = useState<DraftLibraryView | null>(null);
  const [error, setError] = useState<CommandError | null>(null);

  const load = async () => {
    try {
      setView(await listDrafts());
      setError(null);
    } catch (e) {
      setError(toCommandError(e));
    }
  };
  // Again when someone else starts working: who may approve what changes with the profile.
  useEffect(() => {
    void load();
  }, [profile]);

  const rows = useMemo(() => buildRows((view?.drafts ?? []).filter((d) => d.needs_my_review)), [view]);
  const now = Date.now();

  return (
    <section class="screen" aria-labelledby="needs-review-title">
      <div class="screen-head">
        <h1 id="needs-review-title" tabIndex={-1}>
          Needs review
        </h1>
        <div class="button-row">
          <button type="button" class="btn" data-testid="needs-review-refresh" onClick={() => void load()}>
            Refresh
          </button>
        </div>
      </div>
      <p class="section__intro">
        Changes prepared by someone else, in an environment that requires approval, that {profile ? <strong>{profile}</strong> : 'you'} may
        review and approve.
      </p>
      {error && <ErrorBox error={error} testid="needs-review-error" onRetry={() => void load()} />}
      {!profile && (
        <p class="notice" data-testid="needs-review-no-profile">
          Choose who is working first: whether you may approve a change depends on who prepared it.
        </p>
      )}
      {view && profile && rows.length === 0 && (
        <p class="empty-note" data-testid="needs-review-empty">
          Nothing waits for your review.
        </p>
      )}
      {rows.length > 0 && (
        <table class="env-table drafts-table" data-testid="needs-review-table">
          <thead>
            <tr>
              <th scope="col">Customer</th>
              <th scope="col">Environment</th>
              <th scope="col">Prepared by</th>
              <th scope="col">Changes</th>
              <th scope="col">Last change</th>
              <th scope="col">
                <span class="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr key={r.item.id} data-testid="needs-review-row" data-id={r.item.id}>
                <th scope="row">
                  <span class="drafts-table__name">{r.name}</span> <code class="drafts-table__ids">{r.ids}</code>
                </th>
                <td>{r.item.environment}</td>
                <td data-testid="needs-review-preparers">{r.preparers}</td>
                <td>
                  {r.item.state_summary}
                  {r.item.issue_count > 0 && <> · {r.validity}</>}
                </td>
                <td title={localDateTime(r.item.updated_at)}>
                  <time dateTime={r.item.updated_at}>{relativeTime(r.item.updated_at, now)}</time>
                </td>
                <td>
                  <button
                    type="button"
                    class="btn btn--small btn--primary"
                    data-testid="needs-review-open"
                    aria-label={`Review documents of ${r.name}`}
                    onClick={() => openDocumentsReview(r.item.id)}
                  >
                    Review documents
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <div class="button-row">
        <button type="button" class="btn btn--quiet" onClick={() => go('drafts')}>
          All drafts
        </button>
      </div>
    </section>
  );
}
