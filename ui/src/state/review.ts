/**
 * The document review screen's state (docs/review-audit.md): which draft is reviewed, its
 * `review_status` answer, the selected document, the viewer's zoom and rotation, and the
 * decision form. Every action answers the new `ReviewView`, which replaces the old one.
 */

import { batch, computed, signal } from '@preact/signals';
import * as ipc from '../ipc';
import { toCommandError, type CommandError } from '../ipc';
import type { Decision, DecisionReason, ExportedDraft, ReviewDocument, ReviewView } from '../types';
import { flushDraft, openDraftById, openDraftId } from './drafts';
import { groupDocuments, listOrder, nextUndecided, stepFrom } from './reviewDocs';
import { needsReasons } from './reviewVocabulary';
import { focusOnArrival, go, screen } from './navigation';
import { refreshOpenDraftReview } from './submission';

/** The draft the documents screen shows. */
export const reviewDraftId = signal<string | null>(null);
export const reviewView = signal<ReviewView | null>(null);
/** `review_status` failed (the screen shows it with "Try again"). */
export const reviewError = signal<CommandError | null>(null);
export const reviewLoading = signal(false);

export const selectedFileId = signal<string | null>(null);

export const groups = computed(() => {
  const v = reviewView.value;
  return v ? groupDocuments(v.documents, v.record) : [];
});
export const docOrder = computed(() => listOrder(groups.value));
export const selectedDoc = computed<ReviewDocument | null>(
  () => docOrder.value.find((d) => d.reference.file_id === selectedFileId.value) ?? null,
);

// ---------------------------------------------------------------------------------------------
// Viewer

export const ZOOM_MIN = 0.25;
export const ZOOM_MAX = 4;
export const zoom = signal(1);
/** Degrees: 0, 90, 180, 270. */
export const rotation = signal(0);

export function zoomIn() {
  zoom.value = Math.min(ZOOM_MAX, Math.round(zoom.value * 1.25 * 100) / 100);
}
export function zoomOut() {
  zoom.value = Math.max(ZOOM_MIN, Math.round((zoom.value / 1.25) * 100) / 100);
}
export function zoomReset() {
  batch(() => {
    zoom.value = 1;
    rotation.value = 0;
  });
}
export function rotate() {
  rotation.value = (rotation.value + 90) % 360;
}

// ---------------------------------------------------------------------------------------------
// Decision form (for the selected document)

export interface DecisionDraft {
  decision: Decision | null;
  reasons: DecisionReason[];
  note: string;
}

export const decisionForm = signal<DecisionDraft>({ decision: null, reasons: [], note: '' });
export const decisionError = signal<CommandError | null>(null);
export const decisionSaving = signal(false);
/** What the polite live region says after a save ("Saved: Verified. Next: ID back of …"). */
export const decisionAnnouncement = signal('');

function formFor(d: ReviewDocument | null): DecisionDraft {
  const x = d?.decision;
  return x ? { decision: x.decision, reasons: [...x.reasons], note: x.note } : { decision: null, reasons: [], note: '' };
}

export function setDecision(decision: Decision) {
  decisionForm.value = { ...decisionForm.value, decision };
}
export function toggleReason(reason: DecisionReason, on: boolean) {
  const f = decisionForm.value;
  const reasons = on ? [...new Set([...f.reasons, reason])] : f.reasons.filter((r) => r !== reason);
  decisionForm.value = { ...f, reasons };
  if (decisionError.value?.field === 'reasons') decisionError.value = null;
}
export function setNote(note: string) {
  decisionForm.value = { ...decisionForm.value, note };
  if (decisionError.value?.field === 'note') decisionError.value = null;
}

// ---------------------------------------------------------------------------------------------
// Loading and selecting

/** Open the documents screen for a draft (from the editor, the library, …). */
export function openDocumentsReview(id: string) {
  // Already showing it: read it again (the screen loads by itself when it appears).
  const again = screen.value === 'documents' && reviewDraftId.value === id;
  if (reviewDraftId.value !== id) {
    batch(() => {
      reviewView.value = null;
      selectedFileId.value = null;
      reviewError.value = null;
      decisionError.value = null;
      approveError.value = null;
      decisionForm.value = formFor(null);
    });
  }
  reviewDraftId.value = id;
  go('documents');
  if (again) void loadReview();
}

let asked = 0;

/** `review_status` for the reviewed draft (the latest answer wins). */
export async function loadReview() {
  const id = reviewDraftId.value;
  if (!id) return;
  const mine = ++asked;
  reviewLoading.value = true;
  try {
    // What is typed in the editor goes into the stored draft first.
    await flushDraft();
    const v = await ipc.reviewStatus(id);
    if (mine !== asked) return;
    applyView(v);
    reviewError.value = null;
  } catch (e) {
    if (mine === asked) reviewError.value = toCommandError(e);
  } finally {
    if (mine === asked) reviewLoading.value = false;
  }
}

/** Take a new answer; keep the selection when its document is still there (else the first). */
export function applyView(v: ReviewView) {
  batch(() => {
    const first = reviewView.value === null;
    reviewView.value = v;
    const order = docOrder.value;
    const still = order.some((d) => d.reference.file_id === selectedFileId.value);
    if (!still) {
      const start = first ? (order.find((d) => !d.decision) ?? order[0]) : order[0];
      selectDocument(start?.reference.file_id ?? null);
    }
  });
}

