import { ancestorPaths, idForPath } from '../state/paths';

/**
 * Scroll so that `el` and what belongs to it (a field's label, hint and error, its `.field`
 * box) are in view, below the sticky header (CSS scroll-margin on `.field` and controls keeps
 * them clear of it): the least scrolling that shows it (`block: 'nearest'`). A box taller than
 * the window shows the control itself.
 */
export function keepInView(el: Element) {
  if (typeof el.scrollIntoView !== 'function') return;
  const box = el.closest('.field') ?? el;
  const fits = box.getBoundingClientRect().height < window.innerHeight * 0.7;
  (fits ? box : el).scrollIntoView({ block: 'nearest', inline: 'nearest' });
}

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
      el.focus({ preventScroll: true });
      keepInView(el);
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

/**
 * Keyboard focus never lands out of sight: whatever takes focus (Tab, a summary link, a screen
 * change) is scrolled into view with its field's error, clear of the sticky header. Installed
 * once by the header (which is what could cover it); returns the uninstaller.
 */
export function keepFocusInView(): () => void {
  const onFocus = (e: FocusEvent) => {
    const el = e.target;
    if (!(el instanceof Element) || el === document.body) return;
    // After the browser's own scrolling (which ignores the field's error below the control).
    requestAnimationFrame(() => {
      if (document.activeElement === el) keepInView(el);
    });
  };
  document.addEventListener('focusin', onFocus);
  return () => document.removeEventListener('focusin', onFocus);
}
