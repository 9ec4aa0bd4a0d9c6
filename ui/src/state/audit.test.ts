import { describe, expect, it } from 'vitest';
import type { AuditView } from '../types';
import { changesOf, customerText, eventTypeLabel, filterOf } from './audit';

const view = (event_types: AuditView['event_types']): AuditView => ({
  entries: [],
  summaries: [],
  chain: { intact: true, entries: 0, problems: [] },
  customers: [],
  event_types,
  field_labels: {},
});

describe('audit trail helpers', () => {
  it('names event types by the served labels, the type itself when none is served', () => {
    const v = view([{ value: 'document_attached', label: 'Document copy kept' }]);
    expect(eventTypeLabel(v, 'document_attached')).toBe('Document copy kept');
    expect(eventTypeLabel(v, 'status_changed')).toBe('status_changed');
  });
  it('lists the field changes of queued and approved changes only', () => {
    const changes = [{ path: 'a', before: '1', after: '2' }];
    expect(changesOf({ type: 'submission_queued', outbox_entry: 'o-1', changes })).toEqual(changes);
    expect(changesOf({ type: 'approval_granted', diff_hash: 'ab', preparers: [], changes })).toEqual(changes);
    expect(changesOf({ type: 'status_changed', to: 'Succeeded' })).toEqual([]);
  });
  it('builds filters and names new customers', () => {
    expect(filterOf('', '')).toEqual({});
    expect(filterOf('cus_1', 'document_decided')).toEqual({ customer: 'cus_1', types: ['document_decided'] });
    expect(customerText('new:P-2001')).toBe('New customer P-2001');
  });
});
