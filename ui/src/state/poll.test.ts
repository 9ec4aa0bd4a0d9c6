import { describe, expect, it, vi } from 'vitest';
import type { Customer, CustomerStatus } from '../types';
import { pollUntilSettled } from './poll';

const cust = (status: CustomerStatus): Customer => ({ customer_id: 'cus_1', status });

describe('pollUntilSettled', () => {
  it('refreshes every interval until settled', async () => {
    vi.useFakeTimers();
    const answers: CustomerStatus[] = ['Processing', 'Processing', 'Succeeded'];
    const fetch = vi.fn(async () => cust(answers.shift()!));
    const onUpdate = vi.fn();
    pollUntilSettled({ intervalMs: 1000, maxTries: 10, fetch, onUpdate, onError: vi.fn(), onGiveUp: vi.fn() });
    expect(fetch).not.toHaveBeenCalled();
    await vi.advanceTimersByTimeAsync(1000);
    expect(fetch).toHaveBeenCalledTimes(1);
    await vi.advanceTimersByTimeAsync(1000);
    await vi.advanceTimersByTimeAsync(1000);
    expect(fetch).toHaveBeenCalledTimes(3);
    await vi.advanceTimersByTimeAsync(5000);
    expect(fetch).toHaveBeenCalledTimes(3);
    expect(onUpdate.mock.calls.map((c) => c[0].status)).toEqual(['Processing', 'Processing', 'Succeeded']);
    vi.useRealTimers();
  });

  it('stops when cancelled, gives up after maxTries, stops on error', async () => {
    vi.useFakeTimers();
    const fetch = vi.fn(async () => cust('Processing'));
    const stop = pollUntilSettled({ intervalMs: 1000, maxTries: 10, fetch, onUpdate: vi.fn(), onError: vi.fn(), onGiveUp: vi.fn() });
    await vi.advanceTimersByTimeAsync(2000);
    stop();
    await vi.advanceTimersByTimeAsync(5000);
    expect(fetch).toHaveBeenCalledTimes(2);

    const onGiveUp = vi.fn();
    const fetch2 = vi.fn(async () => cust('Processing'));
    pollUntilSettled({ intervalMs: 1000, maxTries: 3, fetch: fetch2, onUpdate: vi.fn(), onError: vi.fn(), onGiveUp });
    await vi.advanceTimersByTimeAsync(10000);
    expect(fetch2).toHaveBeenCalledTimes(3);
    expect(onGiveUp).toHaveBeenCalledTimes(1);

    const onError = vi.fn();
    const fetch3 = vi.fn(async () => {
      throw new Error('down');
    });
    pollUntilSettled({ intervalMs: 1000, maxTries: 3, fetch: fetch3, onUpdate: vi.fn(), onError, onGiveUp: vi.fn() });
    await vi.advanceTimersByTimeAsync(10000);
    expect(fetch3).toHaveBeenCalledTimes(1);
    expect(onError).toHaveBeenCalledTimes(1);
    vi.useRealTimers();
  });
});
