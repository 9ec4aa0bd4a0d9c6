/**
 * Latest-wins scheduling of an asynchronous check (used for `validate_record` on every edit),
 * after a debounce delay or, with `delayMs: 0`, right after the current event handler (edits made
 * in one handler are checked once). Only the answer for the most recent input is ever delivered: an older call that
 * finishes late is dropped, so issues never flicker back to a previous state.
 */

export interface Timers {
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export const realTimers: Timers = {
  setTimeout: (fn, ms) => globalThis.setTimeout(fn, ms),
  clearTimeout: (h) => globalThis.clearTimeout(h as ReturnType<typeof setTimeout>),
};

export interface LatestScheduler<T> {
  /** Run the check for `input` after the delay, replacing any input still waiting. */
  schedule(input: T): void;
  /** Run the waiting input now (if any) and resolve once the latest answer has been delivered. */
  flush(): Promise<void>;
  /** Forget the waiting input and ignore any answer still in flight. */
  cancel(): void;
  /** True while an input waits for its timer or its answer. */
  isBusy(): boolean;
}

export function createLatestScheduler<T, R>(opts: {
  delayMs: number;
  run: (input: T) => Promise<R>;
  deliver: (result: R, input: T) => void;
  fail: (error: unknown, input: T) => void;
  onBusyChange?: (busy: boolean) => void;
  timers?: Timers;
}): LatestScheduler<T> {
  const timers = opts.timers ?? realTimers;
  let timer: unknown = null;
  let waiting: { input: T } | null = null;
  let seq = 0;
  let inFlight: Promise<void> | null = null;
  let busy = false;
  let microtaskQueued = false;

  const setBusy = (b: boolean) => {
    if (b !== busy) {
      busy = b;
      opts.onBusyChange?.(b);
    }
  };

  const start = (): Promise<void> => {
    if (timer !== null) {
      timers.clearTimeout(timer);
      timer = null;
    }
    if (!waiting) return inFlight ?? Promise.resolve();
    const { input } = waiting;
    waiting = null;
    const mine = ++seq;
    const p = opts.run(input).then(
      (r) => {
        if (mine === seq) opts.deliver(r, input);
      },
      (e) => {
        if (mine === seq) opts.fail(e, input);
      },
    ).finally(() => {
      if (mine === seq) {
        inFlight = null;
        if (!waiting) setBusy(false);
      }
    });
    inFlight = p;
    return p;
  };

  return {
    schedule(input) {
      waiting = { input };
      setBusy(true);
      if (timer !== null) timers.clearTimeout(timer);
      timer = null;
      if (opts.delayMs <= 0) {
        if (!microtaskQueued) {
          microtaskQueued = true;
          queueMicrotask(() => {
            microtaskQueued = false;
            void start();
          });
        }
        return;
      }
      timer = timers.setTimeout(() => {
        timer = null;
        void start();
      }, opts.delayMs);
    },
    flush() {
      if (waiting) return start();
      return inFlight ?? Promise.resolve();
    },
    cancel() {
      if (timer !== null) timers.clearTimeout(timer);
      timer = null;
      waiting = null;
      seq++;
      inFlight = null;
      setBusy(false);
    },
    isBusy: () => busy,
  };
}
