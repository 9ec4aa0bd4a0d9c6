import { useEffect, useState } from 'preact/hooks';
import { StatusBadge } from '../app/StatusBadge';
import { AccountUsage } from '../forms/AccountUsage';
import { BusinessDetails } from '../forms/BusinessDetails';
import { LegalRepresentatives } from '../forms/LegalRepresentatives';
import { PrimaryContact } from '../forms/PrimaryContact';
import { RegistrationAddress } from '../forms/RegistrationAddress';
import { problemCount } from '../state/issues';
import { SECTION_LABELS } from '../state/labels';
import { idForPath, isWithin } from '../state/paths';
import { formatTimestamp } from '../state/values';
import {
  allIssues,
  closeCustomer,
  customer,
  edited,
  go,
  isDirty,
  summaryAlert,
  validateNow,
  validating,
} from '../state/store';
import { ErrorSummary } from './ErrorSummary';

const SECTIONS = ['business_details', 'registration_address', 'account_usage', 'primary_contact', 'business_person_list'] as const;

/** Go to review when the record is clean; otherwise show the summary as an alert. */
export async function tryReview() {
  await validateNow();
  if (allIssues.value.length > 0) {
    summaryAlert.value = true;
    return;
  }
  summaryAlert.value = false;
  go('review');
}

export function CustomerEditor() {
  const c = customer.value;
  const rec = edited.value;
  const issues = allIssues.value;
  const [confirmClose, setConfirmClose] = useState(false);

  useEffect(() => {
    // Ctrl+Enter (Cmd+Enter on macOS) goes to review from anywhere in the editor.
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
        e.preventDefault();
        void tryReview();
      }
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, []);

  if (!c) return null;
  const name = rec.business_details?.business_name_english || c.customer_id;

  return (
    <section class="screen screen--editor" aria-labelledby="editor-title">
      <div class="editor-head">
        <div class="editor-head__title">
          <h1 id="editor-title" tabIndex={-1}>
            {name}
          </h1>
          <dl class="meta" data-testid="customer-meta">
            <div>
              <dt>Customer ID</dt>
              <dd>
                <code data-testid="customer-id">{c.customer_id}</code>
              </dd>
            </div>
            {c.partner_customer_id && (
              <div>
                <dt>Partner ID</dt>
                <dd>
                  <code>{c.partner_customer_id}</code>
                </dd>
              </div>
            )}
            <div>
              <dt>Status</dt>
              <dd>
                <StatusBadge status={c.status} testid="customer-status" />
              </dd>
            </div>
            <div>
              <dt>Created</dt>
              <dd data-testid="customer-created-at">{formatTimestamp(c.created_at) || '—'}</dd>
            </div>
          </dl>
        </div>
        <div class="editor-head__actions">
          <span class="editor-head__state" data-testid="editor-state" aria-hidden="true">
            {validating.value ? 'Checking…' : problemCount(issues.length)}
            {isDirty.value ? ' · unsaved changes' : ''}
          </span>
          {confirmClose ? (
            <span class="inline-confirm" role="group" aria-label="Discard unsubmitted changes?">
              <button
                type="button"
                class="btn btn--danger"
                data-testid="close-customer-confirm"
                onClick={() => {
                  closeCustomer();
                  go('open');
                }}
              >
                Discard changes and close
              </button>
              <button type="button" class="btn" data-testid="close-customer-cancel" onClick={() => setConfirmClose(false)}>
                Keep editing
              </button>
            </span>
          ) : (
            <button
              type="button"
              class="btn"
              data-testid="close-customer"
              onClick={() => {
                if (isDirty.value) {
                  setConfirmClose(true);
                  requestAnimationFrame(() => document.querySelector<HTMLElement>('[data-testid=close-customer-cancel]')?.focus());
                } else {
                  closeCustomer();
                  go('open');
                }
              }}
            >
              Close
            </button>
          )}
          <button
            type="button"
            class="btn btn--primary"
            data-testid="review-button"
            aria-keyshortcuts="Control+Enter"
            title="Review changes (Ctrl+Enter)"
            onClick={() => void tryReview()}
          >
            Review changes
          </button>
        </div>
      </div>

      <div class="editor-body">
        <nav class="section-nav" aria-label="Sections">
          <ul>
            {SECTIONS.map((s) => {
              const n = issues.filter((i) => isWithin(i.path, s)).length;
              return (
                <li key={s}>
                  <a
                    href={`#${idForPath(s)}`}
                    class="section-nav__link"
                    onClick={(e) => {
                      e.preventDefault();
                      const el = document.getElementById(idForPath(s));
                      el?.focus();
                      el?.scrollIntoView({ block: 'start' });
                    }}
                  >
                    {SECTION_LABELS[s]}
                    {n > 0 && (
                      <span class="count-badge" aria-label={problemCount(n)}>
                        {n}
                      </span>
                    )}
                  </a>
                </li>
              );
            })}
          </ul>
        </nav>
        <form
          class="editor-form"
          data-testid="editor-form"
          noValidate
          onSubmit={(e) => {
            e.preventDefault();
          }}
        >
          <ErrorSummary />
          <BusinessDetails />
          <RegistrationAddress />
          <AccountUsage />
          <PrimaryContact />
          <LegalRepresentatives />
          <div class="button-row button-row--end">
            <button type="button" class="btn btn--primary" data-testid="review-button-bottom" onClick={() => void tryReview()}>
              Review changes
            </button>
          </div>
        </form>
      </div>
    </section>
  );
}
