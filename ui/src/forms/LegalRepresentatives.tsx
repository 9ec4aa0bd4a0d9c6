import { useState } from 'preact/hooks';
import { childPath, idForPath } from '../state/paths';
import { personName, SECTION_LABELS } from '../state/labels';
import { appendListItem, moveListItem, removeListItem, valueAt } from '../state/editor';
import { focusIdSoon } from '../widgets/focus';
import { GroupIssues, groupDescribedBy } from '../fields/GroupIssues';
import { Person } from './Person';

const L = 'business_person_list';

/** The person list: add, remove, move up/down, all with keyboard-reachable, named buttons. */
export function LegalRepresentatives() {
  const raw = valueAt(L);
  const persons = Array.isArray(raw) ? raw : [];
  const present = Array.isArray(raw);
  const [announcement, setAnnouncement] = useState('');
  const id = idForPath(L);

  const add = () => {
    appendListItem(L, {});
    setAnnouncement(`Added person ${persons.length + 1}.`);
    focusIdSoon(idForPath(`${childPath(L, persons.length)}.basic_info.first_name_english`));
  };
  const move = (from: number, to: number) => {
    const name = personName(persons[from], from);
    moveListItem(L, from, to);
    setAnnouncement(`Moved ${name} to position ${to + 1} of ${persons.length}.`);
    // Keep focus on the same button of the moved person (or the other one at the ends).
    const dir = to < from ? 'up' : 'down';
    const stillPossible = dir === 'up' ? to > 0 : to < persons.length - 1;
    focusIdSoon(`${idForPath(childPath(L, to))}-move-${stillPossible ? dir : dir === 'up' ? 'down' : 'up'}`);
  };
  const remove = (index: number) => {
    const name = personName(persons[index], index);
    removeListItem(L, index);
    setAnnouncement(`Removed ${name}.`);
    const remaining = persons.length - 1;
    focusIdSoon(remaining > 0 ? `${idForPath(childPath(L, Math.min(index, remaining - 1)))}-remove` : 'add-representative');
  };

  return (
    <fieldset class="section" id={id} tabIndex={-1} data-testid={id} aria-describedby={groupDescribedBy(L)}>
      <legend class="section__legend">{SECTION_LABELS[L]}</legend>
      <p class="section__intro">
        {present
          ? 'At least one person must be a Director or Legal Representative.'
          : 'No person list on this record. Adding a person creates it (then it needs a Director or Legal Representative).'}
      </p>
      <GroupIssues path={L} />
      {persons.map((p, i) => (
        <Person key={i} listPath={L} index={i} count={persons.length} person={p} onMove={move} onRemove={remove} />
      ))}
      <div class="button-row">
        <button type="button" class="btn" id="add-representative" data-testid="add-representative" onClick={add}>
          + Add representative
        </button>
      </div>
      <p class="visually-hidden" aria-live="polite" data-testid="representatives-announcement">
        {announcement}
      </p>
    </fieldset>
  );
}
