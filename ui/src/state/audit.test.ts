import { describe, expect, it } from 'vitest';
import { customerText, describeEvent, documentAt, filterOf } from './audit';

describe('audit events in words', () => {
  it('names documents by their place', () => {
    expect(documentAt('business_person_list[0].identification.id_document_front_file_id')).toBe('ID front of representative 1');
    expect(documentAt('business_details.business_identifier_document_list[1]')).toBe('business document 2');
    expect(documentAt('odd')).toBe('odd');
  });
  it('says what happened', () => {
    expect(
      describeEvent({ type: 'document_decided', file_id: 'f', path: 'business_person_list[0].identification.id_document_front_file_id', decision: 'verified', reasons: [], note: '' }).text,
    ).toBe('Decided ID front of representative 1 (business_person_list[0].identification.id_document_front_file_id): Verified');
    const queued = describeEvent({
      type: 'submission_queued',
      outbox_entry: 'o-1',
      changes: [{ path: 'a', before: '1', after: '2' }, { path: 'b', after: 'x' }, { path: 'c', before: 'y' }],
    });
    expect(queued.text).toBe('Queued 3 field changes');
    expect(queued.changes).toHaveLength(3);
    expect(describeEvent({ type: 'status_changed', from: 'Processing', to: 'Succeeded' }).text).toBe('Status changed from Processing to Succeeded');
    expect(describeEvent({ type: 'submission_failed', outbox_entry: 'o', state: 'waiting_retry', http_status: 503, answer: 'busy' }).text).toBe(
      'Not applied, now waiting retry (HTTP 503): busy',
    );
    expect(describeEvent({ type: 'approval_granted', diff_hash: 'abcdef0123456789', preparers: ['Blake'], changes: [] }).text).toBe(
      'Approved 0 field changes (diff abcdef012345), prepared by Blake',
    );
  });
  it('builds filters and names new customers', () => {
    expect(filterOf('', '')).toEqual({});
    expect(filterOf('cus_1', 'document_decided')).toEqual({ customer: 'cus_1', types: ['document_decided'] });
    expect(customerText('new:P-2001')).toBe('New customer P-2001');
  });
});
