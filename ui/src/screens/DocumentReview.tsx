import { useEffect, useState } from 'preact/hooks';
import { ErrorBox } from '../widgets/ErrorBox';
import { focusIdSoon } from '../widgets/focus';
import { toCommandError, type CommandError } from '../ipc';
import { openDraftById, openDraftId } from '../state/drafts';
import { activeProfile } from '../state/profiles';
import {
  approve,
  canApprove,
  jumpToField,
  loadReview,
  reviewDraftId,
  reviewError,
  reviewLoading,
  reviewView,
  rotate,
  selectedDoc,
  setDecision,
  stepDocument,
  zoomIn,
  zoomOut,
  zoomReset,
} from '../state/review';
import { reviewKeyAction } from '../state/reviewKeys';
import { customerText } from '../state/audit';
import { go } from '../state/navigation';
import { DecisionForm, saveAndMoveOn } from './documents/DecisionForm';
import { DocList, docItemId } from './documents/DocList';
import { DocViewer } from './documents/DocViewer';
import { KeysHelp } from './documents/KeysHelp';
import { ReviewSummary } from './documents/ReviewSummary';
import { SupportedFields } from './documents/SupportedFields';

/**
 * "Review documents" for one draft (`review_status`): the checklist and approval on top; then
 * the documents (left), the selected one's local copy (centre), and the fields it supports with
 * the decision form (right). Keyboard first: see KeysHelp.
 */
export function DocumentReview() {
  const id = reviewDraftId.value;
  const view = reviewView.value;
  const doc = selectedDoc.value;
  const profile = activeProfile.value;
  const [openError, setOpenError] = useState<CommandError | null>(null);

  /** This draft in the editor (its environment becomes the active one). */
  const openInEditor = async () => {
    if (!id) return;
    setOpenError(null);
    try {
      if (openDraftId() !== id) await openDraftById(id);
      go('editor');
    } catch (e) {
      setOpenError(toCommandError(e));
    }
  };

  // Again when the draft or the acting profile changes (who may decide and approve).
  useEffect(() => {
    void loadReview();
  }, [id, profile]);

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const action = reviewKeyAction(e);
      if (!action || !reviewView.peek()) return;
      const current = selectedDoc.peek();
      switch (action) {
        case 'next':
        case 'previous': {
          const to = stepDocument(action === 'next' ? 1 : -1);
          if (to) focusIdSoon(docItemId(to));
          break;
        }
        case 'verified':
          if (!current) return;
          // On the document selected when the save before it (if any) is done.
          void saveAndMoveOn(() => setDecision('verified'));
          break;
        case 'needs_reupload':
        case 'rejected':
          if (!current) return;
          setDecision(action);
          focusIdSoon('reason-illegible');
          break;
        case 'first_field': {
          const path = current?.reference.supports[0];
          if (!path) return;
          void jumpToField(path);
          break;
        }
        case 'zoom_in':
          zoomIn();
          break;
        case 'zoom_out':
          zoomOut();
          break;
        case 'zoom_reset':
          zoomReset();
          break;
        case 'rotate':
          rotate();
          break;
        case 'approve':
          if (!canApprove.peek()) return;
          void approve();
          break;
      }
      e.preventDefault();
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, []);

  if (!id) {
    return (
      <section class="screen" aria-labelledby="documents-title">
        <h1 id="documents-title" tabIndex={-1}>
          Review documents
        </h1>
        <p class="empty-note" data-testid="documents-none">
          Open a draft from the drafts library or the editor to review its documents.
        </p>
        <div class="button-row">
          <button type="button" class="btn" onClick={() => go('drafts')}>
            Go to drafts
          </button>
        </div>
      </section>
    );
  }

  return (
    <section class="screen screen--wide" aria-labelledby="documents-title" data-testid="documents-screen" data-draft-id={id}>
      <div class="screen-head documents-head">
        <div>
          <h1 id="documents-title" tabIndex={-1}>
            Review documents
          </h1>
          {view && (
            <p class="documents-head__who" data-testid="documents-customer">
              {view.business_name ?? customerText(view.customer)} · <code>{customerText(view.customer)}</code> · {view.environment}
              {profile ? <> · reviewing as {profile}</> : null}
            </p>
          )}
        </div>
        <div class="documents-head__actions">
          <button type="button" class="btn" data-testid="open-editor" onClick={() => void openInEditor()}>
            Open in editor
          </button>
          <KeysHelp />
        </div>
      </div>
      {openError && <ErrorBox error={openError} testid="open-editor-error" />}
      {reviewError.value && <ErrorBox error={reviewError.value} testid="documents-error" onRetry={() => void loadReview()} />}
      {!view && !reviewError.value && (
        <p class="loading" aria-live="polite">
          {reviewLoading.value ? 'Loading the review…' : ''}
        </p>
      )}
      {view && (
        <>
          <ReviewSummary view={view} />
          <div class="docs-layout">
            <DocList />
            <DocViewer draftId={id} doc={doc} />
            <div class="docs-side">
              {doc && <SupportedFields view={view} doc={doc} />}
              {doc && <DecisionForm doc={doc} />}
            </div>
          </div>
        </>
      )}
    </section>
  );
}
