/**
 * JSON paths of the record (`business_person_list[1].identification.id_number`), the DOM ids
 * derived from them, and immutable reads and writes by path.
 *
 * Path syntax is the one validation and the partner use: object keys joined by `.`, array
 * indices in brackets. Keys are the partner's snake_case names (`[a-z0-9_]`).
 */

export type Segment = string | number;
export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type JsonObject = { [key: string]: Json };

/** `a.b[2].c` → `['a', 'b', 2, 'c']`. Throws on text that is not a path. */
export function parsePath(path: string): Segment[] {
  const out: Segment[] = [];
  if (path === '') return out;
  const re = /([A-Za-z_][A-Za-z0-9_]*)|\[(\d+)\]|(\.)/gy;
  let expectKey = true;
  let m: RegExpExecArray | null;
  let last = 0;
  while (last < path.length && (m = re.exec(path)) !== null) {
    if (m[1] !== undefined) {
      if (!expectKey) throw new Error(`bad path: ${path}`);
      out.push(m[1]);
      expectKey = false;
    } else if (m[2] !== undefined) {
      if (expectKey) throw new Error(`bad path: ${path}`);
      out.push(Number(m[2]));
    } else {
      if (expectKey) throw new Error(`bad path: ${path}`);
      expectKey = true;
    }
    last = re.lastIndex;
  }
  if (last !== path.length || expectKey) throw new Error(`bad path: ${path}`);
  return out;
}

/** `['a', 'b', 2, 'c']` → `a.b[2].c`. */
export function formatPath(segments: readonly Segment[]): string {
  let s = '';
  for (const seg of segments) {
    if (typeof seg === 'number') s += `[${seg}]`;
    else s += s === '' ? seg : `.${seg}`;
  }
  return s;
}

/** Append a key or an index to a path. */
export function childPath(path: string, seg: Segment): string {
  if (typeof seg === 'number') return `${path}[${seg}]`;
  return path === '' ? seg : `${path}.${seg}`;
}

export const ID_PREFIX = 'fld-';

/**
 * The DOM id (and `data-testid`) of the control for a path: `fld-` then the segments joined by
 * `-` (keys never contain `-`, so the mapping is reversible).
 *
 * `business_person_list[1].identification.id_number` → `fld-business_person_list-1-identification-id_number`
 */
export function idForPath(path: string): string {
  return ID_PREFIX + parsePath(path).join('-');
}

/** The path itself, then each enclosing path up to (not including) the root. */
export function ancestorPaths(path: string): string[] {
  const segs = parsePath(path);
  const out: string[] = [];
  for (let n = segs.length; n > 0; n--) out.push(formatPath(segs.slice(0, n)));
  return out;
}

function isObject(v: unknown): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** The value at a path, or `undefined` when any step is missing (or `null`). */
export function getAt(root: unknown, path: string | readonly Segment[]): unknown {
  const segs = typeof path === 'string' ? parsePath(path) : path;
  let cur: unknown = root;
  for (const seg of segs) {
    if (cur === null || cur === undefined) return undefined;
    if (typeof seg === 'number') {
      if (!Array.isArray(cur)) return undefined;
      cur = cur[seg];
    } else {
      if (!isObject(cur)) return undefined;
      cur = cur[seg];
    }
  }
  return cur === null ? undefined : cur;
}

function isEmptyObject(v: unknown): boolean {
  return isObject(v) && Object.keys(v).length === 0;
}

/**
 * A copy of `root` with `value` at `path`; objects and arrays on the way are copied (never
 * mutated) and created when missing.
 *
 * Writing `undefined` (or blank text to an object key) removes the key, and then every object
 * on the way that became empty, so an optional field the user clears is omitted from the
 * record instead of being sent as "" (and a section the user emptied disappears). Array items
 * are never removed this way: indices are what issues point at. An object that was already
 * empty before the write is left alone.
 */
export function setAt<T>(root: T, path: string | readonly Segment[], value: unknown): T {
  const segs = typeof path === 'string' ? parsePath(path) : path;
  if (segs.length === 0) return value as T;
  const remove = value === undefined || (typeof value === 'string' && value.trim() === '' && typeof segs[segs.length - 1] === 'string');
  const result = write(root as unknown, segs, 0, remove ? undefined : value, remove);
  return (result === REMOVED ? {} : result) as T;
}

const REMOVED = Symbol('removed');

function write(node: unknown, segs: readonly Segment[], i: number, value: unknown, remove: boolean): unknown {
  const seg = segs[i]!;
  const last = i === segs.length - 1;
  if (typeof seg === 'number') {
    const arr = Array.isArray(node) ? node.slice() : [];
    if (last) {
      // Removing by index is removeItem's job: here an array slot is only ever replaced, so the
      // indices that issues point at never shift under the user.
      if (!remove) {
        while (arr.length < seg) arr.push(null);
        arr[seg] = value;
      }
      return arr;
    }
    while (arr.length < seg) arr.push(null);
    const child = write(arr[seg], segs, i + 1, value, remove);
    arr[seg] = child === REMOVED ? {} : child;
    return arr;
  }
  const wasObject = isObject(node);
  const obj: JsonObject = wasObject ? { ...node } : {};
  if (last) {
    if (remove) delete obj[seg];
    else obj[seg] = value as Json;
  } else {
    const before = obj[seg];
    const child = write(before, segs, i + 1, value, remove);
    if (child === REMOVED) delete obj[seg];
    else obj[seg] = child as Json;
  }
  if (remove && Object.keys(obj).length === 0 && !(wasObject && isEmptyObject(node))) return REMOVED;
  return obj;
}

/** A copy with the item at `path` (which must end in an index) removed from its array. */
export function removeItem<T>(root: T, path: string): T {
  const segs = parsePath(path);
  const idx = segs[segs.length - 1];
  if (typeof idx !== 'number') throw new Error(`not an array item: ${path}`);
  const listPath = segs.slice(0, -1);
  const list = getAt(root, listPath);
  if (!Array.isArray(list)) return root;
  const next = list.filter((_, i) => i !== idx);
  return setAt(root, listPath, next);
}

/** A copy with `item` appended to the array at `listPath` (created if missing). */
export function appendItem<T>(root: T, listPath: string, item: unknown): T {
  const list = getAt(root, listPath);
  const next = Array.isArray(list) ? [...list, item] : [item];
  return setAt(root, listPath, next);
}

/** A copy with the item at `from` moved to index `to` of the same array. */
export function moveItem<T>(root: T, listPath: string, from: number, to: number): T {
  const list = getAt(root, listPath);
  if (!Array.isArray(list) || from < 0 || from >= list.length || to < 0 || to >= list.length || from === to) return root;
  const next = list.slice();
  const [item] = next.splice(from, 1);
  next.splice(to, 0, item);
  return setAt(root, listPath, next);
}

/** Whether `path` is `prefix` or lies inside it (`a.b` is inside `a`, `a[1]` is inside `a`). */
export function isWithin(path: string, prefix: string): boolean {
  if (path === prefix) return true;
  return path.startsWith(prefix) && (path[prefix.length] === '.' || path[prefix.length] === '[');
}
