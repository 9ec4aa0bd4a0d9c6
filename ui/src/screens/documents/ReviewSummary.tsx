import { useState } from 'preact/hooks';
import { ErrorBox } from '../../widgets/ErrorBox';
import { toCommandError, type CommandError } from '../../ipc';
import { openAudit } from '../../state/audit';
import { labelForPath } from '../../state/labels';
import { approve, approveError, approving, canApprove, docOrder, exportCaseReport, jumpToField, selectDocument } from '../../state/review';
import { localDateTime } from '../../state/time';
import type { ChecklistItem, ExportedDraft, ReviewView } from '../../types';
import { ExportedFile } from '../../widgets/ExportedFile';
import { docItemId } from './DocList';
import { focusIdSoon } from '../../widgets/focus';

const ITEM_ICONS: Record<ChecklistItem['state'], string> = { done: '✓', missing: '○', failed: '✕' };
const ITEM_WORDS: Record<ChecklistItem['state'], string> = { done: 'Done', missing: 'To do', failed: 'Failed' };

/**
 * The top of the documents screen: who prepared the change, the approval (none / valid / void),
 * Approve (disabled with the reason when the view names a blocker), the case report, the trail,
 * and the checklist the approval needs.
 */
export function ReviewSummary({ view }: { view: ReviewView }) {
  const [exported, setExported] = useState<ExportedDraft | null>(null);
  const [exportError, setExportError] = useState<CommandError | null>(null);
  const [exporting, setExporting] = useState(false);
  const a = view.approval;
  const blocker = view.approve_blocker ?? null;
  const err = approveError.value;

  const doExport = async () => {
    setExporting(true);
    setExportError(null);
    try {
      setExported(await exportCaseReport());
    } catch (e) {
      setExportError(toCommandError(e));
    } finally {
      setExporting(false);
    }
  };

  const items = view.checklist.items;
  const done = items.filter((i) => i.state === 'done').length;

  return (
    <div class="review-summary">
      <section class="review-bar" aria-label="Approval">
        <p class="review-summary__preparers" data-testid="preparers">
          {view.editors.length > 0 ? <>Prepared by {view.editors.join(', ')}</> : 'No preparer recorded yet'}
        </p>
        <p class={`approval-state approval-state--${a.state}`} data-testid="approval-state" data-state={a.state}>
          {a.state === 'valid' && (
            <>
              <span aria-hidden="true">✓ </span>Approved by {a.approval.approver} at {localDateTime(a.approval.approved_at)}
            </>
          )}
          {a.state === 'void' && (
            <>
              <span aria-hidden="true">⚠ </span>Approval void: the change was edited after approval
              <span class="visually-hidden">
                {' '}
                (approved by {a.approval.approver} at {localDateTime(a.approval.approved_at)})
              </span>
            </>
          )}
          {a.state === 'none' && (
            <>
              <span aria-hidden="true">○ </span>Not approved
            </>
          )}
        </p>
        <div class="review-bar__actions">
          <button
            type="button"
            class="btn btn--primary"
            data-testid="approve-button"
            aria-keyshortcuts="a"
            disabled={!canApprove.value}
            aria-describedby={blocker ? 'approve-blocker' : undefined}
            onClick={() => void approve()}
          >
            {approving.value ? 'Approving…' : a.state === 'valid' ? 'Approve again' : 'Approve'}
          </button>
          {blocker && (
            <span class="review-summary__blocker" id="approve-blocker" data-testid="approve-blocker" data-kind={blocker.kind}>
              {blocker.message}
            </span>
          )}
        </div>
        <div class="review-bar__end">
          <button type="button" class="btn" data-testid="export-case-report" disabled={exporting} onClick={() => void doExport()}>
            {exporting ? 'Exporting…' : 'Export case report'}
          </button>
          <a
            href="#"
            data-testid="view-audit"
            onClick={(e) => {
              e.preventDefault();
              openAudit(view.customer);
            }}
          >
            View audit trail
          </a>
        </div>
      </section>
      {view.requires_approval && (
        <p class="notice notice--info review-summary__requires" data-testid="requires-approval">
          This environment requires approval before submitting.
        </p>
      )}
      {err && <ErrorBox error={err} testid="approve-error" />}
      {exported && <ExportedFile file={exported} label="Case report saved as" testid="case-report-written" nameTestid="case-report-path" />}
      {exportError && <ErrorBox error={exportError} testid="case-report-error" />}

      <details class="checklist-box" open aria-labelledby="checklist-title">
        <summary id="checklist-title">
          Checklist: {done} of {items.length} done{' '}
          <span class={`tag ${view.checklist.complete ? 'tag--active' : 'tag--warn'}`} data-testid="checklist-complete" data-complete={String(view.checklist.complete)}>
            {view.checklist.complete ? 'complete' : 'not complete'}
          </span>
        </summary>
        <ul class="checklist" data-testid="checklist">
          {items.map((item) => (
            <li key={item.id} class={`checklist__item checklist__item--${item.state}`} data-testid="checklist-item" data-id={item.id} data-state={item.state}>
              <span class="checklist__icon" aria-hidden="true">
                {ITEM_ICONS[item.state]}
              </span>
              <span class="checklist__text">
                <span class="checklist__label">
                  {item.label} <span class="visually-hidden">({ITEM_WORDS[item.state]})</span>
                </span>
                <span class="checklist__detail">
                  {item.detail} {item.field && <ChecklistJump field={item.field} />}
                </span>
              </span>
            </li>
          ))}
        </ul>
      </details>
    </div>
  );
}

/** A checklist item's link: to the document when the field is one (a file id), else into the editor. */
function ChecklistJump({ field }: { field: string }) {
  const doc = docOrder.value.find((d) => d.reference.path === field);
  if (doc) {
    return (
      <button
        type="button"
        class="link-button checklist__jump"
        data-testid="checklist-jump"
        data-path={field}
        onClick={() => {
          selectDocument(doc.reference.file_id);
          focusIdSoon(docItemId(doc.reference.file_id));
        }}
      >
        Show document
      </button>
    );
  }
  return (
    <a
      href="#"
      class="checklist__jump"
      data-testid="checklist-jump"
      data-path={field}
      aria-label={`Jump to field ${labelForPath(field)}`}
      onClick={(e) => {
        e.preventDefault();
        void jumpToField(field);
      }}
    >
      Jump to field
    </a>
  );
}
