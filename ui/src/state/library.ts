/**
 * The drafts library's rows: labels computed once per list (not per keystroke) and a filter that
 * is a plain substring scan over a precomputed lower-case text per row, fast enough for 10,000
 * drafts on every keystroke. The table renders only the first rows of the result ("Show more").
 */

import type { DraftListItem, DraftTarget } from '../types';
import { stateLabel } from './outbox';

/** Rows shown at first, and added by each "Show more". */
export const LIBRARY_PAGE = 100;

export interface LibraryRow {
  item: DraftListItem;
  /** Business name (English), or "New customer" / the customer id when there is none. */
  name: string;
  /** `cus_…` for an update, `New: P-1001` for a new customer. */
  ids: string;
  validity: string;
  outbox: string | null;
  /** Who prepared the change ("Olivia Officer", "—"). */
  preparers: string;
  /** The approval: "Approved by Rita Reviewer", "Approval void", "Waiting for approval", or null. */
  approval: string | null;
  /** Lower-case name, ids and environment, for the search box. */
  haystack: string;
}

export function targetIds(target: DraftTarget): string {
  if (target.kind === 'update') return target.customer_id;
  return target.partner_customer_id.trim() ? `New: ${target.partner_customer_id}` : 'New: (no partner customer ID yet)';
}

export function validityLabel(issueCount: number): string {
  if (issueCount === 0) return 'Valid';
  return issueCount === 1 ? '1 problem' : `${issueCount} problems`;
}

/** The approval column: who approved (still valid), void, waiting (where required), or nothing. */
export function approvalLabel(item: Pick<DraftListItem, 'approval' | 'requires_approval' | 'pending_changes'>): string | null {
  const a = item.approval;
  if (a.state === 'valid') return `Approved by ${a.approval.approver}`;
  if (a.state === 'void') return `Approval by ${a.approval.approver} void (edited since)`;
  if (item.requires_approval && item.pending_changes > 0) return 'Waiting for approval';
  return null;
}

export function toRow(item: DraftListItem): LibraryRow {
  const name = item.business_name_english?.trim() || (item.target.kind === 'create' ? 'New customer' : item.target.customer_id);
  const ids = targetIds(item.target);
  const partnerId = item.target.kind === 'create' ? item.target.partner_customer_id : '';
  return {
    item,
    name,
    ids,
    validity: validityLabel(item.issue_count),
    outbox: item.outbox ? stateLabel(item.outbox) : null,
    preparers: item.preparers.length > 0 ? item.preparers.join(', ') : '—',
    approval: approvalLabel(item),
    haystack: [name, ids, partnerId, item.environment].join('\u0000').toLowerCase(),
  };
}

export const buildRows = (items: readonly DraftListItem[]): LibraryRow[] => items.map(toRow);

/** Rows whose name, ids or environment contain every word of the query (any case). */
export function filterRows(rows: readonly LibraryRow[], query: string): readonly LibraryRow[] {
  const terms = query.toLowerCase().split(/\s+/).filter(Boolean);
  if (terms.length === 0) return rows;
  if (terms.length === 1) {
    const t = terms[0]!;
    return rows.filter((r) => r.haystack.includes(t));
  }
  return rows.filter((r) => terms.every((t) => r.haystack.includes(t)));
}
