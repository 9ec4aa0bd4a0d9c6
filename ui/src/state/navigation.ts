/**
 * Navigation: which screen shows, and which customer (existing or new) the editor has open.
 */

import { computed, signal } from '@preact/signals';
import type { DraftTarget } from '../types';

export type ScreenName =
  | 'open'
  | 'editor'
  | 'review'
  | 'submission'
  | 'conflict'
  | 'drafts'
  /** Changes waiting for an approval the person working now may give (screens/NeedsReview.tsx). */
  | 'needs-review'
  | 'outbox'
  | 'settings'
  /** "Who is working?" (state/profiles.ts). */
  | 'profile'
  /** Review documents of a draft (state/review.ts). */
  | 'documents'
  /** The audit trail (state/audit.ts). */
  | 'audit'
  /** The team's drafts and their queues (team mode, state/team.ts). */
  | 'team';
export const screen = signal<ScreenName>('open');
/** A record path to focus when the editor shows next ("Jump to field" from the documents screen). */
export const focusOnArrival = signal<string | null>(null);
/** Where Settings' "Back" goes. */
export const screenBeforeSettings = signal<ScreenName>('open');

/** The customer to update, or the new customer to create; `null` when the editor is closed. */
export const openTarget = signal<DraftTarget | null>(null);

export const isNewCustomer = computed(() => openTarget.value?.kind === 'create');

export function go(to: ScreenName) {
  if (to === 'settings' && screen.value !== 'settings') screenBeforeSettings.value = screen.value;
  if ((to === 'editor' || to === 'review') && !openTarget.value) to = 'open';
  screen.value = to;
}
