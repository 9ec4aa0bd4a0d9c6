// @vitest-environment jsdom
import { render } from 'preact';
import { afterEach, describe, expect, it } from 'vitest';
import type { Customer, OutboxEntry, OutboxState } from '../types';
import { StatusBadge } from '../widgets/StatusBadge';
import { MissingPartsNotice } from '../widgets/MissingPartsNotice';
import { asksPartner, awaitsPartner, isInFlight, stateIcon, stateLabel, stateTone } from './outbox';
import { missingPartsOf, rememberMissingParts } from './missingParts';

const customer = (status: Customer['status']): Customer => ({ customer_id: 'cus_1', status });
const entry = (state: OutboxState): Pick<OutboxEntry, 'state' | 'attempts'> => ({ state, attempts: 1 });
const sent = (status: string, stopped?: string) =>
  ({ state: 'sent', customer: customer(status), sent_at: 'x', ...(stopped ? { stopped_following_at: stopped } : {}) }) as Extract<OutboxState, { state: 'sent' }>;

let root: HTMLElement | null = null;
const mount = (node: preact.ComponentChild) => {
  root = document.createElement('div');
  document.body.append(root);
  render(node, root);
  return root;
};
afterEach(() => {
  if (root) render(null, root);
  root?.remove();
  root = null;
});

describe('a status beyond the four the partner page shows', () => {
  it('is followed until the app stops, then asks the partner', () => {
    expect(awaitsPartner(sent('Processing'))).toBe(true);
    expect(awaitsPartner(sent('Succeeded'))).toBe(false);
    expect(awaitsPartner(sent('Under Review'))).toBe(true);
    expect(isInFlight(entry(sent('Under Review')))).toBe(true);
    const stopped = sent('Under Review', '2025-03-14T14:05:00Z');
    expect(awaitsPartner(stopped)).toBe(false);
    expect(asksPartner(stopped)).toBe(true);
    expect(isInFlight(entry(stopped))).toBe(false);
    expect(stateLabel(entry(stopped))).toBe('Sent · Under Review · ask the partner');
    expect(stateLabel(entry(sent('Under Review')))).toBe('Sent · Under Review');
    expect(stateTone(entry(stopped))).toBe('warn');
    expect(stateIcon(entry(stopped))).toBe('?');
  });

  it('shows known statuses with their colours and others neutral in the partner’s words', () => {
    const known = mount(<StatusBadge status="Succeeded" />).querySelector('[data-testid="status-badge"]')!;
    expect(known.className).toContain('status--succeeded');
    expect(known.textContent).toContain('Succeeded');
    render(null, root!);
    const other = mount(<StatusBadge status="Under Review" />).querySelector('[data-testid="status-badge"]')!;
    expect(other.className).toContain('status--other');
    expect(other.textContent).toContain('Under Review');
    render(null, root!);
    const empty = mount(<StatusBadge status="" />).querySelector('[data-testid="status-badge"]')!;
    expect(empty.textContent).toContain('No status given');
  });
});

describe('parts the partner did not return', () => {
  it('are remembered for the customer opened and listed with what must be filled in', () => {
    rememberMissingParts({
      customer: customer('Under Review'),
      missing_parts: [
        { path: 'business_person_list[0].basic_info', label: 'Person 1: basic information', required: true },
        { path: 'account_usage', label: 'Account usage', required: false },
      ],
    });
    expect(missingPartsOf('cus_2')).toEqual([]);
    const parts = missingPartsOf('cus_1');
    expect(parts).toHaveLength(2);
    const notice = mount(<MissingPartsNotice parts={parts} />);
    const items = [...notice.querySelectorAll('[data-testid="missing-part"]')].map((li) => li.textContent);
    expect(items).toEqual(['Person 1: basic information — fill it in before submitting', 'Account usage — optional']);
    render(null, root!);
    expect(mount(<MissingPartsNotice parts={[]} />).querySelector('[data-testid="missing-parts"]')).toBeNull();
  });
});
