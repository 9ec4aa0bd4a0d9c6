import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createAutosaver, type SavePhase } from './autosave';

function deferred<T>() {
  let resolve!: (v: T) => void;
  let reject!: (e: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

/** A fake save_draft: each call waits until the test answers it. */
function harness() {
  const calls: { input: string; d: ReturnType<typeof deferred<string>> }[] = [];
  const saved: string[] = [];
  const errors: unknown[] = [];
  const phases: SavePhase[] = [];
  const s = createAutosaver<string, string>({
    delayMs: 250,
    save: (input) => {
      const d = deferred<string>();
      calls.push({ input, d });
      return d.promise;
    },
    onSaved: (r) => saved.push(r),
    onError: (e) => errors.push(e),
    onPhase: (p) => phases.push(p),
  });
  return { s, calls, saved, errors, phases };
}

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

describe('autosave', () => {
  it('debounces: one save of the last input, 250 ms after the last edit', async () => {
    const h = harness();
    h.s.schedule('a');
    vi.advanceTimersByTime(200);
    h.s.schedule('ab');
    vi.advanceTimersByTime(200);
    h.s.schedule('abc');
    vi.advanceTimersByTime(249);
    expect(h.calls).toHaveLength(0);
    expect(h.s.phase()).toBe('pending');
    vi.advanceTimersByTime(1);
    expect(h.calls.map((c) => c.input)).toEqual(['abc']);
    expect(h.s.phase()).toBe('saving');
    h.calls[0]!.d.resolve('rev1');
    await vi.runAllTimersAsync();
    expect(h.saved).toEqual(['rev1']);
    expect(h.s.phase()).toBe('saved');
    expect(h.s.hasUnsaved()).toBe(false);
  });

  it('flush sends at once (blur, page hidden, closing) and resolves when stored', async () => {
    const h = harness();
    h.s.schedule('typed');
    const done = h.s.flush();
    expect(h.calls.map((c) => c.input)).toEqual(['typed']);
    let flushed: boolean | undefined;
    void done.then((v) => (flushed = v));
    await Promise.resolve();
    expect(flushed).toBeUndefined();
    h.calls[0]!.d.resolve('ok');
    await vi.runAllTimersAsync();
    expect(flushed).toBe(true);
    // nothing scheduled: flush resolves at once, nothing sent
    await expect(h.s.flush()).resolves.toBe(true);
    expect(h.calls).toHaveLength(1);
  });

  it('keeps saves in order: one in flight, newer edits wait, only the newest is sent (last write wins)', async () => {
    const h = harness();
    h.s.schedule('v1');
    vi.advanceTimersByTime(250);
    h.s.schedule('v2');
    vi.advanceTimersByTime(250);
    h.s.schedule('v3');
    vi.advanceTimersByTime(250);
    // v1 still in flight: v2 and v3 are not sent yet, and v2 never will be
    expect(h.calls.map((c) => c.input)).toEqual(['v1']);
    h.calls[0]!.d.resolve('saved v1');
    await vi.runAllTimersAsync();
    expect(h.calls.map((c) => c.input)).toEqual(['v1', 'v3']);
    h.calls[1]!.d.resolve('saved v3');
    await vi.runAllTimersAsync();
    expect(h.saved).toEqual(['saved v1', 'saved v3']);
    expect(h.s.phase()).toBe('saved');
  });

  it('an edit still inside its debounce window is not sent early when the previous save answers', async () => {
    const h = harness();
    h.s.schedule('v1');
    vi.advanceTimersByTime(250);
    h.s.schedule('v2');
    h.calls[0]!.d.resolve('r1');
    await Promise.resolve();
    await Promise.resolve();
    await Promise.resolve();
    expect(h.calls).toHaveLength(1);
    expect(h.s.phase()).toBe('pending');
    vi.advanceTimersByTime(250);
    expect(h.calls.map((c) => c.input)).toEqual(['v1', 'v2']);
  });

  it('keeps the failed input and the error; the next flush sends it again', async () => {
    const h = harness();
    h.s.schedule('typed value');
    vi.advanceTimersByTime(250);
    h.calls[0]!.d.reject({ kind: 'keychain_unavailable' });
    await vi.runAllTimersAsync();
    expect(h.errors).toEqual([{ kind: 'keychain_unavailable' }]);
    expect(h.s.phase()).toBe('error');
    expect(h.s.hasUnsaved()).toBe(true);
    const again = h.s.flush();
    expect(h.calls.map((c) => c.input)).toEqual(['typed value', 'typed value']);
    h.calls[1]!.d.resolve('stored');
    await expect(again).resolves.toBe(true);
    expect(h.saved).toEqual(['stored']);
    expect(h.s.phase()).toBe('saved');
  });

  it('after a failure a newer edit replaces the failed input (it carries the whole newer record)', async () => {
    const h = harness();
    h.s.schedule('old');
    vi.advanceTimersByTime(250);
    h.s.schedule('newer');
    h.calls[0]!.d.reject(new Error('disk full'));
    await Promise.resolve();
    await Promise.resolve();
    await Promise.resolve();
    vi.advanceTimersByTime(250);
    expect(h.calls.map((c) => c.input)).toEqual(['old', 'newer']);
    h.calls[1]!.d.resolve('ok');
    await vi.runAllTimersAsync();
    expect(h.s.hasUnsaved()).toBe(false);
    await expect(h.s.flush()).resolves.toBe(true);
    expect(h.calls).toHaveLength(2);
  });

  it('flush resolves false while the save keeps failing, without looping', async () => {
    const h = harness();
    h.s.schedule('x');
    const f = h.s.flush();
    h.calls[0]!.d.reject(new Error('no'));
    await expect(f).resolves.toBe(false);
    expect(h.calls).toHaveLength(1);
  });

  it('reset forgets what waits and ignores an answer for the previous draft', async () => {
    const h = harness();
    h.s.schedule('draft A');
    vi.advanceTimersByTime(250);
    h.s.schedule('draft A, more');
    h.s.reset();
    h.calls[0]!.d.resolve('A stored');
    await vi.runAllTimersAsync();
    expect(h.saved).toEqual([]);
    expect(h.calls).toHaveLength(1);
    expect(h.s.phase()).toBe('idle');
    h.s.schedule('draft B');
    vi.advanceTimersByTime(250);
    expect(h.calls.map((c) => c.input)).toEqual(['draft A', 'draft B']);
  });

  it('a new draft waits for the previous draft’s save in flight (never two at once)', async () => {
    const h = harness();
    h.s.schedule('A');
    vi.advanceTimersByTime(250);
    h.s.reset();
    h.s.schedule('B');
    vi.advanceTimersByTime(250);
    expect(h.calls).toHaveLength(1);
    h.calls[0]!.d.resolve('A');
    await vi.runAllTimersAsync();
    expect(h.calls.map((c) => c.input)).toEqual(['A', 'B']);
  });
});
