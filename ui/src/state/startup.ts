/**
 * Start-up: session and reference data, then the outbox status; then who is working (the
 * chooser when no profile is active) and the draft that was open.
 */

import { restoreOnStart } from './drafts';
import { startOutboxPolling } from './outbox';
import { loadProfiles, openProfileChooser } from './profiles';
import { start, startupError } from './session';

export async function startApp() {
  await start();
  if (startupError.value) return;
  startOutboxPolling();
  const p = await loadProfiles();
  if (p && !p.active) {
    // "Who is working?" first; then on to where start-up would have gone (the open draft, if any).
    openProfileChooser('start', { returnTo: 'open', next: restoreOnStart });
    return;
  }
  await restoreOnStart();
}
