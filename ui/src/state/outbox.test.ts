import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Customer, OutboxEntry, OutboxState } from '../types';
import { canCancel, canRetry, createAdaptivePoller, isInFlight, isUnsent, pollDelay, stateLabel, stateTone } from './outbox';
import { clockMinutes } from './time';

const customer = (status: Customer['status']): Customer => ({ customer_id: 'cus_1', status });
const entry = (state: OutboxState, attempts = 0): Pick<OutboxEntry, 'state' | 'attempts'> => ({ state, attempts });

describe('outbox state labels', () => {
  it('names every state', () => {
    const next = '2025-03-14T14:05:00Z';
    expect(stateLabel(entry({ state: 'queued' }))).toBe('Queued');
    expect(stateLabel(entry({ state: 'sending' }, 1))).toBe('Sending');
    expect(stateLabel(entry({ state: 'waiting_retry', next_attempt_at: next }, 2))).toBe(`Retrying at ${clockMinutes(next)} (attempt 3)`);
    expect(stateLabel(entry({ state: 'conflict', conflicts: [], theirs: {}, theirs_fetched_at: next }))).toBe('Conflict');
    expect(stateLabel(entry({ state: 'rejected', problems: [] }))).toBe('Rejected');
    expect(stateLabel(entry({ state: 'failed', error: { kind: 'unauthorized', message: 'no' } }))).toBe('Failed');
    expect(stateLabel(entry({ state: 'sent', customer: customer('Processing'), sent_at: next }))).toBe('Sent · Processing');
    expect(stateLabel(entry({ state: 'sent', customer: customer('Succeeded'), sent_at: next }))).toBe('Sent · Succeeded');
  });

  it('tells what is in flight, unsent, retryable and cancellable', () => {
    const sentProcessing = entry({ state: 'sent', customer: customer('Processing'), sent_at: 'x' });
    const sentDone = entry({ state: 'sent', customer: customer('Succeeded'), sent_at: 'x' });
    const failed = entry({ state: 'failed', error: { kind: 'server', message: 'x' } });
    const sending = entry({ state: 'sending' });
    expect(isInFlight(entry({ state: 'queued' }))).toBe(true);
    expect(isInFlight(sentProcessing)).toBe(true);
    expect(isInFlight(sentDone)).toBe(false);
    expect(isInFlight(failed)).toBe(false);
    expect(isUnsent(failed)).toBe(true);
    expect(isUnsent(sentProcessing)).toBe(false);
    expect(canRetry(failed)).toBe(true);
    expect(canRetry(sending)).toBe(false);
    expect(canCancel(sending)).toBe(false);
    expect(canCancel(sentDone)).toBe(false);
    expect(canCancel(failed)).toBe(true);
    expect(stateTone(failed)).toBe('danger');
    expect(stateTone(sentDone)).toBe('ok');
  });

  it('polls every second while something is on its way, every five otherwise', () => {
    expect(pollDelay([])).toBe(5000);
    expect(pollDelay([{ state: { state: 'rejected', problems: [] } }])).toBe(5000);
    expect(pollDelay([{ state: { state: 'rejected', problems: [] } }, { state: { state: 'sending' } }])).toBe(1000);
  });
});

describe('adaptive poller', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('calls one at a time with the delay the answer asks for, and stops', async () => {
    vi.useFakeTimers();
    let n = 0;
    const fetch = vi.fn(async () => ++n);
    const answers: number[] = [];
    const p = createAdaptivePoller({ fetch, onAnswer: (v) => answers.push(v), onError: vi.fn(), delayFor: (v) => (v < 3 ? 1000 : 5000), errorDelayMs: 5000 });
    await vi.advanceTimersByTimeAsync(0);
    expect(answers).toEqual([1]);
    await vi.advanceTimersByTimeAsync(1000);
    expect(answers).toEqual([1, 2]);
    await vi.advanceTimersByTimeAsync(1000);
    expect(answers).toEqual([1, 2, 3]);
    await vi.advanceTimersByTimeAsync(4999);
    expect(answers).toEqual([1, 2, 3]);
    p.now();
    await vi.advanceTimersByTimeAsync(0);
    expect(answers).toEqual([1, 2, 3, 4]);
    p.stop();
    await vi.advanceTimersByTimeAsync(20000);
    expect(fetch).toHaveBeenCalledTimes(4);
  });

  it('keeps polling after an error, more slowly', async () => {
    vi.useFakeTimers();
    const fetch = vi.fn().mockRejectedValueOnce(new Error('down')).mockResolvedValue(1);
    const onError = vi.fn();
    const p = createAdaptivePoller({ fetch, onAnswer: vi.fn(), onError, delayFor: () => 1000, errorDelayMs: 5000 });
    await vi.advanceTimersByTimeAsync(0);
    expect(onError).toHaveBeenCalledTimes(1);
    await vi.advanceTimersByTimeAsync(4999);
    expect(fetch).toHaveBeenCalledTimes(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(fetch).toHaveBeenCalledTimes(2);
    p.stop();
  });
});
