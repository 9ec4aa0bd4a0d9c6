// @vitest-environment jsdom
import { render } from 'preact';
import { act } from 'preact/test-utils';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CommandError } from '../ipc';
import { useAction, type Action, type ActionOptions } from './useAction';

/** A promise the test settles by hand. */
function deferred() {
  let resolve!: () => void;
  let reject!: (e: unknown) => void;
  const promise = new Promise<void>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

let root: HTMLElement;
let seen: Action<[string]>;
let renders: Action<[string]>[];

function Probe({ fn, options }: { fn: (id: string) => Promise<unknown>; options?: ActionOptions<[string]> }) {
  seen = useAction(fn, { key: (id) => `row:${id}`, ...options });
  renders.push(seen);
  return null;
}

beforeEach(() => {
  root = document.createElement('div');
  renders = [];
});
afterEach(() => render(null, root));

describe('useAction', () => {
  it('is busy while the action runs, keyed by its arguments, and idle after it worked', async () => {
    const call = deferred();
    const asked: string[] = [];
    render(<Probe fn={(id) => (asked.push(id), call.promise)} />, root);
    expect(seen.busy).toBe(false);

    let outcome!: Promise<boolean>;
    await act(() => {
      outcome = seen.run('entry-1');
    });
    expect(asked).toEqual(['entry-1']);
    expect(seen.busy).toBe(true);
    expect(seen.busyKey).toBe('row:entry-1');

    await act(async () => {
      call.resolve();
      await outcome;
    });
    expect(await outcome).toBe(true);
    expect(seen.busy).toBe(false);
    expect(seen.busyKey).toBeNull();
    expect(seen.error).toBeNull();
  });

  it('turns a failure into a typed CommandError, tells onError, and clears it at the next run', async () => {
    const told: [string, string][] = [];
    let fail = true;
    const fn = async () => {
      if (fail) throw { kind: 'invalid_input', message: 'Name is empty.', field: 'name' };
    };
    render(<Probe fn={fn} options={{ onError: (e, id) => told.push([e.kind, id]) }} />, root);

    let worked = true;
    await act(async () => {
      worked = await seen.run('profile');
    });
    expect(worked).toBe(false);
    expect(seen.busy).toBe(false);
    expect(seen.error).toBeInstanceOf(CommandError);
    expect(seen.error?.kind).toBe('invalid_input');
    expect(seen.error?.field).toBe('name');
    expect(seen.errorKey).toBe('row:profile');
    expect(told).toEqual([['invalid_input', 'profile']]);

    fail = false;
    await act(async () => {
      worked = await seen.run('profile');
    });
    expect(worked).toBe(true);
    expect(seen.error).toBeNull();
    expect(seen.errorKey).toBeNull();
  });

  it('without a key it is busy all the same', async () => {
    const call = deferred();
    const Unkeyed = () => {
      seen = useAction((_id: string) => call.promise);
      return null;
    };
    render(<Unkeyed />, root);
    let outcome!: Promise<boolean>;
    await act(() => {
      outcome = seen.run('a');
    });
    expect(seen.busy).toBe(true);
    expect(seen.busyKey).toBeNull();
    await act(async () => {
      call.reject({ kind: 'network', message: 'offline' });
      await outcome;
    });
    expect(seen.busy).toBe(false);
    expect(seen.error?.kind).toBe('network');
    expect(seen.errorKey).toBeNull();
  });

  it('clearError hides the error; run keeps its identity across renders', async () => {
    render(<Probe fn={() => Promise.reject(new Error('disk full'))} />, root);
    const firstRun = seen.run;
    await act(async () => {
      await seen.run('x');
    });
    expect(seen.error?.kind).toBe('internal');
    expect(seen.error?.message).toBe('disk full');
    await act(() => seen.clearError());
    expect(seen.error).toBeNull();
    expect(renders.length).toBeGreaterThan(2);
    expect(seen.run).toBe(firstRun);
  });
});
