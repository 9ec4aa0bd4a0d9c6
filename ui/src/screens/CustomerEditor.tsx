import { computed } from '@preact/signals';
import { useEffect, useState } from 'preact/hooks';
import { StatusBadge } from '../widgets/StatusBadge';
import { MissingPartsNotice } from '../widgets/MissingPartsNotice';
import { missingPartsOf } from '../state/missingParts';
import { AccountUsage } from '../forms/AccountUsage';
import { BusinessDetails } from '../forms/BusinessDetails';
import { LegalRepresentatives } from '../forms/LegalRepresentatives';
import { PrimaryContact } from '../forms/PrimaryContact';
import { RegistrationAddress } from '../forms/RegistrationAddress';
import { problemCount } from '../state/issues';
import { SECTION_LABELS } from '../state/labels';
import { idForPath, isWithin } from '../state/paths';
import { When } from '../widgets/When';
import { closeEditor, draftContext, flushDraft, saveError, saveNow } from '../state/drafts';
import { openDocumentsReview } from '../state/review';
import { allIssues, customer, edited, raiseSummaryAlert, summaryAlert, validatedRecord, validateNow, validating } from '../state/editor';
import { go, isNewCustomer, openTarget } from '../state/navigation';
import { rememberEditorPlace } from '../state/editorPlace';
import { shownErrors, toFill } from '../state/touched';
import { DraftNoticeBox, DraftStatus } from './DraftStatus';
import { ErrorSummary } from './ErrorSummary';
import { NewCustomerTarget } from './NewCustomerTarget';

const SECTIONS = ['business_details', 'registration_address', 'account_usage', 'primary_contact', 'business_person_list'] as const;

/** Go to review when the record is clean; otherwise show the summary as an alert. */
export async function tryReview() {
  await validateNow();
  if (allIssues.value.length > 0) {
    raiseSummaryAlert();
    return;
  }
  summaryAlert.value = false;
  rememberEditorPlace();
  go('review');
}

/** The business name as typed: the editor's title follows it without reading the whole record. */
const typedName = computed(() => edited.value.business_details?.business_name_english ?? '');

/**
 * The editor's frame. It reads no per-keystroke state (the record, the issues, validation in
 * flight): those are read by the small parts that show them and by each field, so an edit or a
 * validation answer re-renders only what changed (speed goal: keystroke to inline error).
 */
export function CustomerEditor() {
  const target = openTarget.value;
  const c = customer.value;
  const ctx = draftContext.value;
  const isNew = isNewCustomer.value;
  const [docsError, setDocsError] = useState<string | null>(null);

  // Decisions belong to the stored draft: store what is typed, then review that draft's documents.
  const reviewDocuments = async () => {
    setDocsError(null);
    const id = await saveNow();
    if (id) openDocumentsReview(id);
    else setDocsError(saveError.value?.message ?? 'The draft could not be stored.');
  };

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

  if (!target) return null;
  const customerId = target.kind === 'update' ? target.customer_id : null;
  const name = typedName.value || customerId || 'New customer';
  // The customer as fetched now, else as it was when the draft started.
  const partnerId = c?.partner_customer_id ?? ctx?.base?.partner_customer_id;
  const status = c?.status ?? ctx?.base?.status;
  const sections = isNew ? ['partner_customer_id', ...SECTIONS] : SECTIONS;

  return (
    <section class="screen screen--editor" aria-labelledby="editor-title">
      <div class="editor-head">
        <div class="editor-head__title">
          <h1 id="editor-title" tabIndex={-1}>
            {name}
          </h1>
          <dl class="meta" data-testid="customer-meta">
            {customerId ? (
              <div>
                <dt>Customer ID</dt>
                <dd>
                  <code data-testid="customer-id">{customerId}</code>
                </dd>
              </div>
            ) : (
              <div>
                <dt>New customer</dt>
                <dd data-testid="customer-new">created at the partner when sent</dd>
              </div>
            )}
            {partnerId && (
              <div>
                <dt>Partner ID</dt>
                <dd>
                  <code>{partnerId}</code>
                </dd>
              </div>
            )}
            {status && (
              <div>
                <dt>{c ? 'Status' : 'Status (when the draft started)'}</dt>
                <dd>
                  <StatusBadge status={status} testid="customer-status" />
                </dd>
              </div>
            )}
            {c && (
              <div>
                <dt>Created</dt>
                <dd data-testid="customer-created-at">{c.created_at ? <When value={c.created_at} /> : '—'}</dd>
              </div>
            )}
          </dl>
          <DraftStatus />
        </div>
        <div class="editor-head__actions">
          <EditorState />
          <button
            type="button"
            class="btn"
            data-testid="close-customer"
            title="Close (your changes stay in the draft)"
            onClick={() => {
              void closeEditor().then(() => go('open'));
            }}
          >
            Close
          </button>
          <button type="button" class="btn" data-testid="review-docs-button" onClick={() => void reviewDocuments()}>
            Review documents
          </button>
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

      <DraftNoticeBox />
      <MissingPartsNotice parts={missingPartsOf(customerId)} />
      {docsError && (
        <p class="notice notice--error" role="alert" data-testid="review-docs-error">
          The documents cannot be reviewed until the draft is stored: {docsError}
        </p>
      )}

      <div class="editor-body">
        <SectionNav sections={sections} />
        {/* Not a <form>: WebKitGTK 2.50 keeps a removed <form>'s controls alive, about 280 KiB
            each time the editor closes (docs/e2e.md "Soak"). Nothing here submitted natively. */}
        <div
          role="form"
          aria-labelledby="editor-title"
          class="editor-form"
          data-testid="editor-form"
          onFocusOut={() => void flushDraft()}
        >
          <ErrorSummary />
          {isNew && <NewCustomerTarget />}
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
        </div>
      </div>
    </section>
  );
}

/** "N problems" in the editor's head (or "Checking…" before the first answer). */
function EditorState() {
  const issues = allIssues.value;
  return (
    <span class="editor-head__state" data-testid="editor-state" aria-hidden="true">
      {validating.value && validatedRecord.value === null ? 'Checking…' : problemCount(issues.length)}
    </span>
  );
}

/** Links to the sections, each with its number of problems. */
function SectionNav({ sections }: { sections: readonly string[] }) {
  // Red for problems shown as errors; fields not visited yet are counted calmly (state/touched.ts).
  const issues = shownErrors.value;
  const pending = toFill.value;
  return (
    <nav class="section-nav" aria-label="Sections">
      <ul>
        {sections.map((s) => {
          const n = issues.filter((i) => isWithin(i.path, s)).length;
          const todo = pending.filter((i) => isWithin(i.path, s)).length;
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
                {SECTION_LABELS[s] ?? 'Partner customer ID'}
                {n > 0 && (
                  <span class="count-badge" aria-label={problemCount(n)}>
                    {n}
                  </span>
                )}
                {n === 0 && todo > 0 && (
                  <span class="count-badge count-badge--todo" aria-label={`${todo} to fill`}>
                    {todo}
                  </span>
                )}
              </a>
            </li>
          );
        })}
      </ul>
    </nav>
  );
}
