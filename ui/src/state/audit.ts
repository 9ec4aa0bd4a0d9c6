/**
 * The audit trail screen's filter, and audit events in words (docs/review-audit.md, "Audit
 * trail"): "Decided ID front of representative 1 (business_person_list[0]…): Verified",
 * "Queued 3 field changes".
 */

import { signal } from '@preact/signals';
import type { AuditEntry, AuditEvent, AuditFilter, FieldChange } from '../types';
import { parsePath } from './paths';
import { DECISION_LABELS, REASON_LABELS } from './reviewDocs';
import { go } from './navigation';

export type AuditEventType = AuditEvent['type'];

/** Every event type, in the order the filter lists them, with its name for people. */
export const EVENT_TYPE_LABELS: Record<AuditEventType, string> = {
  submission_queued: 'Submission queued',
  submission_sent: 'Submission sent',
  submission_failed: 'Submission not applied',
  status_changed: 'Status changed',
  approval_granted: 'Approval granted',
  approval_voided: 'Approval voided',
  approval_refused: 'Approval refused',
  document_decided: 'Document decided',
  document_attached: 'Document copy kept',
  identifier_confirmed: 'Identifier confirmed',
  action_not_completed: 'Action not completed',
};

export const EVENT_TYPES = Object.keys(EVENT_TYPE_LABELS) as AuditEventType[];

/** The screen's filter: a customer (`""` = all) and an event type (`""` = all). */
export const auditCustomer = signal('');
export const auditType = signal<AuditEventType | ''>('');

export function filterOf(customer: string, type: AuditEventType | ''): AuditFilter {
  return { ...(customer ? { customer } : {}), ...(type ? { types: [type] } : {}) };
}

/** Open the trail, optionally filtered to one customer (from the documents screen). */
export function openAudit(customer?: string) {
  auditCustomer.value = customer ?? '';
  auditType.value = '';
  go('audit');
}

/** "ID front of representative 1", "business document 2", or the path itself. */
export function documentAt(path: string): string {
  let segs;
  try {
    segs = parsePath(path);
  } catch {
    return path;
  }
  const [a, b, c, d] = segs;
  if (a === 'business_details' && b === 'business_identifier_document_list' && typeof c === 'number') return `business document ${c + 1}`;
  if (a === 'business_person_list' && typeof b === 'number' && c === 'identification') {
    if (d === 'id_document_front_file_id') return `ID front of representative ${b + 1}`;
    if (d === 'id_document_back_file_id') return `ID back of representative ${b + 1}`;
  }
  return path;
}

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;
const short = (hash: string) => hash.slice(0, 12);

export interface EventWords {
  /** One line: what happened. */
  text: string;
  /** Field changes (old → new) to list under it, when the event has them. */
  changes?: FieldChange[];
}

/** An event in words. */
export function describeEvent(e: AuditEvent): EventWords {
  switch (e.type) {
    case 'submission_queued':
      return {
        text: `Queued ${plural(e.changes.length, 'field change')}${e.approval_hash ? ` (approved diff ${short(e.approval_hash)})` : ''}`,
        changes: e.changes,
      };
    case 'submission_sent': {
      const ids = [e.customer_id && `customer ${e.customer_id}`, e.partner_customer_id && `partner id ${e.partner_customer_id}`].filter(Boolean);
      return { text: `Sent: the partner applied it, status ${e.status}${ids.length ? ` (${ids.join(', ')})` : ''}` };
    }
    case 'submission_failed':
      return { text: `Not applied, now ${e.state.replace(/_/g, ' ')}${e.http_status ? ` (HTTP ${e.http_status})` : ''}${e.answer ? `: ${e.answer}` : ''}` };
    case 'status_changed':
      return { text: e.from ? `Status changed from ${e.from} to ${e.to}` : `Status is now ${e.to}` };
    case 'approval_granted':
      return {
        text: `Approved ${plural(e.changes.length, 'field change')} (diff ${short(e.diff_hash)}), prepared by ${e.preparers.length ? e.preparers.join(', ') : 'nobody recorded'}`,
        changes: e.changes,
      };
    case 'approval_voided':
      return { text: `Approval of diff ${short(e.diff_hash)} voided: ${e.reason}` };
    case 'approval_refused':
      return { text: `Approval refused: ${e.reason}` };
    case 'document_decided': {
      const why = e.reasons.length ? ` — ${e.reasons.map((r) => REASON_LABELS[r] ?? r).join(', ')}` : '';
      const note = e.note ? ` — note: “${e.note}”` : '';
      return { text: `Decided ${documentAt(e.path)} (${e.path}): ${DECISION_LABELS[e.decision] ?? e.decision}${why}${note}` };
    }
    case 'document_attached':
      return {
        text: `${e.origin === 'attached' ? 'Attached a local copy' : 'Kept a local copy'} of ${e.file_id}: ${e.file_name} (SHA-256 ${short(e.sha256)})`,
      };
    case 'identifier_confirmed':
      return {
        text: e.confirmed ? `Confirmed that ${e.path} = “${e.value}” matches the document` : `Withdrew the confirmation of ${e.path} = “${e.value}”`,
      };
    case 'action_not_completed':
      return { text: `The action recorded as entry ${e.seq} did not take effect: ${e.reason}` };
    default:
      return { text: (e as { type: string }).type };
  }
}

/** "cus_demo_0004", or "New customer P-2001" for `new:P-2001`. */
export function customerText(customer: string): string {
  return customer.startsWith('new:') ? `New customer ${customer.slice(4)}` : customer;
}

export const entryKey = (e: AuditEntry) => `${e.seq}:${e.hash}`;
