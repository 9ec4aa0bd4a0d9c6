import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { ErrorBox } from '../widgets/ErrorBox';
import { useAction } from '../widgets/useAction';
import { deleteDraft, exportDraft, importDraft, listDrafts, restoreDraft, toCommandError, type CommandError } from '../ipc';
import { closeEditor, openDraftById, openDraftId, openDraftInEditor, startNewCustomer } from '../state/drafts';
import { labelForPath } from '../state/labels';
import { openDocumentsReview } from '../state/review';
import { buildRows, filterRows, LIBRARY_PAGE, targetIds, type LibraryRow } from '../state/library';
import { stateTone } from '../state/outbox';
import { go } from '../state/navigation';
import { localDateTime, relativeTime } from '../state/time';
import { showToast } from '../state/toast';
import type { DraftLibraryView, ExportedDraft, ImportReport } from '../types';
import { ExportedFile } from '../widgets/ExportedFile';

/**
 * Every draft (all environments), newest first: search, open (click or Enter), export, delete
 * with "Undo", import a portable draft file, start a new customer. Renders at most the first
 * LIBRARY_PAGE matches ("Show more"), so 10,000 drafts stay quick to filter as you type.
 */
export function DraftsLibrary() {
  const [view, setView] = useState<DraftLibraryView | null>(null);
  const [listError, setListError] = useState<CommandError | null>(null);
  const [query, setQuery] = useState('');
  const [limit, setLimit] = useState(LIBRARY_PAGE);
  const [report, setReport] = useState<{ file: string; report: ImportReport } | null>(null);
  const [exported, setExported] = useState<ExportedDraft | null>(null);
  const fileRef = useRef<HTMLInputElement>(null);
  const action = useAction((fn: () => Promise<void>) => fn());
  const busy = action.busy;
  // One error box: the latest of listing the drafts and of an action on them.
  const error = action.error ?? listError;

  const load = async () => {
    try {
      setView(await listDrafts());
      setListError(null);
    } catch (e) {
      setListError(toCommandError(e));
    }
    action.clearError();
  };
  useEffect(() => {
    void load();
  }, []);

  const rows = useMemo(() => buildRows(view?.drafts ?? []), [view]);
  const matches = useMemo(() => filterRows(rows, query), [rows, query]);
  const shown = matches.slice(0, limit);
  const now = Date.now();

  const run = (fn: () => Promise<void>) => {
    setListError(null);
    return action.run(fn);
  };

  const open = (id: string) =>
    run(async () => {
      await openDraftById(id);
      go('editor');
    });

  const remove = (r: LibraryRow) =>
    run(async () => {
      // The editor would save it again on the next edit: close it first (its edits are stored).
      if (openDraftId() === r.item.id) await closeEditor();
      await deleteDraft(r.item.id);
      setView((v) => (v ? { ...v, drafts: v.drafts.filter((d) => d.id !== r.item.id) } : v));
      showToast(`Draft deleted: ${r.name}.`, async () => {
        await restoreDraft(r.item.id);
        await load();
      });
    });

  const doExport = (r: LibraryRow) =>
    run(async () => {
      setExported(null);
      setExported(await exportDraft(r.item.id));
    });

  const onFile = (input: HTMLInputElement) => {
    const file = input.files?.[0];
    if (!file) return;
    void run(async () => {
      setReport(null);
      try {
        const text = await readText(file);
        setReport({ file: file.name, report: await importDraft(file.name, text) });
        await load();
      } finally {
        input.value = '';
      }
    });
  };

  return (
    <section class="screen" aria-labelledby="drafts-title">
      <div class="screen-head">
        <h1 id="drafts-title" tabIndex={-1}>
          Drafts
        </h1>
        <div class="button-row">
          <button
            type="button"
            class="btn btn--primary"
            data-testid="new-customer"
            onClick={() => {
              void startNewCustomer().then(() => go('editor'));
            }}
          >
            New customer
          </button>
          <label class="btn file-button" for="import-draft-input">
            Import draft file…
          </label>
          <input
            id="import-draft-input"
            ref={fileRef}
            class="visually-hidden"
            type="file"
            accept=".json,application/json"
            data-testid="import-draft-input"
            onChange={(e) => onFile(e.currentTarget)}
          />
        </div>
      </div>
      <p class="section__intro">Every change you make is kept here as a draft, per customer and environment, until it is sent.</p>

      {error && <ErrorBox error={error} testid="drafts-error" onRetry={() => void load()} />}

      {exported && <ExportedFile file={exported} label="Draft saved as" testid="export-result" />}

      {report && <ImportReportBox file={report.file} report={report.report} onOpen={() => void run(async () => { await openDraftInEditor(report.report.draft); go('editor'); })} />}

      {view && view.unreadable.length > 0 && (
        <div class="notice notice--warn" data-testid="drafts-unreadable">
          <p class="notice__title">
            {view.unreadable.length === 1 ? '1 draft cannot be opened' : `${view.unreadable.length} drafts cannot be opened`}
          </p>
          <p>
            They were sealed with a key that is no longer in the keychain, or are damaged. They are kept aside, never deleted; restoring
            the keychain entry brings them back.
          </p>
          <ul>
            {view.unreadable.map((u) => (
              <li key={u.file}>
                <code>{u.file}</code> — {u.reason}
              </li>
            ))}
          </ul>
        </div>
      )}

      <div class="library-tools">
        <label class="field__label" for="drafts-search">
          Search drafts
        </label>
        <input
          id="drafts-search"
          data-testid="drafts-search"
          class="input library-tools__search"
          type="search"
          autoComplete="off"
          spellcheck={false}
          placeholder="Name, customer ID, partner ID, environment"
          aria-describedby="drafts-count"
          value={query}
          onInput={(e) => {
            setQuery(e.currentTarget.value);
            setLimit(LIBRARY_PAGE);
          }}
          onKeyDown={(e) => {
            // Enter opens the first match (type a name, press Enter).
            if (e.key === 'Enter' && matches[0]) {
              e.preventDefault();
              void open(matches[0].item.id);
            }
          }}
        />
        <p id="drafts-count" class="library-tools__count" data-testid="drafts-count" aria-live="polite" aria-atomic="true">
          {view === null
            ? 'Loading…'
            : matches.length === rows.length
              ? countText(rows.length, shown.length)
              : `${matches.length.toLocaleString('en')} of ${rows.length.toLocaleString('en')} drafts match${shown.length < matches.length ? ` (showing ${shown.length})` : ''}`}
        </p>
      </div>

      {view && rows.length === 0 && (
        <p class="empty-note" data-testid="drafts-empty">
          No drafts yet. Open a customer and edit it, or start a new customer.
        </p>
      )}

      {shown.length > 0 && (
        <table class="env-table drafts-table" data-testid="drafts-table" aria-busy={busy ? 'true' : undefined}>
          <thead>
            <tr>
              <th scope="col">Customer</th>
              <th scope="col">Environment</th>
              <th scope="col">Last change</th>
              <th scope="col">Validity</th>
              <th scope="col">Changes</th>
              <th scope="col">Prepared by</th>
              <th scope="col">Approval</th>
              <th scope="col">Last submission</th>
              <th scope="col">
                <span class="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {shown.map((r) => (
              <tr
                key={r.item.id}
                class="drafts-table__row"
                data-testid="draft-row"
                data-id={r.item.id}
                onClick={(e) => {
                  if ((e.target as HTMLElement).closest('button, a, input')) return;
                  void open(r.item.id);
                }}
              >
                <th scope="row">
                  <button type="button" class="link-button" data-testid="draft-open" disabled={busy} onClick={() => void open(r.item.id)}>
                    <span class="drafts-table__name">{r.name}</span>
                    <code class="drafts-table__ids">{r.ids}</code>
                  </button>
                </th>
                <td>{r.item.environment}</td>
                <td title={localDateTime(r.item.updated_at)}>
                  <time dateTime={r.item.updated_at}>{relativeTime(r.item.updated_at, now)}</time>
                </td>
                <td>
                  <span class={`validity validity--${r.item.issue_count === 0 ? 'ok' : 'bad'}`} data-testid="draft-validity">
                    <span aria-hidden="true">{r.item.issue_count === 0 ? '✓ ' : '! '}</span>
                    {r.validity}
                  </span>
                </td>
                <td data-testid="draft-changes" data-pending={r.item.pending_changes}>
                  {r.item.state_summary}
                  {r.item.needs_my_review && (
                    <>
                      {' '}
                      <span class="tag tag--warn" data-testid="draft-needs-review">
                        needs your review
                      </span>
                    </>
                  )}
                </td>
                <td data-testid="draft-preparers">{r.preparers}</td>
                <td data-testid="draft-approval" data-state={r.item.approval.state}>
                  {r.approval ?? <span class="empty-note">—</span>}
                </td>
                <td>
                  {r.item.outbox ? (
                    <span class={`entry-state entry-state--${stateTone(r.item.outbox)}`} data-testid="draft-outbox" data-state={r.item.outbox.state.state}>
                      {r.outbox}
                    </span>
                  ) : (
                    <span class="empty-note">—</span>
                  )}
                </td>
                <td>
                  <span class="env-table__actions">
                    <button
                      type="button"
                      class="btn btn--small"
                      data-testid="library-review"
                      disabled={busy}
                      aria-label={`Review documents of ${r.name}`}
                      onClick={() => openDocumentsReview(r.item.id)}
                    >
                      Review documents
                    </button>
                    <button type="button" class="btn btn--small" data-testid="draft-export" disabled={busy} aria-label={`Export ${r.name}`} onClick={() => void doExport(r)}>
                      Export
                    </button>
                    <button type="button" class="btn btn--small btn--danger-quiet" data-testid="draft-delete" disabled={busy} aria-label={`Delete draft ${r.name}`} onClick={() => void remove(r)}>
                      Delete
                    </button>
                  </span>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {shown.length < matches.length && (
        <div class="button-row">
          <button type="button" class="btn" data-testid="drafts-show-more" onClick={() => setLimit((n) => n + LIBRARY_PAGE * 2)}>
            Show more ({(matches.length - shown.length).toLocaleString('en')} not shown)
          </button>
        </div>
      )}
    </section>
  );
}

/** The file's text (FileReader: everywhere WebKitGTK and the test DOM run). */
function readText(file: File): Promise<string> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(String(reader.result ?? ''));
    reader.onerror = () => reject(reader.error ?? new Error(`cannot read ${file.name}`));
    reader.readAsText(file);
  });
}

