import { describe, expect, it, vi } from 'vitest';
import { createLatestScheduler } from './schedule';

function deferred<T>() {
  let resolve!: (v: T) => void;
  let reject!: (e: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

describe('createLatestScheduler', () => {
  it('with delay 0 runs right after the current handler, once for edits made together', async () => {
    const run = vi.fn(async (x: number) => x * 10);
    const deliver = vi.fn();
    const s = createLatestScheduler({ delayMs: 0, run, deliver, fail: vi.fn() });
    s.schedule(1);
    s.schedule(2);
    expect(run).not.toHaveBeenCalled();
    await Promise.resolve();
    expect(run).toHaveBeenCalledTimes(1);
    expect(run).toHaveBeenCalledWith(2);
    await s.flush();
    expect(deliver).toHaveBeenCalledWith(20, 2);
    s.schedule(3);
    s.cancel();
    await Promise.resolve();
    expect(run).toHaveBeenCalledTimes(1);
  });

  it('debounces: only the last input of a burst runs, after the delay', async () => {
    vi.useFakeTimers();
    const run = vi.fn(async (x: number) => x * 10);
    const deliver = vi.fn();
    const s = createLatestScheduler({ delayMs: 150, run, deliver, fail: vi.fn() });
    s.schedule(1);
    vi.advanceTimersByTime(100);
    s.schedule(2);
    vi.advanceTimersByTime(100);
    s.schedule(3);
    expect(run).not.toHaveBeenCalled();
    vi.advanceTimersByTime(149);
    expect(run).not.toHaveBeenCalled();
    vi.advanceTimersByTime(1);
    expect(run).toHaveBeenCalledTimes(1);
    expect(run).toHaveBeenCalledWith(3);
    await vi.runAllTimersAsync();
    expect(deliver).toHaveBeenCalledWith(30, 3);
    vi.useRealTimers();
  });

  it('drops a late answer for an older input (latest wins)', async () => {
    vi.useFakeTimers();
    const calls: ReturnType<typeof deferred<string>>[] = [];
    const run = vi.fn(() => {
      const d = deferred<string>();
      calls.push(d);
      return d.promise;
    });
    const deliver = vi.fn();
    const s = createLatestScheduler<string, string>({ delayMs: 150, run, deliver, fail: vi.fn() });
    s.schedule('old');
    vi.advanceTimersByTime(150);
    s.schedule('new');
    vi.advanceTimersByTime(150);
    expect(run).toHaveBeenCalledTimes(2);
    calls[1]!.resolve('new-result');
    await Promise.resolve();
    calls[0]!.resolve('old-result');
    await vi.runAllTimersAsync();
    expect(deliver).toHaveBeenCalledTimes(1);
    expect(deliver).toHaveBeenCalledWith('new-result', 'new');
    vi.useRealTimers();
  });

  it('reports busy from schedule until the latest answer, and flush runs at once', async () => {
    vi.useFakeTimers();
    const busy: boolean[] = [];
    const run = vi.fn(async (x: number) => x);
    const deliver = vi.fn();
    const s = createLatestScheduler({ delayMs: 150, run, deliver, fail: vi.fn(), onBusyChange: (b) => busy.push(b) });
    s.schedule(7);
    expect(s.isBusy()).toBe(true);
    await s.flush();
    expect(run).toHaveBeenCalledWith(7);
    expect(deliver).toHaveBeenCalledWith(7, 7);
    expect(s.isBusy()).toBe(false);
    expect(busy).toEqual([true, false]);
    vi.advanceTimersByTime(500);
    expect(run).toHaveBeenCalledTimes(1);
    vi.useRealTimers();
  });

  it('passes failures of the latest run to fail()', async () => {
    vi.useFakeTimers();
    const fail = vi.fn();
    const s = createLatestScheduler({ delayMs: 10, run: () => Promise.reject(new Error('boom')), deliver: vi.fn(), fail });
    s.schedule(1);
    await s.flush();
    expect(fail).toHaveBeenCalledTimes(1);
    vi.useRealTimers();
  });

  it('cancel forgets waiting input and in-flight answers', async () => {
    vi.useFakeTimers();
    const d = deferred<number>();
    const run = vi.fn(() => d.promise);
    const deliver = vi.fn();
    const s = createLatestScheduler({ delayMs: 10, run, deliver, fail: vi.fn() });
    s.schedule(1);
    vi.advanceTimersByTime(10);
    s.cancel();
    d.resolve(1);
    await vi.runAllTimersAsync();
    expect(deliver).not.toHaveBeenCalled();
    expect(s.isBusy()).toBe(false);
    vi.useRealTimers();
  });
});
