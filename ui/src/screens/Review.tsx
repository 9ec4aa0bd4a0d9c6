import { useEffect, useRef, useState } from 'preact/hooks';
import { ErrorBox } from '../app/ErrorBox';
import { StatusBadge } from '../app/StatusBadge';
import { diffRecord, refreshCustomer, submitUpdate, toCommandError, type CommandError } from '../ipc';
import { labelForPath } from '../state/labels';
import { isSettled, pollUntilSettled } from '../state/poll';
import {
  activeEnvironment,
  applyInvalidRecord,
  applyPartnerErrors,
  base,
  canSubmit,
  closeCustomer,
  customer,
  edited,
  go,
  isProduction,
  loadCustomer,
  allIssues,
  updateCustomerStatus,
  validating,
} from '../state/store';
import { formatTimestamp } from '../state/values';
import type { Customer, FieldChange, UpdateCustomerRequest } from '../types';

export const POLL_INTERVAL_MS = 1000;
const POLL_MAX_TRIES = 120;

/** The editable sections of a customer, as an update body. */
export function sectionsOf(c: Customer): UpdateCustomerRequest {
  const out: UpdateCustomerRequest = {};
  if (c.business_details) out.business_details = c.business_details;
  if (c.registration_address) out.registration_address = c.registration_address;
  if (c.account_usage) out.account_usage = c.account_usage;
  if (c.primary_contact) out.primary_contact = c.primary_contact;
  if (c.business_person_list) out.business_person_list = c.business_person_list;
  return out;
}

type Phase = 'review' | 'submitting' | 'submitted';
type Follow = 'polling' | 'settled' | 'gave_up' | 'error';