function countText(total: number, shown: number): string {
  const t = total === 1 ? '1 draft' : `${total.toLocaleString('en')} drafts`;
  return shown < total ? `${t} (showing the newest ${shown})` : t;
}

function ImportReportBox({ file, report, onOpen }: { file: string; report: ImportReport; onOpen: () => void }) {
  const d = report.draft;
  const name = d.record.business_details?.business_name_english || targetIds(d.target);
  return (
    <div class={`notice ${report.issues.length ? 'notice--warn' : 'notice--ok'}`} role="status" data-testid="import-report" data-issues={report.issues.length}>
      <p class="notice__title">
        Imported <code>{file}</code> as a draft: {name} ({d.environment})
      </p>
      {report.issues.length === 0 ? (
        <p>No problems found.</p>
      ) : (
        <>
          <p>{report.issues.length === 1 ? '1 problem to fix:' : `${report.issues.length} problems to fix:`}</p>
          <ul class="import-issues">
            {report.issues.map((i, n) => (
              <li key={n} data-testid="import-issue" data-path={i.path}>
                <strong>{labelForPath(i.path)}</strong> <code class="diff__path">{i.path}</code>: {i.message}
              </li>
            ))}
          </ul>
        </>
      )}
      {report.notes.length > 0 && (
        <ul class="import-notes" data-testid="import-notes">
          {report.notes.map((n, i) => (
            <li key={i}>{n}</li>
          ))}
        </ul>
      )}
      <p class="notice__actions">
        <button type="button" class="btn btn--small" data-testid="import-open" onClick={onOpen}>
          Open the imported draft
        </button>
      </p>
    </div>
  );
}
