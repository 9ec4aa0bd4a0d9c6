import { openDraftId } from '../state/drafts';
import { openDocumentsReview } from '../state/review';
import { openDraftReview, openDraftReviewFailed } from '../state/submission';
import { localDateTime } from '../state/time';

/**
 * On the Review screen, in an environment that requires approval: whether the draft as stored
 * has a valid approval ("Approved by … at …") or what is missing, in Rust's words
 * (`review_status`, kept by state/submission.ts), with the way to the documents screen.
 */
export function ApprovalNote() {
  const id = openDraftId();
  const view = openDraftReview.value;
  const current = view && view.draft_id === id ? view : null;
  const a = current?.approval;
  const state = a?.state ?? 'none';
  const readiness = current?.state.readiness;
  const blockers = current?.state.blockers ?? [];
  return (
    <div class={`notice ${state === 'valid' ? 'notice--ok' : 'notice--warn'} approval-note`} data-testid="review-approval" data-state={state}>
      <p class="notice__title">This environment requires approval before submitting.</p>
      <p data-testid="review-approval-text">
        {a?.state === 'valid'
          ? `Approved by ${a.approval.approver} at ${localDateTime(a.approval.approved_at)}.`
          : readiness?.state === 'waiting_for_approval'
            ? `Not approved: ${readiness.detail}`
            : openDraftReviewFailed.value
              ? 'The approval could not be checked.'
              : id
                ? 'Not approved yet: another profile must review the documents and approve this change.'
                : 'Not approved yet: the change needs a review by another profile once it is stored.'}
      </p>
      {blockers.length > 0 && (
        <ul data-testid="review-approval-blockers">
          {blockers.map((b) => (
            <li key={b.id}>{b.message}</li>
          ))}
        </ul>
      )}
      {id && state !== 'valid' && (
        <p class="notice__actions">
          <button type="button" class="btn btn--small" data-testid="review-approval-docs" onClick={() => openDocumentsReview(id)}>
            Review documents
          </button>
        </p>
      )}
    </div>
  );
}
