/**
 * Field errors from the partner (`rejected`) turned into issues on record paths, so the editor
 * shows them beside the fields exactly like validation issues.
 */

import type { ServerFieldError, ShownIssue } from '../types';
import { formatPath, parsePath, type Segment } from './paths';

/**
 * The record path a server `field` names, or `null` when it names none. Accepts the documented
 * form (`business_person_list[0].identification.id_number`) and the usual variants servers
 * use: dotted indices (`business_person_list.0.id_number`), a JSON pointer
 * (`/business_person_list/0/...`) and a `$.` or `body.` prefix.
 */
export function normalizeServerPath(field: string | null | undefined): string | null {
  if (typeof field !== 'string') return null;
  let text = field.trim();
  if (text === '') return null;
  let segs: Segment[];
  if (text.startsWith('/')) {
    segs = text
      .slice(1)
      .split('/')
      .map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'))
      .map((p) => (/^\d+$/.test(p) ? Number(p) : p));
  } else {
    text = text.replace(/^\$\.?/, '').replace(/^body\./, '');
    try {
      segs = parsePath(text);
    } catch {
      segs = text.split('.').flatMap((p) => {
        const m = /^([A-Za-z0-9_]+)((?:\[\d+\])*)$/.exec(p);
        if (!m) return [p];
        const idx = [...m[2]!.matchAll(/\[(\d+)\]/g)].map((x) => Number(x[1]));
        return [/^\d+$/.test(m[1]!) ? Number(m[1]) : m[1]!, ...idx];
      });
    }
  }
  if (segs.length === 0 || typeof segs[0] === 'number') return null;
  if (segs.some((s) => typeof s === 'string' && !/^[A-Za-z0-9_]+$/.test(s))) return null;
  return formatPath(segs);
}

export interface MappedServerErrors {
  /** Errors that name a field, as issues on its path. */
  issues: ShownIssue[];
  /** Errors about the record as a whole (no usable field). */
  general: ShownIssue[];
}

export function mapServerErrors(errors: readonly ServerFieldError[] | null | undefined): MappedServerErrors {
  const issues: ShownIssue[] = [];
  const general: ShownIssue[] = [];
  for (const e of errors ?? []) {
    const path = normalizeServerPath(e.field);
    const issue: ShownIssue = {
      path: path ?? '',
      code: e.code || 'rejected',
      message: e.message || e.code || 'Rejected by the partner.',
      source: 'partner',
    };
    if (path) issues.push(issue);
    else general.push(issue);
  }
  return { issues, general };
}
