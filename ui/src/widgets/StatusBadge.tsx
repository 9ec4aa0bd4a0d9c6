import type { CustomerStatus } from '../types';

/** The four statuses the partner's page shows; any other text is the partner's own. */
const ICON: Record<string, string> = {
  Processing: '⟳',
  Succeeded: '✓',
  Failed: '✕',
  Suspended: '⏸',
};

export const isKnownStatus = (status: string): boolean => Object.prototype.hasOwnProperty.call(ICON, status);

/**
 * A customer status: colour plus icon plus word (never colour alone). A status beyond the four
 * is shown neutral, with the partner's own text.
 */
export function StatusBadge({ status, testid = 'status-badge' }: { status: CustomerStatus; testid?: string }) {
  const known = isKnownStatus(status);
  const text = status.trim() === '' ? 'No status given' : status;
  return (
    <span
      class={`status status--${known ? status.toLowerCase() : 'other'}`}
      data-testid={testid}
      data-status={status}
      title={known ? undefined : 'A status the partner uses beyond the four this app knows; ask the partner what it means.'}
    >
      <span class="status__icon" aria-hidden="true">
        {known ? ICON[status] : '?'}
      </span>
      <span class="status__text">{text}</span>
    </span>
  );
}