export function selectDocument(fileId: string | null) {
  if (fileId === selectedFileId.value && fileId !== null) return;
  batch(() => {
    selectedFileId.value = fileId;
    zoom.value = 1;
    rotation.value = 0;
    decisionError.value = null;
    decisionForm.value = formFor(docOrder.value.find((d) => d.reference.file_id === fileId) ?? null);
  });
}

/** `n` / `p`: the next or previous document in list order. */
export function stepDocument(step: number): string | null {
  const next = stepFrom(docOrder.value, selectedFileId.value, step);
  if (next) selectDocument(next);
  return next;
}

// ---------------------------------------------------------------------------------------------
// Actions

export interface SaveResult {
  /** Saved. */
  ok: boolean;
  /** Refused or failed (`decisionError` says why); not set when there was nothing to save. */
  failed: boolean;
  /** The document selected after the save (the next undecided one), if it moved. */
  next: string | null;
}

/**
 * `decide_document` with the form as it is. On success the next undecided document is selected
 * (its file id is answered, for focus); on failure `decisionError` holds the error (`reasons` /
 * `note` on `field` for `invalid_input`, or `self_approval`).
 */
export async function saveDecision(): Promise<SaveResult> {
  const id = reviewDraftId.value;
  const doc = selectedDoc.value;
  const f = decisionForm.value;
  if (!id || !doc || !f.decision || decisionSaving.value) return { ok: false, failed: false, next: null };
  decisionSaving.value = true;
  decisionError.value = null;
  try {
    const reasons = needsReasons(f.decision) ? f.reasons : [];
    const v = await ipc.decideDocument(id, doc.reference.file_id, f.decision, reasons, f.note);
    const current = doc.reference.file_id;
    reviewView.value = v;
    const next = nextUndecided(docOrder.value, current);
    if (next) selectDocument(next);
    else decisionForm.value = formFor(docOrder.value.find((d) => d.reference.file_id === current) ?? null);
    decisionAnnouncement.value = next ? 'Decision saved. Showing the next document without a decision.' : 'Decision saved. Every document has a decision.';
    return { ok: true, failed: false, next };
  } catch (e) {
    decisionError.value = toCommandError(e);
    decisionAnnouncement.value = '';
    return { ok: false, failed: true, next: null };
  } finally {
    decisionSaving.value = false;
  }
}

/** Decisions asked for while one is being saved wait their turn (fast `v v v` decides one after another). */
let decisions: Promise<unknown> = Promise.resolve();

/** Queue a decision: `prepare` runs when the earlier ones are done (on the then selected document). */
export function queueDecision(prepare?: () => void): Promise<SaveResult> {
  const run = decisions.then(() => {
    prepare?.();
    return saveDecision();
  });
  decisions = run.catch(() => undefined);
  return run;
}

/** Run an action answering a new view; rejects with its CommandError. */
async function withView(fn: (id: string) => Promise<ReviewView>): Promise<ReviewView | null> {
  const id = reviewDraftId.value;
  if (!id) return null;
  const v = await fn(id);
  applyView(v);
  return v;
}

export const confirmMatch = (path: string, confirmed: boolean) => withView((id) => ipc.confirmIdentifier(id, path, confirmed));

/** Why the last approval failed (`self_approval`, `checklist_incomplete` with `paths`, …). */
export const approveError = signal<CommandError | null>(null);
export const approving = signal(false);
/** Whether Approve is offered now: the view names no blocker. */
export const canApprove = computed(() => {
  const v = reviewView.value;
  return v !== null && !v.approve_blocker && !approving.value;
});

/** `approve_draft` as the active profile (button or key `a`). */
export async function approve(): Promise<boolean> {
  if (!canApprove.value) return false;
  approving.value = true;
  approveError.value = null;
  try {
    await withView((id) => ipc.approveDraft(id));
    // The editor and Review changes show the open draft's approval: ask for it again now,
    // as nothing they follow (a save, the profile, the outbox) changes on an approval.
    void refreshOpenDraftReview();
    return true;
  } catch (e) {
    approveError.value = toCommandError(e);
    return false;
  } finally {
    approving.value = false;
  }
}

export async function exportCaseReport(): Promise<ExportedDraft | null> {
  const id = reviewDraftId.value;
  return id ? ipc.exportCaseReport(id) : null;
}

/** Attach the file the officer has for a document without a local copy, then refresh. */
export async function attachCopy(fileId: string, file: File) {
  const id = reviewDraftId.value;
  if (!id) return;
  // Sent in chunks, like an upload: the page never holds the whole file.
  await ipc.attachDocumentCopy(id, fileId, file);
  await loadReview();
}

/** "Jump to field": the reviewed draft in the editor, focused on `path`. */
export async function jumpToField(path: string) {
  const id = reviewDraftId.value;
  if (!id) return;
  if (openDraftId() !== id) await openDraftById(id);
  focusOnArrival.value = path;
  go('editor');
}
