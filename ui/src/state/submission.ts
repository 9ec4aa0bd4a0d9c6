/**
 * Submitting through the outbox: the open draft is stored, then queued (`queue_draft`); the page
 * follows the entry (polled by state/outbox.ts) until it is sent and settled, or needs the
 * officer (rejected → back to the editor with the partner's problems on the fields; conflict →
 * the conflict screen; failed → retry).
 */

import { batch, computed, effect, signal } from '@preact/signals';
import * as ipc from '../ipc';
import { CommandError } from '../ipc';
import type { EntryProblem, OutboxEntry, ReviewView, ServerFieldError } from '../types';
import { followSent, openDraftById, openDraftId, savedDraft, saveError, saveNow } from './drafts';
import { awaitsPartner, outboxEntries, pollOutboxNow, putEntry } from './outbox';
import { applyPartnerErrors, reviewIssues } from './editor';
import { go } from './navigation';
import { activeProfile } from './profiles';
import { isTeamEnvironment } from './team';

/** The outbox entry the Submission screen (and the Conflict screen) follows. */
export const followingEntryId = signal<string | null>(null);

/** Store the open draft as it is and queue it; then follow the entry. */
export async function queueOpenDraft(confirmation?: string): Promise<OutboxEntry> {
  const id = await saveNow();
  if (!id) {
    throw saveError.value ?? new CommandError('internal', 'The draft could not be stored, so it cannot be queued.');
  }
  const entry = await ipc.queueDraft(id, confirmation);
  putEntry(entry);
  followingEntryId.value = entry.id;
  pollOutboxNow();
  return entry;
}

/** The partner's (or the last validation's) problems, as the field errors the editor shows. */
export function problemsAsFieldErrors(problems: readonly EntryProblem[]): ServerFieldError[] {
  return problems.map((p) => ({ field: p.path ?? null, code: p.code, message: p.message }));
}

/** A rejected entry: its draft in the editor with the problems marked on the fields. */
export async function showRejected(entry: OutboxEntry) {
  if (entry.state.state !== 'rejected') return;
  if (openDraftId() !== entry.draft_id) await openDraftById(entry.draft_id);
  applyPartnerErrors(problemsAsFieldErrors(entry.state.problems));
  go('editor');
}

/** Follow an entry on the conflict screen. */
export function showConflict(entry: OutboxEntry) {
  followingEntryId.value = entry.id;
  go('conflict');
}

export async function retryEntry(id: string) {
  const e = await ipc.retryOutboxEntry(id);
  putEntry(e);
  pollOutboxNow();
  return e;
}

/** Entries seen on their way (not yet settled) in this session. */
const unsettled = new Set<string>();

/**
 * When the open draft's submission settles at the partner (seen here on its way, then sent and
 * no longer Processing), the editor follows the rebased draft, on whatever screen the officer is.
 */
effect(() => {
  for (const e of outboxEntries.value) {
    const settled = e.state.state === 'sent' && !awaitsPartner(e.state);
    if (!settled) {
      unsettled.add(e.id);
    } else if (unsettled.delete(e.id) && e.state.state === 'sent' && e.draft_id === openDraftId()) {
      void followSent(e.draft_id, e.state.customer);
    }
  }
});

// ---------------------------------------------------------------------------------------------
// The open draft's review state

/**
 * `review_status` of the open draft as stored: its state (unsent changes, approval, whether
 * four-eyes lets it be queued and who can unblock it, its last submission) and what the review
 * will need. Asked again after every save, when the acting profile changes and when the draft's
 * outbox entry moves on; the editor, Review changes and the approval note render it.
 */
export const openDraftReview = signal<ReviewView | null>(null);
/** The last `review_status` of the open draft failed (shown as "could not be checked"). */
export const openDraftReviewFailed = signal(false);

let asked = 0;
export async function refreshOpenDraftReview(): Promise<void> {
  const id = savedDraft.peek()?.id ?? null;
  const mine = ++asked;
  if (!id) {
    batch(() => {
      openDraftReview.value = null;
      openDraftReviewFailed.value = false;
      reviewIssues.value = [];
    });
    return;
  }
  try {
    const view = await ipc.reviewStatus(id);
    if (mine !== asked || savedDraft.peek()?.id !== id) return;
    batch(() => {
      openDraftReview.value = view;
      openDraftReviewFailed.value = false;
      // The review's needs, beside their fields in the editor (Rust decides which, and where).
      reviewIssues.value = view.state.blockers.map((b) => ({ path: b.path, code: b.id, message: b.message, source: 'review' as const }));
    });
  } catch {
    if (mine === asked) openDraftReviewFailed.value = true;
  }
}

/** What the review state depends on: the stored draft, who acts, and its entries' states (not every poll). */
const reviewKey = computed(() => {
  const d = savedDraft.value;
  const entries = d ? outboxEntries.value.filter((e) => e.draft_id === d.id).map((e) => `${e.id}:${e.state.state}`) : [];
  return `${d?.id ?? ''}:${d?.revision ?? ''}:${activeProfile.value ?? ''}:${entries.join(',')}`;
});

effect(() => {
  reviewKey.value;
  void refreshOpenDraftReview();
});

/** How often a team draft's review state is asked again while it is open. */
export const TEAM_REVIEW_REFRESH_MS = 3_000;

// A team draft is reviewed and approved on other desktops: while one is open, its review state
// (decisions, approval, who prepared it, as the team sync mirrors them) is asked again.
effect(() => {
  const d = savedDraft.value;
  if (!d || !isTeamEnvironment(d.environment)) return;
  const timer = setInterval(() => void refreshOpenDraftReview(), TEAM_REVIEW_REFRESH_MS);
  return () => clearInterval(timer);
});
