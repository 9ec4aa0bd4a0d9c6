/** Following a submitted record until the partner has settled it. */

import type { Customer } from '../types';
import { realTimers, type Timers } from './schedule';

export const isSettled = (c: Pick<Customer, 'status'>) => c.status !== 'Processing';

export interface PollOptions {
  intervalMs: number;
  /** Give up (and say so) after this many refreshes without a settled status. */
  maxTries: number;
  fetch: () => Promise<Customer>;
  onUpdate: (c: Customer) => void;
  onError: (e: unknown) => void;
  onGiveUp: () => void;
  timers?: Timers;
}

/**
 * Refresh every `intervalMs` until the status is settled, an error occurs, or `maxTries` is
 * reached. Returns a function that stops it (for leaving the screen). One refresh at a time:
 * the next is scheduled only after the previous answered.
 */
export function pollUntilSettled(opts: PollOptions): () => void {
  const timers = opts.timers ?? realTimers;
  let stopped = false;
  let tries = 0;
  let handle: unknown = null;

  const tick = () => {
    handle = null;
    if (stopped) return;
    tries++;
    opts.fetch().then(
      (c) => {
        if (stopped) return;
        opts.onUpdate(c);
        if (isSettled(c)) return;
        if (tries >= opts.maxTries) opts.onGiveUp();
        else handle = timers.setTimeout(tick, opts.intervalMs);
      },
      (e) => {
        if (!stopped) opts.onError(e);
      },
    );
  };
  handle = timers.setTimeout(tick, opts.intervalMs);
  return () => {
    stopped = true;
    if (handle !== null) timers.clearTimeout(handle);
  };
}
