/**
 * Team drafts on this desktop: opening or starting one makes its local copy (Rust) and opens it
 * in the editor like any draft (autosave stores it, the team sync pushes it); "Review documents"
 * opens the documents screen on that copy. Submitting a team draft goes through the team server
 * (`team_submit`), followed here every 2 s until it has settled and the partner's status is no
 * longer "Processing".
 */

import { signal } from '@preact/signals';
import * as ipc from '../ipc';
import { CommandError } from '../ipc';
import type { TeamSubmissionView } from '../bindings/TeamSubmissionView';
import type { Draft } from '../types';
import { flushDraft, openDraftInEditor, saveError, saveNow } from './drafts';
import { go } from './navigation';
import { openDocumentsReview } from './review';
import { refreshTeamStatus } from './team';

/** How often a team submission is asked again while it is on its way. */
export const TEAM_SUBMISSION_POLL_MS = 2_000;

async function showInEditor(d: Draft) {
  await openDraftInEditor(d);
  go('editor');
  void refreshTeamStatus();
}

/** Team draft `teamId`'s local copy, in the editor. */
export async function openTeamDraft(teamId: string) {
  await flushDraft();
  await showInEditor(await ipc.teamOpenDraft(teamId));
}

/** A new (or the customer's open) team draft in team environment `environment`, in the editor. */
export async function startTeamDraft(environment: string, customerId: string) {
  await flushDraft();
  await showInEditor(await ipc.teamStartDraft(environment, customerId));
}

/** Team draft `teamId`'s documents, on the documents review screen (on its local copy). */
export async function reviewTeamDraft(teamId: string) {
  await flushDraft();
  const d = await ipc.teamOpenDraft(teamId);
  openDocumentsReview(d.id);
}

/** The team submission the Submission screen shows (instead of an outbox entry). */
export const followedTeamSubmission = signal<{ draftId: string; view: TeamSubmissionView } | null>(null);

/** Store the open draft as it is and submit it through the team server. */
export async function submitOpenTeamDraft(): Promise<TeamSubmissionView> {
  const id = await saveNow();
  if (!id) {
    throw saveError.value ?? new CommandError('internal', 'The draft could not be stored, so it cannot be submitted.');
  }
  const view = await ipc.teamSubmit(id);
  followedTeamSubmission.value = { draftId: id, view };
  void refreshTeamStatus();
  return view;
}

/**
 * Whether the submission is still on its way: queued or being sent by the server, or sent and the
 * partner's status not known yet or still "Processing" (the partner's own word for it).
 */
export function teamSubmissionAwaits(view: TeamSubmissionView): boolean {
  const state = view.submission.state;
  if (state === 'queued' || state === 'sending') return true;
  return state === 'sent' && (view.customer_status === undefined || view.customer_status === 'Processing');
}

/** Ask the server again for the followed submission (the latest answer wins). */
export async function refreshFollowedTeamSubmission(): Promise<void> {
  const followed = followedTeamSubmission.peek();
  if (!followed) return;
  const view = await ipc.teamSubmission(followed.draftId);
  if (followedTeamSubmission.peek()?.draftId !== followed.draftId || !view) return;
  followedTeamSubmission.value = { draftId: followed.draftId, view };
}

/** Follow a solo submission again (the outbox entry), not a team one. */
export function stopFollowingTeamSubmission() {
  followedTeamSubmission.value = null;
}
