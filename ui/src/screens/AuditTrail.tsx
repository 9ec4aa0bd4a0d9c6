import { useEffect, useRef, useState } from 'preact/hooks';
import { ErrorBox } from '../widgets/ErrorBox';
import { useAction } from '../widgets/useAction';
import { auditLog, exportAudit, toCommandError, type CommandError } from '../ipc';
import {
  auditCustomer,
  auditType,
  changesOf,
  customerText,
  entryKey,
  eventTypeLabel,
  fieldLabelOf,
  filterOf,
  type AuditEventType,
} from '../state/audit';
import { formatRecordValue, localDateTime } from '../state/time';
import type { AuditView, ChainReport, ExportedDraft } from '../types';
import { ExportedFile } from '../widgets/ExportedFile';

/**
 * The audit trail (`audit_log`), newest first: whether the hash chain is intact, filters by
 * customer and event type, each entry in the back end's words with its hash, and "Export JSON".
 */
export function AuditTrail() {
  const customer = auditCustomer.value;
  const type = auditType.value;
  const [view, setView] = useState<AuditView | null>(null);
  const [error, setError] = useState<CommandError | null>(null);
  const [exported, setExported] = useState<ExportedDraft | null>(null);
  const asked = useRef(0);

  const load = async () => {
    const mine = ++asked.current;
    try {
      const v = await auditLog(filterOf(customer, type));
      if (mine !== asked.current) return;
      setView(v);
      setError(null);
    } catch (e) {
      if (mine === asked.current) setError(toCommandError(e));
    }
  };
  useEffect(() => {
    void load();
  }, [customer, type]);

  const exportTrail = useAction(async () => {
    setExported(null);
    setExported(await exportAudit(filterOf(customer, type)));
  });
  const { run: doExport, busy, error: exportError } = exportTrail;

  // The selected customer stays listed even before the trail has an entry for it.
  const customers = view ? [...new Set([...view.customers, ...(customer ? [customer] : [])])].sort() : customer ? [customer] : [];

  return (
    <section class="screen screen--wide" aria-labelledby="audit-title">
      <div class="screen-head">
        <h1 id="audit-title" tabIndex={-1}>
          Audit trail
        </h1>
        <div class="button-row">
          <button type="button" class="btn" data-testid="export-audit" disabled={busy} onClick={() => void doExport()}>
            {busy ? 'Exporting…' : 'Export JSON'}
          </button>
        </div>
      </div>
      <p class="section__intro">
        Every decision, approval and submission, in an append-only log where each entry carries the hash of the one before it, so an edit
        or a removed line shows.
      </p>
      {exported && <ExportedFile file={exported} label="Audit trail saved as" testid="audit-exported" nameTestid="audit-export-path" />}
      {exportError && <ErrorBox error={exportError} testid="audit-export-error" />}
      {error && <ErrorBox error={error} testid="audit-error" onRetry={() => void load()} />}
      {view && <ChainStatus chain={view.chain} />}

      <div class="audit-filters" role="group" aria-label="Filter the trail">
        <div class="audit-filters__field">
          <label class="field__label" for="audit-filter-customer">
            Customer
          </label>
          <select
            id="audit-filter-customer"
            class="input input--select"
            data-testid="audit-filter-customer"
            value={customer}
            onChange={(e) => {
              auditCustomer.value = e.currentTarget.value;
            }}
          >
            <option value="">All customers</option>
            {customers.map((c) => (
              <option key={c} value={c}>
                {customerText(c)}
              </option>
            ))}
          </select>
        </div>
        <div class="audit-filters__field">
          <label class="field__label" for="audit-filter-type">
            Event
          </label>
          <select
            id="audit-filter-type"
            class="input input--select"
            data-testid="audit-filter-type"
            value={type}
            onChange={(e) => {
              auditType.value = e.currentTarget.value as AuditEventType | '';
            }}
          >
            <option value="">All events</option>
            {(view?.event_types ?? []).map((t) => (
              <option key={t.value} value={t.value}>
                {t.label}
              </option>
            ))}
          </select>
        </div>
        {view && (
          <p class="audit-filters__count" data-testid="audit-count" aria-live="polite">
            {view.entries.length === 1 ? '1 entry' : `${view.entries.length.toLocaleString('en')} entries`}
          </p>
        )}
      </div>

      {view && view.entries.length === 0 && (
        <p class="empty-note" data-testid="audit-empty">
          {customer || type ? 'No entries match this filter.' : 'Nothing recorded yet.'}
        </p>
      )}
      {view && view.entries.length > 0 && (
        <table class="env-table audit-table" data-testid="audit-table">
          <caption class="visually-hidden">Audit entries, newest first</caption>
          <thead>
            <tr>
              <th scope="col">#</th>
              <th scope="col">Time</th>
              <th scope="col">Who</th>
              <th scope="col">Environment</th>
              <th scope="col">Customer</th>
              <th scope="col">What happened</th>
              <th scope="col">Hash</th>
            </tr>
          </thead>
          <tbody>
            {view.entries.map((e, at) => {
              const changes = changesOf(e.event);
              return (
                <tr key={entryKey(e)} data-testid="audit-entry" data-seq={e.seq} data-type={e.event.type}>
                  <td class="audit-table__seq">{e.seq}</td>
                  <td>
                    <time dateTime={e.at}>{localDateTime(e.at)}</time>
                  </td>
                  <td>{e.actor}</td>
                  <td>{e.environment}</td>
                  <td>
                    <code>{customerText(e.customer)}</code>
                  </td>
                  <td class="audit-table__what">
                    <span class="audit-table__type">{eventTypeLabel(view, e.event.type)}</span>
                    <span data-testid="audit-entry-text">{view.summaries[at] ?? ''}</span>
                    {changes.length > 0 && (
                      <details class="audit-table__changes">
                        <summary>{changes.length === 1 ? 'Show the field change' : `Show the ${changes.length} field changes`}</summary>
                        <ul>
                          {changes.map((c) => (
                            <li key={c.path}>
                              <span class="diff__label" title={c.path} data-testid="audit-change-field">
                                {fieldLabelOf(view, c.path)}
                              </span>
                              :{' '}
                              <span class="audit-table__old">{c.before ? formatRecordValue(c.before) : '(empty)'}</span> → <strong>{c.after ? formatRecordValue(c.after) : '(empty)'}</strong>
                            </li>
                          ))}
                        </ul>
                      </details>
                    )}
                  </td>
                  <td>
                    <code class="hash" title={e.hash}>
                      {e.hash.slice(0, 12)}
                    </code>
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
    </section>
  );
}

function ChainStatus({ chain }: { chain: ChainReport }) {
  if (chain.intact) {
    return (
      <p class="notice notice--ok chain-status" data-testid="chain-status" data-intact="true" role="status">
        <span aria-hidden="true">✓ </span>
        Audit chain intact — {chain.entries === 1 ? '1 entry' : `${chain.entries.toLocaleString('en')} entries`}
        {chain.head ? (
          <>
            , head <code title={chain.head}>{chain.head.slice(0, 12)}</code>
          </>
        ) : null}
      </p>
    );
  }
  return (
    <div class="notice notice--error chain-status" data-testid="chain-status" data-intact="false" role="alert">
      <p class="notice__title">
        <span aria-hidden="true">✕ </span>Audit chain broken
      </p>
      <p>The log was changed outside KYB Desk, or lines are missing. What the check found:</p>
      <ul class="chain-status__problems">
        {chain.problems.map((p, i) => (
          <li key={i} data-testid="chain-problem" data-kind={p.kind} data-line={p.line}>
            Line {p.line}
            {p.seq !== undefined && p.seq !== null ? ` (entry ${p.seq})` : ''} — {p.kind.replace(/_/g, ' ')}: {p.message}
          </li>
        ))}
      </ul>
    </div>
  );
}
