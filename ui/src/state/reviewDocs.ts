/**
 * Pure helpers for the document review screen: documents grouped for the list (business
 * registration documents, then each representative's ID front and back as a pair), their
 * labels, and which document comes next. The decisions' and reasons' words come from the back end
 * (state/reviewVocabulary.ts).
 */

import type { Decision, DocumentRef, ReviewDocument, UpdateCustomerRequest } from '../types';
import { personName } from './labels';
import { getAt, parsePath } from './paths';
import { formatRecordValue } from './time';

/** A glyph beside the word (decisions are never told by colour alone). */
export const DECISION_ICONS: Record<Decision | 'none', string> = {
  verified: '✓',
  needs_reupload: '↻',
  rejected: '✕',
  none: '○',
};

/** The index in its list of a business document (`…business_identifier_document_list[2]` → 2). */
function listIndex(path: string): number {
  try {
    const last = parsePath(path).at(-1);
    return typeof last === 'number' ? last : 0;
  } catch {
    return 0;
  }
}

/** "Business document 1", "ID front", "ID back" (within its group). */
export function docLabel(ref: DocumentRef): string {
  switch (ref.kind) {
    case 'business_registration':
      return `Business document ${listIndex(ref.path) + 1}`;
    case 'id_front':
      return 'ID front';
    case 'id_back':
      return 'ID back';
  }
}

/** The document named on its own: "ID front of representative 1", "Business document 2". */
export function docLongLabel(ref: DocumentRef): string {
  if (ref.kind === 'business_registration') return docLabel(ref);
  return `${docLabel(ref)} of representative ${(ref.person ?? 0) + 1}`;
}

export interface BusinessGroup {
  kind: 'business';
  title: string;
  items: ReviewDocument[];
}

export interface PersonGroup {
  kind: 'person';
  /** 0-based representative index. */
  person: number;
  title: string;
  front: ReviewDocument | null;
  back: ReviewDocument | null;
}

export type DocGroup = BusinessGroup | PersonGroup;

/** "Representative 2 — Jane Doe" ("Representative 2" before a name is typed). */
export function representativeTitle(record: UpdateCustomerRequest, index: number): string {
  const person = getAt(record, `business_person_list[${index}]`);
  const name = personName(person, index);
  const fallback = `Person ${index + 1}`;
  return name === fallback ? `Representative ${index + 1}` : `Representative ${index + 1} — ${name}`;
}

/** Documents as the list shows them: business documents first, then per representative the ID pair. */
export function groupDocuments(docs: readonly ReviewDocument[], record: UpdateCustomerRequest): DocGroup[] {
  const groups: DocGroup[] = [];
  const business = docs.filter((d) => d.reference.kind === 'business_registration');
  if (business.length > 0) groups.push({ kind: 'business', title: 'Business registration documents', items: business });
  const persons = new Map<number, PersonGroup>();
  for (const d of docs) {
    if (d.reference.kind === 'business_registration') continue;
    const i = d.reference.person ?? 0;
    let g = persons.get(i);
    if (!g) {
      g = { kind: 'person', person: i, title: representativeTitle(record, i), front: null, back: null };
      persons.set(i, g);
    }
    if (d.reference.kind === 'id_front') g.front = d;
    else g.back = d;
  }
  groups.push(...[...persons.values()].sort((a, b) => a.person - b.person));
  return groups;
}

/** The documents in list order (what `n` / `p` and the arrow keys move through). */
export function listOrder(groups: readonly DocGroup[]): ReviewDocument[] {
  const out: ReviewDocument[] = [];
  for (const g of groups) {
    if (g.kind === 'business') out.push(...g.items);
    else {
      if (g.front) out.push(g.front);
      if (g.back) out.push(g.back);
    }
  }
  return out;
}

/** The file id `step` places away from `current` (clamped at the ends); the first when none is current. */
export function stepFrom(order: readonly ReviewDocument[], current: string | null, step: number): string | null {
  if (order.length === 0) return null;
  const at = order.findIndex((d) => d.reference.file_id === current);
  if (at < 0) return order[0]!.reference.file_id;
  const next = Math.min(order.length - 1, Math.max(0, at + step));
  return order[next]!.reference.file_id;
}

/** The next document without a decision after `current` (wrapping around), or `null` when all are decided. */
export function nextUndecided(order: readonly ReviewDocument[], current: string | null): string | null {
  const at = order.findIndex((d) => d.reference.file_id === current);
  for (let k = 1; k <= order.length; k++) {
    const d = order[(at + k + order.length) % order.length]!;
    if (!d.decision && d.reference.file_id !== current) return d.reference.file_id;
  }
  return null;
}

/** A field's current value as text for the side panel ("" when blank). */
export function valueText(record: UpdateCustomerRequest, path: string): string {
  let v: unknown;
  try {
    v = getAt(record, path);
  } catch {
    return '';
  }
  if (v === null || v === undefined) return '';
  if (typeof v === 'string') return formatRecordValue(v);
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return JSON.stringify(v);
}
