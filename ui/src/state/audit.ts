/**
 * The audit trail screen's filter and helpers (docs/review-audit.md, "Audit trail"). Each event's
 * words, the event types' names and the changed fields' names come from the back end with
 * `audit_log` (`summaries`, `event_types`, `field_labels`); the page keeps no copy of them.
 */

import { signal } from '@preact/signals';
import type { AuditEntry, AuditEvent, AuditFilter, AuditView, FieldChange } from '../types';
import { go } from './navigation';

export type AuditEventType = AuditEvent['type'];

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

/** The served name of an event type ("Document copy kept"), or the type itself. */
export function eventTypeLabel(view: AuditView, type: string): string {
  return view.event_types.find((t) => t.value === type)?.label ?? type;
}

/** The served name of a changed field ("Person 2 › ID number"), or its path. */
export function fieldLabelOf(view: AuditView, path: string): string {
  return view.field_labels?.[path] ?? path;
}

/** The field changes (old → new) an event carries, to list under its words. */
export function changesOf(e: AuditEvent): FieldChange[] {
  return e.type === 'submission_queued' || e.type === 'approval_granted' ? e.changes : [];
}

/** "cus_demo_0004", or "New customer P-2001" for `new:P-2001`. */
export function customerText(customer: string): string {
  return customer.startsWith('new:') ? `New customer ${customer.slice(4)}` : customer;
}

export const entryKey = (e: AuditEntry) => `${e.seq}:${e.hash}`;
