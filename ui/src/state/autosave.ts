/**
 * The autosave scheduler behind drafts: every edit schedules a save of the whole record, sent
 * `delayMs` after the last edit (debounce) or at once on `flush()` (blur, page hidden, closing).
 *
 * Saves are strictly one at a time and in order, so the last edit is always the last write (a
 * save never overtakes an older one, and a new draft's id from the first answer is known before
 * the second save is sent). While one is in flight, newer edits wait; only the newest is sent.
 * A failed save keeps its input: the next edit (which carries the whole newer record) or the
 * next `flush()` sends it again. Nothing here ever touches the record being edited.
 */

import { realTimers, type Timers } from './schedule';

export type SavePhase =
  /** Nothing scheduled and nothing saved yet (just opened). */
  | 'idle'
  /** An edit waits for its timer. */
  | 'pending'
  /** A save is in flight. */
  | 'saving'
  /** Everything scheduled so far is stored. */
  | 'saved'
  /** The last save failed and nothing newer has been stored since. */
  | 'error';

export interface AutosaveOptions<T, R> {
  delayMs: number;
  save: (input: T) => Promise<R>;
  /** A save succeeded (not called for saves started before the last `reset`). */
  onSaved: (result: R, input: T) => void;
  /** A save failed; its input is kept for the next attempt. */
  onError: (error: unknown, input: T) => void;
  onPhase?: (phase: SavePhase) => void;
  timers?: Timers;
}

export interface Autosaver<T> {
  /** Save `input` after the delay, replacing any input still waiting. */
  schedule(input: T): void;
  /**
   * Send what waits (or what last failed) now; resolves once nothing scheduled before the call
   * is waiting or in flight, with `true` when everything is stored.
   */
  flush(): Promise<boolean>;
  /** Forget what waits and ignore answers still in flight (another draft is opened). */
  reset(): void;
  /** An edit waits, is in flight, or failed. */
  hasUnsaved(): boolean;
  phase(): SavePhase;
}

export function createAutosaver<T, R>(o: AutosaveOptions<T, R>): Autosaver<T> {
  const timers = o.timers ?? realTimers;
  let timer: unknown = null;
  let pending: { input: T } | null = null;
  let failed: { input: T } | null = null;
  let inFlight = false;
  /** The pending input should be sent as soon as the save in flight is done. */
  let due = false;
  let generation = 0;
  let phase: SavePhase = 'idle';
  let waiters: Array<() => void> = [];

  const emit = (p: SavePhase) => {
    if (p !== phase) {
      phase = p;
      o.onPhase?.(p);
    }
  };

  const clearTimer = () => {
    if (timer !== null) {
      timers.clearTimeout(timer);
      timer = null;
    }
  };

  /** Nothing more to send right now: report the phase and release `flush()` callers. */
  const settle = () => {
    if (inFlight || (pending && due)) return;
    emit(failed ? 'error' : pending ? 'pending' : phase === 'idle' ? 'idle' : 'saved');
    const ready = waiters;
    waiters = [];
    for (const w of ready) w();
  };

  const send = () => {
    if (inFlight) return; // sent when the one in flight is done
    clearTimer();
    const box = pending ?? failed;
    if (!box) {
      settle();
      return;
    }
    pending = null;
    failed = null;
    due = false;
    inFlight = true;
    emit('saving');
    const mine = generation;
    let answer: Promise<R>;
    try {
      answer = o.save(box.input);
    } catch (e) {
      answer = Promise.reject(e);
    }
    answer
      .then(
        (r) => {
          if (mine === generation) o.onSaved(r, box.input);
        },
        (e) => {
          if (mine !== generation) return;
          // A newer edit carries the whole newer record: it replaces the failed one.
          if (!pending) failed = box;
          o.onError(e, box.input);
        },
      )
      .catch(() => undefined) // a throwing callback must not stop the queue
      .finally(() => {
        inFlight = false;
        if (pending && due) send();
        else settle();
      });
  };

  return {
    schedule(input) {
      pending = { input };
      clearTimer();
      if (!inFlight) emit('pending');
      timer = timers.setTimeout(() => {
        timer = null;
        due = true;
        send();
      }, o.delayMs);
    },
    flush() {
      return new Promise<boolean>((resolve) => {
        waiters.push(() => resolve(!pending && !failed));
        clearTimer();
        if (pending || failed) {
          due = true;
          send();
        } else settle();
      });
    },
    reset() {
      clearTimer();
      pending = null;
      failed = null;
      due = false;
      generation++;
      phase = 'idle';
      o.onPhase?.('idle');
      settle();
    },
    hasUnsaved: () => pending !== null || failed !== null || inFlight,
    phase: () => phase,
  };
}
