/** Pure helpers over the issues the editor shows. */

import type { ShownIssue } from '../types';
import { formatPath, isWithin, parsePath } from './paths';

/** Issues grouped by their exact path. */
export function groupByPath(issues: readonly ShownIssue[]): Map<string, ShownIssue[]> {
  const map = new Map<string, ShownIssue[]>();
  for (const issue of issues) {
    const list = map.get(issue.path);
    if (list) list.push(issue);
    else map.set(issue.path, [issue]);
  }
  return map;
}

/**
 * Issue paths after the items of the array at `listPath` were rearranged: `newIndexOf(i)` is
 * the new index of old item `i`, or `null` when it was removed (its issues are dropped).
 */
export function remapListPaths(
  issues: readonly ShownIssue[],
  listPath: string,
  newIndexOf: (oldIndex: number) => number | null,
): ShownIssue[] {
  const listSegs = parsePath(listPath);
  const out: ShownIssue[] = [];
  for (const issue of issues) {
    if (!isWithin(issue.path, listPath) || issue.path === listPath) {
      out.push(issue);
      continue;
    }
    let segs;
    try {
      segs = parsePath(issue.path);
    } catch {
      out.push(issue);
      continue;
    }
    const idx = segs[listSegs.length];
    if (typeof idx !== 'number') {
      out.push(issue);
      continue;
    }
    const to = newIndexOf(idx);
    if (to === null) continue;
    const next = segs.slice();
    next[listSegs.length] = to;
    out.push({ ...issue, path: formatPath(next) });
  }
  return out;
}

/** New index of each old index after removing item `removed`. */
export const afterRemove = (removed: number) => (i: number) => (i === removed ? null : i > removed ? i - 1 : i);

/** New index of each old index after moving item `from` to position `to`. */
export const afterMove = (from: number, to: number) => (i: number) => {
  if (i === from) return to;
  if (from < to && i > from && i <= to) return i - 1;
  if (from > to && i >= to && i < from) return i + 1;
  return i;
};

/** Human text for a count of problems, for the live region and the summary heading. */
export function problemCount(n: number): string {
  if (n === 0) return 'No problems';
  return n === 1 ? '1 problem' : `${n} problems`;
}
