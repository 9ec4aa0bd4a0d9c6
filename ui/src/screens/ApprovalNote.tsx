import { useEffect, useState } from 'preact/hooks';
import { reviewStatus } from '../ipc';
import { openDraftId, savedDraft } from '../state/drafts';
import { openDocumentsReview } from '../state/review';
import { localDateTime } from '../state/time';
import type { ReviewView } from '../types';

/**
 * On the Review screen, in an environment that requires approval: whether the draft as stored
 * has a valid approval (`review_status`), with the way to the documents screen.
 */
export function ApprovalNote() {
  const saved = savedDraft.value;
  const [view, setView] = useState<ReviewView | null>(null);
  const [failed, setFailed] = useState(false);
  const id = openDraftId();

  useEffect(() => {
    if (!id) {
      setView(null);
      return;
    }
    let live = true;
    reviewStatus(id).then(
      (v) => {
        if (!live) return;
        setView(v);
        setFailed(false);
      },
      () => live && setFailed(true),
    );
    return () => {
      live = false;
    };
  }, [id, saved?.revision]);

  const a = view?.approval;
  const state = a?.state ?? 'none';
  return (
    <div class={`notice ${state === 'valid' ? 'notice--ok' : 'notice--warn'} approval-note`} data-testid="review-approval" data-state={state}>
      <p class="notice__title">This environment requires approval before submitting.</p>
      <p>
        {a?.state === 'valid'
          ? `Approved by ${a.approval.approver} at ${localDateTime(a.approval.approved_at)}.`
          : a?.state === 'void'
            ? 'Approval void: the change was edited after approval. Another profile must approve it again.'
            : failed
              ? 'The approval could not be checked.'
              : id
                ? 'Not approved yet: another profile must review the documents and approve this change.'
                : 'Not approved yet: the change needs a review by another profile once it is stored.'}
      </p>
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
