import { childPath, idForPath } from '../state/paths';
import { personName } from '../state/labels';
import { BasicInfo } from './BasicInfo';
import { Identification } from './Identification';
import { ResidentialAddress } from './ResidentialAddress';
import { GroupIssues, groupDescribedBy } from '../fields/GroupIssues';

export interface PersonProps {
  listPath: string;
  index: number;
  count: number;
  person: unknown;
  onMove: (from: number, to: number) => void;
  onRemove: (index: number) => void;
}

/** One legal representative: basic info, residential address, identification. */
export function Person({ listPath, index, count, person, onMove, onRemove }: PersonProps) {
  const path = childPath(listPath, index);
  const id = idForPath(path);
  const name = personName(person, index);
  return (
    <fieldset class="person" id={id} tabIndex={-1} data-testid={id} aria-describedby={groupDescribedBy(path)}>
      <legend class="person__legend">
        <span class="person__number">Person {index + 1}</span>
        <span class="person__name">{name !== `Person ${index + 1}` ? name : 'New representative'}</span>
      </legend>
      <div class="person__toolbar" role="group" aria-label={`Arrange ${name}`}>
        <button
          type="button"
          class="btn btn--small btn--quiet"
          id={`${id}-move-up`}
          data-testid={`person-${index}-move-up`}
          aria-label={`Move ${name} up`}
          disabled={index === 0}
          onClick={() => onMove(index, index - 1)}
        >
          <span aria-hidden="true">↑</span> Up
        </button>
        <button
          type="button"
          class="btn btn--small btn--quiet"
          id={`${id}-move-down`}
          data-testid={`person-${index}-move-down`}
          aria-label={`Move ${name} down`}
          disabled={index === count - 1}
          onClick={() => onMove(index, index + 1)}
        >
          <span aria-hidden="true">↓</span> Down
        </button>
        <button
          type="button"
          class="btn btn--small btn--danger-quiet"
          id={`${id}-remove`}
          data-testid={`person-${index}-remove`}
          aria-label={`Remove ${name}`}
          onClick={() => onRemove(index)}
        >
          Remove
        </button>
      </div>
      <GroupIssues path={path} />
      <BasicInfo base={path} />
      <ResidentialAddress base={path} />
      <Identification base={path} />
    </fieldset>
  );
}
