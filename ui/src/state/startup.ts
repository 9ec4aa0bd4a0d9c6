/**
 * Start-up: session and reference data, then the outbox status; then who is working (the
 * chooser when no profile is active) and the draft that was open.
 */

import { restoreOnStart } from './drafts';
import { startOutboxPolling } from './outbox';
import { loadProfiles, openProfileChooser } from './profiles';
import { start, startupError } from './session';
import { refreshTeamStatus } from './team';

export async function startApp() {
  await start();
  if (startupError.value) return;
  startOutboxPolling();
  // Before the open draft is reopened: a team draft's environment is known from it.
  const team = refreshTeamStatus();
  const p = await loadProfiles();
  if (p && !p.active) {
    // "Who is working?" first; then on to where start-up would have gone (the open draft, if any).
    openProfileChooser('start', { returnTo: 'open', next: () => team.then(restoreOnStart) });
    return;
  }
  await team;
  await restoreOnStart();
}
