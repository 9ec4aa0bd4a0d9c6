import { focusIdSoon } from '../../widgets/focus';
import { docOrder, groups, selectDocument, selectedFileId } from '../../state/review';
import { DECISION_ICONS, docLabel } from '../../state/reviewDocs';
import { decisionLabel } from '../../state/reviewVocabulary';
import type { ReviewDocument } from '../../types';

/** The DOM id of a document's list item (by its place in list order: file ids are free text). */
export function docItemId(fileId: string): string {
  const at = docOrder.peek().findIndex((d) => d.reference.file_id === fileId);
  return `doc-item-${at < 0 ? 0 : at}`;
}

/**
 * The documents, grouped: business registration documents, then per representative the ID
 * front and back side by side. One tab stop (the selected item); arrow keys, Home and End move
 * within the list.
 */
export function DocList() {
  const gs = groups.value;
  const order = docOrder.value;
  const selected = selectedFileId.value;

  const onKeyDown = (e: KeyboardEvent, fileId: string) => {
    const at = order.findIndex((d) => d.reference.file_id === fileId);
    let to = -1;
    if (e.key === 'ArrowDown' || e.key === 'ArrowRight') to = Math.min(order.length - 1, at + 1);
    else if (e.key === 'ArrowUp' || e.key === 'ArrowLeft') to = Math.max(0, at - 1);
    else if (e.key === 'Home') to = 0;
    else if (e.key === 'End') to = order.length - 1;
    if (to < 0) return;
    e.preventDefault();
    const next = order[to]!.reference.file_id;
    selectDocument(next);
    focusIdSoon(`doc-item-${to}`);
  };

  const item = (d: ReviewDocument) => {
    const at = order.indexOf(d);
    const current = d.reference.file_id === selected;
    const decision = d.decision?.decision ?? 'none';
    return (
      <button
        type="button"
        id={`doc-item-${at}`}
        class={`doc-item${current ? ' doc-item--current' : ''}`}
        data-testid="doc-item"
        data-file-id={d.reference.file_id}
        data-kind={d.reference.kind}
        data-decision={decision}
        aria-current={current ? 'true' : undefined}
        tabIndex={current || (selected === null && at === 0) ? 0 : -1}
        onClick={() => selectDocument(d.reference.file_id)}
        onKeyDown={(e) => onKeyDown(e, d.reference.file_id)}
      >
        <span class="doc-item__label">{docLabel(d.reference)}</span>
        <code class="doc-item__id" title={d.reference.file_id}>
          {d.reference.file_id}
        </code>
        <span class={`decision-badge decision-badge--${decision}`} data-testid="doc-decision">
          <span aria-hidden="true">{DECISION_ICONS[decision]} </span>
          {decision === 'none' ? 'No decision' : decisionLabel(decision)}
        </span>
        {!d.copy && <span class="doc-item__note">No local copy</span>}
      </button>
    );
  };

  if (order.length === 0) {
    return (
      <nav class="review-docs" aria-label="Documents" data-testid="doc-list">
        <p class="empty-note" data-testid="doc-list-empty">
          This draft references no documents.
        </p>
      </nav>
    );
  }

  return (
    <nav class="review-docs" aria-label="Documents" data-testid="doc-list">
      {gs.map((g) =>
        g.kind === 'business' ? (
          <section key="business" class="doc-group" aria-labelledby="doc-group-business" data-testid="doc-group" data-group="business">
            <h2 id="doc-group-business" class="doc-group__title">
              {g.title}
            </h2>
            <ul class="doc-group__items">
              {g.items.map((d) => (
                <li key={d.reference.file_id}>{item(d)}</li>
              ))}
            </ul>
          </section>
        ) : (
          <section
            key={`p${g.person}`}
            class="doc-group"
            aria-labelledby={`doc-group-p${g.person}`}
            data-testid="doc-group"
            data-group={`person-${g.person}`}
          >
            <h2 id={`doc-group-p${g.person}`} class="doc-group__title">
              {g.title}
            </h2>
            <ul class="doc-pair-list" data-testid="doc-pair">
              <li>{g.front ? item(g.front) : <span class="doc-item doc-item--absent">No ID front on the record</span>}</li>
              <li>{g.back ? item(g.back) : <span class="doc-item doc-item--absent">No ID back on the record</span>}</li>
            </ul>
          </section>
        ),
      )}
    </nav>
  );
}
