/**
 * Submitting through the outbox: the open draft is stored, then queued (`queue_draft`); the page
 * follows the entry (polled by state/outbox.ts) until it is sent and settled, or needs the
 * officer (rejected → back to the editor with the partner's problems on the fields; conflict →
 * the conflict screen; failed → retry).
 */

import { effect, signal } from '@preact/signals';
import * as ipc from '../ipc';
import { CommandError } from '../ipc';
import type { EntryProblem, OutboxEntry, ServerFieldError } from '../types';
import { followSent, openDraftById, openDraftId, saveError, saveNow } from './drafts';
import { awaitsPartner, outboxEntries, pollOutboxNow, putEntry } from './outbox';
import { applyPartnerErrors } from './editor';
import { go } from './navigation';

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
