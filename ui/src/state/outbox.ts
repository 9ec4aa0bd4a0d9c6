/**
 * The outbox as the page sees it: `outbox_status` polled every second while something is on its
 * way (queued, sending, waiting to retry, or sent and not settled at the partner) and every
 * five seconds otherwise; the online flag for the header; labels for entry states.
 */

import { computed, signal } from '@preact/signals';
import * as ipc from '../ipc';
import { toCommandError, type CommandError } from '../ipc';
import type { OutboxEntry, OutboxStatus } from '../types';
import { realTimers, type Timers } from './schedule';
import { clockMinutes } from './time';

export const FAST_POLL_MS = 1000;
export const SLOW_POLL_MS = 5000;

// ---------------------------------------------------------------------------------------------
// Entry states, for people

export type Tone = 'info' | 'ok' | 'warn' | 'danger';

type SentState = Extract<OutboxEntry['state'], { state: 'sent' }>;

const SETTLED = ['Succeeded', 'Failed', 'Suspended'];

/**
 * Sent, and the app still asks the partner about it: Processing, or a status beyond the four that
 * the app has not stopped following yet (the same rule as Rust's `OutboxState::awaits_partner`).
 */
export const awaitsPartner = (s: SentState): boolean => !SETTLED.includes(s.customer.status) && s.stopped_following_at == null;

/** Sent, with a status beyond the four that the app stopped following: the officer asks the partner. */
export const asksPartner = (s: SentState): boolean => s.stopped_following_at != null;

/** "Queued", "Sending", "Retrying at 14:05 (attempt 3)", "Conflict", "Sent · Processing", … */
export function stateLabel(e: Pick<OutboxEntry, 'state' | 'attempts'>): string {
  const s = e.state;
  switch (s.state) {
    case 'queued':
      return 'Queued';
    case 'sending':
      return 'Sending';
    case 'waiting_retry':
      return `Retrying at ${clockMinutes(s.next_attempt_at)} (attempt ${e.attempts + 1})`;
    case 'conflict':
      return 'Conflict';
    case 'rejected':
      return 'Rejected';
    case 'failed':
      return 'Failed';
    case 'sent':
      return `Sent · ${s.customer.status.trim() === '' ? 'no status given' : s.customer.status}${asksPartner(s) ? ' · ask the partner' : ''}`;
  }
}

export function stateTone(e: Pick<OutboxEntry, 'state'>): Tone {
  const s = e.state;
  switch (s.state) {
    case 'queued':
    case 'sending':
      return 'info';
    case 'waiting_retry':
    case 'conflict':
      return 'warn';
    case 'rejected':
    case 'failed':
      return 'danger';
    case 'sent':
      return s.customer.status === 'Succeeded' ? 'ok' : s.customer.status === 'Processing' ? 'info' : s.customer.status === 'Failed' ? 'danger' : 'warn';
  }
}

/** An icon beside the label (states are never told by colour alone). */
export function stateIcon(e: Pick<OutboxEntry, 'state'>): string {
  const s = e.state;
  switch (s.state) {
    case 'queued':
      return '◷';
    case 'sending':
      return '↑';
    case 'waiting_retry':
      return '⟳';
    case 'conflict':
      return '⇄';
    case 'rejected':
    case 'failed':
      return '✕';
    case 'sent':
      return s.customer.status === 'Processing' ? '⟳' : s.customer.status === 'Succeeded' ? '✓' : SETTLED.includes(s.customer.status) ? '!' : '?';
  }
}

/** Not yet accepted by the partner (counted on the Outbox badge). */
export const isUnsent = (e: Pick<OutboxEntry, 'state'>) => e.state.state !== 'sent';

/** On its way without the officer: the page polls fast while any entry is. */
export function isInFlight(e: Pick<OutboxEntry, 'state'>): boolean {
  const s = e.state;
  return s.state === 'queued' || s.state === 'sending' || s.state === 'waiting_retry' || (s.state === 'sent' && awaitsPartner(s));
}

export const canRetry = (e: Pick<OutboxEntry, 'state'>) => e.state.state === 'failed' || e.state.state === 'waiting_retry';
export const canCancel = (e: Pick<OutboxEntry, 'state'>) => e.state.state !== 'sending' && e.state.state !== 'sent';

