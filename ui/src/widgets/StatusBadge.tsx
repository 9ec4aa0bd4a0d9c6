import type { CustomerStatus } from '../types';

const ICON: Record<CustomerStatus, string> = {
  Processing: '⟳',
  Succeeded: '✓',
  Failed: '✕',
  Suspended: '⏸',
};

/** A customer status: colour plus icon plus word (never colour alone). */
export function StatusBadge({ status, testid = 'status-badge' }: { status: CustomerStatus | string; testid?: string }) {
  const known = status in ICON;
  return (
    <span class={`status status--${known ? status.toLowerCase() : 'unknown'}`} data-testid={testid} data-status={status}>
      <span class="status__icon" aria-hidden="true">
        {known ? ICON[status as CustomerStatus] : '?'}
      </span>
      <span class="status__text">{status}</span>
    </span>
  );
}