export function Review() {
  const c = customer.value;
  const env = activeEnvironment.value;
  const prod = isProduction.value;
  const [diff, setDiff] = useState<FieldChange[] | null>(null);
  const [diffError, setDiffError] = useState<CommandError | null>(null);
  const [phase, setPhase] = useState<Phase>('review');
  const [submitError, setSubmitError] = useState<CommandError | null>(null);
  const [result, setResult] = useState<Customer | null>(null);
  const [follow, setFollow] = useState<Follow>('settled');
  const [followError, setFollowError] = useState<CommandError | null>(null);
  const confirmRef = useRef<HTMLInputElement>(null);
  const stopPolling = useRef<(() => void) | null>(null);

  const loadDiff = async () => {
    setDiffError(null);
    if (!base.value) return;
    try {
      setDiff(await diffRecord(base.value, edited.value));
    } catch (e) {
      setDiffError(toCommandError(e));
    }
  };

  useEffect(() => {
    void loadDiff();
    return () => stopPolling.current?.();
  }, []);

  if (!c) return null;
  // The Rust side checks the English business name as last loaded (the customer id when it has none).
  const expectedName = c.business_details?.business_name_english || c.customer_id;

  const settle = (final: Customer) => {
    setResult(final);
    updateCustomerStatus(final);
    setFollow('settled');
    // What the partner now holds becomes the record to edit next.
    loadCustomer({ customer: final, record: sectionsOf(final) });
  };

  const follow_ = (first: Customer) => {
    setResult(first);
    updateCustomerStatus(first);
    if (isSettled(first)) {
      settle(first);
      return;
    }
    setFollow('polling');
    setFollowError(null);
    stopPolling.current?.();
    stopPolling.current = pollUntilSettled({
      intervalMs: POLL_INTERVAL_MS,
      maxTries: POLL_MAX_TRIES,
      fetch: () => refreshCustomer(first.customer_id),
      onUpdate: (u) => {
        setResult(u);
        updateCustomerStatus(u);
        if (isSettled(u)) settle(u);
      },
      onError: (e) => {
        setFollow('error');
        setFollowError(toCommandError(e));
      },
      onGiveUp: () => setFollow('gave_up'),
    });
  };

  const submit = async () => {
    if (!canSubmit.value || phase !== 'review') return;
    const confirmation = prod ? (confirmRef.current?.value ?? '') : undefined;
    setSubmitError(null);
    setPhase('submitting');
    try {
      const answer = await submitUpdate(c.customer_id, edited.value, confirmation);
      setPhase('submitted');
      follow_(answer);
    } catch (e) {
      const err = toCommandError(e);
      setPhase('review');
      if (err.kind === 'invalid_record') {
        applyInvalidRecord(err.issues);
        go('editor');
      } else if (err.kind === 'rejected') {
        applyPartnerErrors(err.errors);
        go('editor');
      } else {
        setSubmitError(err);
        if (err.kind === 'confirmation_required') confirmRef.current?.focus();
      }
    }
  };

  if (phase === 'submitted' && result) {
    return (
      <section class="screen screen--narrow" aria-labelledby="result-title">
        <h1 id="result-title" tabIndex={-1}>
          Submitted
        </h1>
        <div class={`result result--${result.status.toLowerCase()}`} data-testid="submit-result">
          <p class="result__status" aria-live="polite" aria-atomic="true">
            Status: <StatusBadge status={result.status} />
          </p>
          <dl class="meta">
            <div>
              <dt>Customer ID</dt>
              <dd>
                <code>{result.customer_id}</code>
              </dd>
            </div>
            <div>
              <dt>Created</dt>
              <dd data-testid="result-created-at">{formatTimestamp(result.created_at) || '—'}</dd>
            </div>
          </dl>
          {follow === 'polling' && (
            <p class="result__note" data-testid="polling">
              <progress class="inline-progress" aria-label="Waiting for the partner" /> The partner is processing the record; checking every second…
            </p>
          )}
          {follow === 'gave_up' && (
            <p class="result__note" data-testid="polling-gave-up">
              Still processing after {POLL_MAX_TRIES} checks.{' '}
              <button type="button" class="btn btn--small" onClick={() => follow_(result)}>
                Keep checking
              </button>
            </p>
          )}
          {follow === 'error' && followError && (
            <ErrorBox error={followError} env={env?.name} testid="polling-error" onRetry={() => follow_(result)} />
          )}
          {follow === 'settled' && <SettledText status={result.status} />}
        </div>
        <div class="button-row">
          <button type="button" class="btn btn--primary" data-testid="back-to-customer" onClick={() => go('editor')}>
            Back to this customer
          </button>
          <button
            type="button"
            class="btn"
            data-testid="open-another"
            onClick={() => {
              closeCustomer();
              go('open');
            }}
          >
            Open another customer
          </button>
        </div>
      </section>
    );
  }

  const issues = allIssues.value.length;
  const noChanges = diff !== null && diff.length === 0;
  const submitDisabled = phase !== 'review' || !canSubmit.value || diff === null || noChanges;

  return (
    <section class="screen" aria-labelledby="review-title">
      <h1 id="review-title" tabIndex={-1}>
        Review changes — {expectedName}
      </h1>
      {diffError && <ErrorBox error={diffError} testid="diff-error" onRetry={() => void loadDiff()} />}
      {diff === null && !diffError && <p class="loading">Comparing…</p>}
      {noChanges && (
        <p class="notice" data-testid="no-changes">
          No changes to submit.
        </p>
      )}
      {diff && diff.length > 0 && (
        <table class="diff" data-testid="diff-table">
          <caption class="diff__caption">
            {diff.length === 1 ? '1 field changes' : `${diff.length} fields change`}; unchanged fields are not listed.
          </caption>
          <thead>
            <tr>
              <th scope="col">Field</th>
              <th scope="col">Before</th>
              <th scope="col">After</th>
            </tr>
          </thead>
          <tbody>
            {diff.map((d) => (
              <tr key={d.path} data-testid="diff-row" data-path={d.path}>
                <th scope="row">
                  <span class="diff__label">{labelForPath(d.path)}</span>
                  <code class="diff__path">{d.path}</code>
                </th>
                <td class="diff__before">
                  <DiffValue v={d.before} />
                </td>
                <td class="diff__after">
                  <DiffValue v={d.after} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}

      {issues > 0 && (
        <p class="notice notice--warn" id="review-issues-text" data-testid="review-issues">
          The record has {issues === 1 ? '1 problem' : `${issues} problems`}; go back and fix {issues === 1 ? 'it' : 'them'} before submitting.
        </p>
      )}

      {prod && (
        <div class="confirm-box" data-testid="production-confirm">
          <label class="field__label" for="confirm-name">
            This is <strong>PRODUCTION</strong>. Type the business name (English) to confirm:{' '}
            <span class="confirm-box__name">{expectedName}</span>
          </label>
          <input
            id="confirm-name"
            ref={confirmRef}
            data-testid="confirm-name"
            class="input"
            type="text"
            autoComplete="off"
            spellcheck={false}
            aria-invalid={submitError?.kind === 'confirmation_required' ? 'true' : undefined}
            aria-describedby={submitError?.kind === 'confirmation_required' ? 'submit-error' : undefined}
          />
        </div>
      )}

      <div id="submit-error">{submitError && <ErrorBox error={submitError} env={env?.name} testid="submit-error" onRetry={() => void submit()} />}</div>

      <div class="button-row">
        <button type="button" class="btn" data-testid="back-to-edit" onClick={() => go('editor')}>
          ← Back to edit
        </button>
        <button
          type="button"
          class={`btn btn--primary${prod ? ' btn--danger' : ''}`}
          data-testid="submit-button"
          disabled={submitDisabled}
          aria-describedby={issues > 0 ? 'review-issues-text' : undefined}
          onClick={() => void submit()}
        >
          {phase === 'submitting' ? 'Submitting…' : validating.value ? 'Checking…' : prod ? 'Submit to production' : 'Submit'}
        </button>
      </div>
    </section>
  );
}

function DiffValue({ v }: { v: string | null | undefined }) {
  if (v === undefined || v === null || v === '') {
    return (
      <span class="diff__empty">
        <span aria-hidden="true">—</span>
        <span class="visually-hidden">(empty)</span>
      </span>
    );
  }
  return <span class="diff__value">{v}</span>;
}

function SettledText({ status }: { status: string }) {
  const text: Record<string, string> = {
    Succeeded: 'The partner accepted the update.',
    Failed: 'The partner did not accept the update. Check the record and the partner’s notes.',
    Suspended: 'The partner suspended the customer. Contact the partner before making further changes.',
  };
  return (
    <p class="result__note" data-testid="settled-text">
      {text[status] ?? `Final status: ${status}.`}
    </p>
  );
}
