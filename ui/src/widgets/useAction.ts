import { useCallback, useRef, useState } from 'preact/hooks';
import { toCommandError, type CommandError } from '../ipc';

export interface Action<A extends unknown[]> {
  /**
   * Runs the action: the last error goes, `busy` holds until it settles, a failure lands in
   * `error` as a typed `CommandError`. Resolves true when the action worked; never rejects.
   */
  run: (...args: A) => Promise<boolean>;
  busy: boolean;
  /** `options.key` of the run in flight (which row is busy), `null` when idle or unkeyed. */
  busyKey: string | null;
  error: CommandError | null;
  /** `options.key` of the run that failed (which row the error belongs to). */
  errorKey: string | null;
  /** Hide the error (the user changed what it was about). */
  clearError: () => void;
}

export interface ActionOptions<A extends unknown[]> {
  /**
   * Names a run by its arguments (an entry id, a record path) for `busyKey` and `errorKey`.
   * Only this name is kept: the arguments themselves (a secret, say) never enter page state.
   */
  key?: (...args: A) => string;
  /** Told of each failure after `error` is set (to move focus to the field at fault, say). */
  onError?: (error: CommandError, ...args: A) => void;
}

/**
 * The busy/error pattern of a button that calls the back end: busy while the call runs, its
 * failure shown until the next try. Runs are not serialised: callers that must not overlap
 * check `busy` (or disable the button) as before.
 */
export function useAction<A extends unknown[]>(action: (...args: A) => Promise<unknown>, options: ActionOptions<A> = {}): Action<A> {
  const [running, setRunning] = useState<{ key: string | null } | null>(null);
  const [failure, setFailure] = useState<{ error: CommandError; key: string | null } | null>(null);
  // The latest action and options, so `run` keeps its identity across renders.
  const latest = useRef({ action, options });
  latest.current = { action, options };

  const run = useCallback(async (...args: A): Promise<boolean> => {
    const { action: act, options: opts } = latest.current;
    const key = opts.key ? opts.key(...args) : null;
    setFailure(null);
    setRunning({ key });
    try {
      await act(...args);
      return true;
    } catch (e) {
      const error = toCommandError(e);
      setFailure({ error, key });
      opts.onError?.(error, ...args);
      return false;
    } finally {
      setRunning(null);
    }
  }, []);
  const clearError = useCallback(() => setFailure(null), []);

  return {
    run,
    busy: running !== null,
    busyKey: running?.key ?? null,
    error: failure?.error ?? null,
    errorKey: failure?.key ?? null,
    clearError,
  };
}
