/** Start-up: session and reference data, then the outbox status and the draft that was open. */

import { restoreOnStart } from './drafts';
import { startOutboxPolling } from './outbox';
import { start, startupError } from './store';

export async function startApp() {
  await start();
  if (startupError.value) return;
  startOutboxPolling();
  await restoreOnStart();
}
