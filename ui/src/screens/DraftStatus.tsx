import { ErrorBox } from '../widgets/ErrorBox';
import { useAction } from '../widgets/useAction';
import { currentSaveStatus, discardDraftAndReload, draftNotice, flushDraft, noticeText, openDraftId, saveAnnouncement } from '../state/drafts';
import { stateLabel } from '../state/outbox';
import { openDraftReview } from '../state/submission';
import { localDateTime } from '../state/time';

/**
 * The calm autosave line under the editor title: "Saving…", "Draft saved 14:03:22", or what went
 * wrong (by kind). The visible line is not a live region (it changes with every save); a hidden
 * polite region says only when saving starts failing or works again.
 */
export function DraftStatus() {
  const s = currentSaveStatus.value;
  const icon = s.state === 'error' ? '⚠' : s.state === 'saved' ? '✓' : s.state === 'saving' ? '…' : '';
  return (
    <div class={`draft-status draft-status--${s.state}`}>
      <p class="draft-status__text" data-testid="draft-status" data-state={s.state} title={s.detail}>
        {icon && (
          <span class="draft-status__icon" aria-hidden="true">
            {icon}{' '}
          </span>
        )}
        {s.text}
        {s.showDetail && s.detail && <span class="draft-status__detail"> ({s.detail})</span>}
      </p>
      {s.state === 'error' && (
        <button type="button" class="btn btn--small" data-testid="draft-save-retry" onClick={() => void flushDraft()}>
          Try saving again
        </button>
      )}
      <p class="visually-hidden" aria-live="polite" aria-atomic="true" data-testid="draft-status-live">
        {saveAnnouncement.value}
      </p>
      <DraftStateLines />
    </div>
  );
}

/**
 * The draft's own state ("12 unsent changes, waiting for approval"), its approval ("Approved by …
 * at …", or what is missing) and, apart from both, how its last submission went ("Last
 * submission: Sent · Succeeded at …"). Words from Rust (`review_status`), rendered here.
 */
function DraftStateLines() {
  const view = openDraftReview.value;
  if (!view || view.draft_id !== openDraftId()) return null;
  const { state, approval } = view;
  const last = state.last_submission;
  const waiting = state.readiness.state === 'waiting_for_approval' ? state.readiness : null;
  return (
    <div class="draft-state" data-testid="draft-state-box">
      <p class="draft-status__text" data-testid="draft-state" data-pending={state.pending_changes}>
        Draft: {state.summary}
      </p>
      {approval.state === 'valid' ? (
        <p class="draft-status__text" data-testid="draft-approval" data-state="valid">
          <span aria-hidden="true">✓ </span>Approved by {approval.approval.approver} at {localDateTime(approval.approval.approved_at)}
        </p>
      ) : waiting && state.pending_changes > 0 ? (
        <p class="draft-status__text" data-testid="draft-approval" data-state={approval.state}>
          <span aria-hidden="true">○ </span>
          {waiting.detail}
        </p>
      ) : null}
      {last && (
        <p class="draft-status__text" data-testid="last-submission" data-state={last.state.state}>
          Last submission: {stateLabel(last)} at {localDateTime(last.updated_at)}
        </p>
      )}
    </div>
  );
}

/** "Restored your draft from …", or a resumed draft with "Discard draft and reload from server". */
export function DraftNoticeBox() {
  const n = draftNotice.value;
  const { run: discard, busy, error } = useAction(discardDraftAndReload);
  if (!n) return null;
  return (
    <div class={`notice ${n.kind === 'restored' ? 'notice--ok' : 'notice--info'} draft-notice`} data-testid="draft-notice" data-kind={n.kind}>
      <p>
        <span aria-hidden="true">{n.kind === 'restored' ? '↺ ' : '✎ '}</span>
        {noticeText(n)}
      </p>
      <p class="notice__actions button-row">
        {n.kind === 'resumed' && (
          <button type="button" class="btn btn--small" data-testid="discard-draft" disabled={busy} onClick={() => void discard()}>
            Discard draft and reload from server
          </button>
        )}
        <button type="button" class="btn btn--small btn--quiet" data-testid="draft-notice-dismiss" onClick={() => (draftNotice.value = null)}>
          Dismiss
        </button>
      </p>
      {error && <ErrorBox error={error} testid="discard-error" />}
    </div>
  );
}
