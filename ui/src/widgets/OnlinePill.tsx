import { useEffect } from 'preact/hooks';
import { online, onlineProblem, outboxCheckedAt, outboxError, pollOutboxNow, statusEnvironment } from '../state/outbox';
import { activeEnvironment } from '../state/session';
import { localDateTime } from '../state/time';
import type { ErrorKind } from '../types';

/** Why, in a few words, by the kind Rust gives (`outbox_status.problem.kind`); its message says more. */
function problemWords(kind: ErrorKind): string {
  switch (kind) {
    case 'network':
    case 'timeout':
      return 'no answer from the partner';
    case 'unauthorized':
      return 'credentials refused';
    case 'credentials_missing':
      return 'no credentials';
    case 'server':
      return 'the partner’s server failed';
    default:
      return 'a problem reaching the partner';
  }
}

/**
 * Whether the active environment answers (`outbox_status.online`), in the header at all times,
 * with why not (or what went wrong although it answers) as its description and tooltip.
 * role=status: announced politely, and it changes rarely. Never colour alone (icon + words).
 * After an environment switch it asks at once (`select_environment` has probed the new one) and
 * says "Checking" until the answer is about the new environment.
 */
export function OnlinePill() {
  const envName = activeEnvironment.value?.name ?? null;
  useEffect(() => {
    if (envName !== null) pollOutboxNow();
  }, [envName]);

  const err = outboxError.value;
  const noKeychain = err?.kind === 'keychain_unavailable';
  const stale = envName !== null && statusEnvironment.value !== null && statusEnvironment.value !== envName;
  const on = stale ? null : online.value;
  const problem = stale ? null : onlineProblem.value;
  const state = err ? 'unknown' : on === null ? 'checking' : on ? 'online' : 'offline';
  const text =
    state === 'online'
      ? problem
        ? `Online — ${problemWords(problem.kind)}`
        : 'Online'
      : state === 'offline'
        ? `Offline — ${problem ? `${problemWords(problem.kind)}; ` : ''}changes are saved and queued`
        : state === 'checking'
          ? 'Checking connection…'
          : noKeychain
            ? 'No keychain — drafts and outbox off'
            : 'Outbox unavailable';
  const icon = state === 'online' ? (problem ? '!' : '●') : state === 'offline' ? '○' : '?';
  const checked = stale ? null : outboxCheckedAt.value;
  const why = err ? err.message : problem ? problem.message : null;
  const title = [why, checked ? `Last checked ${localDateTime(checked)}` : null].filter(Boolean).join('. ') || undefined;
  return (
    <span
      class={`online-pill online-pill--${state}`}
      role="status"
      data-testid="online-pill"
      data-online={state}
      data-problem={problem?.kind}
      title={title}
      aria-describedby={why ? 'online-pill-why' : undefined}
    >
      <span class="online-pill__icon" aria-hidden="true">
        {icon}
      </span>
      {text}
      {why && (
        <span id="online-pill-why" class="visually-hidden" data-testid="online-pill-why">
          {why}
        </span>
      )}
    </span>
  );
}
