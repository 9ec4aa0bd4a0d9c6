/**
 * Where the officer was in the editor when she went to Review changes (the control that had
 * focus and how far the page was scrolled), so "Back to edit" and Escape put her back there
 * instead of at the top of the form.
 */

import { go } from './navigation';

let place: { id: string | null; scrollY: number } | null = null;

/** Called as the editor hands over to Review changes. */
export function rememberEditorPlace() {
  const el = document.activeElement as HTMLElement | null;
  place = { id: el && el !== document.body && el.id ? el.id : null, scrollY: window.scrollY };
}

/** After the editor's first paint and the shell's own focus move (its heading) have happened. */
function afterScreenSettles(then: () => void) {
  const frame = (next: () => void) => requestAnimationFrame(() => setTimeout(next, 0));
  frame(() => frame(then));
}

/** Back to the editor, at the same place. */
export function backToEditor() {
  const at = place;
  go('editor');
  if (!at) return;
  afterScreenSettles(() => {
    window.scrollTo(0, at.scrollY);
    const el = at.id ? document.getElementById(at.id) : null;
    if (el) el.focus({ preventScroll: true });
  });
}
