import { ancestorPaths, idForPath } from '../state/paths';

/**
 * Move focus to the control for a path, or to the nearest enclosing group that is on the page
 * (a section-level issue such as a missing `business_details` focuses its fieldset).
 */
export function focusPath(path: string): boolean {
  let paths: string[];
  try {
    paths = ancestorPaths(path);
  } catch {
    return false;
  }
  for (const p of paths) {
    const el = document.getElementById(idForPath(p));
    if (el) {
      el.focus();
      if (typeof el.scrollIntoView === 'function') el.scrollIntoView({ block: 'center' });
      return true;
    }
  }
  return false;
}

/** Focus an element by id after the next render. */
export function focusIdSoon(id: string) {
  requestAnimationFrame(() => {
    const el = document.getElementById(id);
    if (el) el.focus();
  });
}