export const pollDelay = (entries: readonly Pick<OutboxEntry, 'state'>[]) => (entries.some(isInFlight) ? FAST_POLL_MS : SLOW_POLL_MS);

// ---------------------------------------------------------------------------------------------
// The poller

export interface Poller {
  /** Poll now (after queueing, retrying, resolving); at most one call at a time. */
  now(): void;
  stop(): void;
}

/** Calls `fetch` one at a time, waiting `delayFor(answer)` (or `errorDelayMs`) between calls. */
export function createAdaptivePoller<T>(o: {
  fetch: () => Promise<T>;
  onAnswer: (v: T) => void;
  onError: (e: unknown) => void;
  delayFor: (v: T) => number;
  errorDelayMs: number;
  timers?: Timers;
}): Poller {
  const timers = o.timers ?? realTimers;
  let handle: unknown = null;
  let busy = false;
  let again = false;
  let stopped = false;

  const schedule = (ms: number) => {
    if (stopped) return;
    if (handle !== null) timers.clearTimeout(handle);
    handle = timers.setTimeout(tick, ms);
  };
  function tick() {
    handle = null;
    if (stopped) return;
    if (busy) {
      again = true;
      return;
    }
    busy = true;
    o.fetch().then(
      (v) => {
        busy = false;
        if (stopped) return;
        o.onAnswer(v);
        schedule(again ? 0 : o.delayFor(v));
        again = false;
      },
      (e) => {
        busy = false;
        if (stopped) return;
        o.onError(e);
        schedule(again ? 0 : o.errorDelayMs);
        again = false;
      },
    );
  }
  schedule(0);
  return {
    now() {
      if (busy) again = true;
      else schedule(0);
    },
    stop() {
      stopped = true;
      if (handle !== null) timers.clearTimeout(handle);
      handle = null;
    },
  };
}

/** `null` until the first answer. */
export const online = signal<boolean | null>(null);
export const outboxEntries = signal<OutboxEntry[]>([]);
export const outboxCheckedAt = signal<string | null>(null);
/** Why the active environment is offline, or what went wrong although it answers (`outbox_status.problem`). */
export const onlineProblem = signal<OutboxStatus['problem'] | null>(null);
/** The environment the last status is about (a switch makes it stale until the next answer). */
export const statusEnvironment = signal<string | null>(null);
/** Older sent-and-settled entries the app did not list (it lists the newest 10). */
export const settledNotListed = signal(0);
/** `outbox_status` itself failed (e.g. no keychain: the outbox cannot be opened). */
export const outboxError = signal<CommandError | null>(null);
export const unsentCount = computed(() => outboxEntries.value.filter(isUnsent).length);

export function applyStatus(s: OutboxStatus) {
  online.value = s.online;
  outboxCheckedAt.value = s.checked_at ?? null;
  onlineProblem.value = s.problem ?? null;
  statusEnvironment.value = s.environment;
  outboxEntries.value = s.entries;
  settledNotListed.value = s.settled_not_listed;
  outboxError.value = null;
}

/** Put a fresher copy of one entry in place (the answer of queue/retry/resolve). */
export function putEntry(e: OutboxEntry) {
  const list = outboxEntries.value;
  const i = list.findIndex((x) => x.id === e.id);
  outboxEntries.value = i < 0 ? [...list, e] : list.map((x, n) => (n === i ? e : x));
}

export function removeEntry(id: string) {
  outboxEntries.value = outboxEntries.value.filter((x) => x.id !== id);
}

export function entryById(id: string | null): OutboxEntry | null {
  return id === null ? null : (outboxEntries.value.find((e) => e.id === id) ?? null);
}

let poller: Poller | null = null;

export function startOutboxPolling() {
  if (poller) return;
  poller = createAdaptivePoller<OutboxStatus>({
    fetch: () => ipc.outboxStatus(),
    onAnswer: applyStatus,
    onError: (e) => {
      outboxError.value = toCommandError(e);
    },
    delayFor: (s) => pollDelay(s.entries),
    errorDelayMs: SLOW_POLL_MS,
  });
}

/** Ask for the status now (after the page changed something in the outbox). */
export function pollOutboxNow() {
  poller?.now();
}
