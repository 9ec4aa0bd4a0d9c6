/** The documents screen's keys, on screen (docs/ui.md lists them too). */
export const REVIEW_KEYS: readonly [string, string][] = [
  ['n / p', 'next / previous document'],
  ['↑ ↓ ← →', 'move within the document list'],
  ['v', 'Verified (saves at once)'],
  ['u', 'Needs re-upload (then choose reasons)'],
  ['x', 'Rejected (then choose reasons)'],
  ['f', 'jump to the first field the document supports'],
  ['+ / − / 0', 'zoom in / out / reset'],
  ['r', 'rotate 90°'],
  ['a', 'approve'],
];

export function KeysHelp() {
  return (
    <details class="keys-help" data-testid="keys-help">
      <summary>Keys</summary>
      <p class="field__hint">Keys work anywhere on this screen except while typing in a text field.</p>
      <dl class="keys-help__list">
        {REVIEW_KEYS.map(([k, what]) => (
          <div key={k}>
            <dt>
              <kbd>{k}</kbd>
            </dt>
            <dd>{what}</dd>
          </div>
        ))}
      </dl>
    </details>
  );
}
