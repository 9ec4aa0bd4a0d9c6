/**
 * Human labels for every section and field, shared by the forms, the summary and the diff. The
 * table is Rust's (`kyb_core::field_labels`, served with `reference_data` as `labels`); the page
 * keeps no copy of it. Before the reference data has answered (the app shows no screen before
 * that) a key stands for itself.
 */

import { parsePath } from './paths';
import { reference } from './session';

function sectionTable(): Record<string, string> {
  const labels = reference.value?.labels;
  const out: Record<string, string> = {};
  if (!labels) return out;
  for (const s of [...labels.sections, ...labels.person_sections]) out[s.key] = s.label;
  out.business_person_list = labels.persons;
  return out;
}

function fieldTable(): Record<string, string> {
  const labels = reference.value?.labels;
  const out: Record<string, string> = {};
  if (!labels) return out;
  for (const s of [...labels.sections, ...labels.person_sections]) for (const f of s.fields) out[f.key] = f.label;
  out.partner_customer_id = labels.partner_customer_id;
  return out;
}

/** A read-only view of one of the served tables, looked up when read (so a form re-renders with it). */
function served(table: () => Record<string, string>): Record<string, string> {
  return new Proxy({} as Record<string, string>, {
    get: (_, key) => (typeof key === 'string' ? table()[key] : undefined),
    has: (_, key) => typeof key === 'string' && key in table(),
    ownKeys: () => Reflect.ownKeys(table()),
    getOwnPropertyDescriptor: (_, key) =>
      typeof key === 'string' && key in table() ? { value: table()[key], enumerable: true, configurable: true } : undefined,
  });
}

export const SECTION_LABELS: Record<string, string> = served(sectionTable);
export const FIELD_LABELS: Record<string, string> = served(fieldTable);

export function fieldLabel(key: string): string {
  return FIELD_LABELS[key] ?? SECTION_LABELS[key] ?? key;
}

/**
 * A label for any record path, for the error summary and the diff table:
 * `business_person_list[1].identification.id_number` → `Person 2 · Identification · ID number`.
 */
export function labelForPath(path: string): string {
  let segs;
  try {
    segs = parsePath(path);
  } catch {
    return path;
  }
  const parts: string[] = [];
  let prevKey = '';
  for (const seg of segs) {
    if (typeof seg === 'number') {
      if (prevKey === 'business_person_list') {
        parts[parts.length - 1] = `Person ${seg + 1}`;
      } else if (prevKey === 'business_identifier_document_list') {
        parts[parts.length - 1] = `Business document ${seg + 1}`;
      } else {
        parts.push(`#${seg + 1}`);
      }
    } else {
      parts.push(fieldLabel(seg));
      prevKey = seg;
    }
  }
  return parts.join(' · ') || 'Record';
}

/** How a person is named in buttons and headings: "Jane Doe", or "Person 2" before a name is typed. */
export function personName(person: unknown, index: number): string {
  const info = typeof person === 'object' && person !== null ? (person as { basic_info?: unknown }).basic_info : undefined;
  const get = (k: string) => {
    const v = typeof info === 'object' && info !== null ? (info as Record<string, unknown>)[k] : undefined;
    return typeof v === 'string' ? v.trim() : '';
  };
  const name = [get('first_name_english'), get('last_name_english')].filter(Boolean).join(' ');
  return name || [get('first_name'), get('last_name')].filter(Boolean).join(' ') || `Person ${index + 1}`;
}
