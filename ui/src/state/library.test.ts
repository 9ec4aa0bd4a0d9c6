import { describe, expect, it } from 'vitest';
import type { DraftListItem } from '../types';
import { buildRows, filterRows, toRow, validityLabel } from './library';

const item = (over: Partial<DraftListItem>): DraftListItem => ({
  id: 'u-00000000000000000000000000000001',
  environment: 'Sandbox',
  target: { kind: 'update', customer_id: 'cus_demo_0001' },
  business_name_english: 'Acme Robotics LLC',
  updated_at: '2025-03-14T09:21:00Z',
  issue_count: 0,
  revision: 3,
  pending_changes: 2,
  preparers: [],
  approval: { state: 'none' },
  requires_approval: false,
  state_summary: '2 unsent changes',
  needs_my_review: false,
  ...over,
} as DraftListItem);

describe('library rows', () => {
  it('labels updates, new customers, validity and the outbox state', () => {
    const r = toRow(item({ issue_count: 3 }));
    expect([r.name, r.ids, r.validity, r.outbox]).toEqual(['Acme Robotics LLC', 'cus_demo_0001', '3 problems', null]);
    const n = toRow(item({ target: { kind: 'create', partner_customer_id: 'P-2001' }, business_name_english: undefined }));
    expect([n.name, n.ids]).toEqual(['New customer', 'New: P-2001']);
    const q = toRow(item({ outbox: { id: 'o-1', sequence: 1, draft_id: 'u-1', environment: 'Sandbox', target: { kind: 'update', customer_id: 'c' }, record: {}, idempotency_key: 'k', state: { state: 'queued' }, attempts: 0, queued_at: 'x', updated_at: 'x' } }));
    expect(q.outbox).toBe('Queued');
    expect(validityLabel(0)).toBe('Valid');
    expect(validityLabel(1)).toBe('1 problem');
  });

  it('filters by name, ids and environment, any case, every word', () => {
    const rows = buildRows([
      item({}),
      item({ id: 'u-2', target: { kind: 'update', customer_id: 'cus_demo_0004' }, business_name_english: 'Thames Valley Textiles Ltd' }),
      item({ id: 'c-3', target: { kind: 'create', partner_customer_id: 'P-2001' }, business_name_english: 'Fjord Fisheries AS', environment: 'Staging' }),
    ]);
    const names = (q: string) => filterRows(rows, q).map((r) => r.name);
    expect(names('')).toHaveLength(3);
    expect(names('thames')).toEqual(['Thames Valley Textiles Ltd']);
    expect(names('CUS_DEMO_0001')).toEqual(['Acme Robotics LLC']);
    expect(names('p-2001')).toEqual(['Fjord Fisheries AS']);
    expect(names('staging')).toEqual(['Fjord Fisheries AS']);
    expect(names('sandbox textiles')).toEqual(['Thames Valley Textiles Ltd']);
    expect(names('nothing')).toEqual([]);
  });

  it('stays fast with 10,000 drafts (each keystroke filters the whole list)', () => {
    const many = Array.from({ length: 10_000 }, (_, i) =>
      item({ id: `u-${i}`, business_name_english: `Company ${i} Trading`, target: { kind: 'update', customer_id: `cus_${String(i).padStart(6, '0')}` } }),
    );
    const rows = buildRows(many);
    const t0 = performance.now();
    for (const q of ['c', 'co', 'com', 'comp', 'company 99', 'cus_0099']) filterRows(rows, q);
    const per = (performance.now() - t0) / 6;
    expect(filterRows(rows, 'company 9999')).toHaveLength(1);
    expect(per).toBeLessThan(30);
  });

  it('shows preparers and the approval: who approved, void, or waiting where required', () => {
    const approval = { approver: 'Rita Reviewer', preparers: ['Olivia Officer'], diff_hash: 'h', environment: 'Sandbox (four-eyes)', approved_at: '2025-03-14T10:00:00Z' };
    expect(toRow(item({ preparers: ['Olivia Officer', 'Ana Lima'] })).preparers).toBe('Olivia Officer, Ana Lima');
    expect(toRow(item({})).preparers).toBe('—');
    expect(toRow(item({ approval: { state: 'valid', approval } })).approval).toBe('Approved by Rita Reviewer');
    expect(toRow(item({ approval: { state: 'void', approval, current_hash: 'x' } })).approval).toBe('Approval by Rita Reviewer void (edited since)');
    expect(toRow(item({ requires_approval: true })).approval).toBe('Waiting for approval');
    expect(toRow(item({ requires_approval: true, pending_changes: 0 })).approval).toBeNull();
    expect(toRow(item({})).approval).toBeNull();
  });
});
