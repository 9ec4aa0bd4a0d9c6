import { online, outboxCheckedAt, outboxError } from '../state/outbox';
import { localDateTime } from '../state/time';

/**
 * Whether the active environment answers (`outbox_status.online`), in the header at all times.
 * role=status: announced politely, and it changes rarely. Never colour alone (icon + words).
 */
export function OnlinePill() {
  const on = online.value;
  const err = outboxError.value;
  const noKeychain = err?.kind === 'keychain_unavailable';
  const state = err ? 'unknown' : on === null ? 'checking' : on ? 'online' : 'offline';
  const text =
    state === 'online'
      ? 'Online'
      : state === 'offline'
        ? 'Offline — changes are saved and queued'
        : state === 'checking'
          ? 'Checking connection…'
          : noKeychain
            ? 'No keychain — drafts and outbox off'
            : 'Outbox unavailable';
  const icon = state === 'online' ? '●' : state === 'offline' ? '○' : '?';
  const checked = outboxCheckedAt.value;
  const title = err ? err.message : checked ? `Last checked ${localDateTime(checked)}` : undefined;
  return (
    <span class={`online-pill online-pill--${state}`} role="status" data-testid="online-pill" data-online={state} title={title}>
      <span class="online-pill__icon" aria-hidden="true">
        {icon}
      </span>
      {text}
    </span>
  );
}
