import { idForPath } from '../state/paths';
import { fieldIssues } from '../state/fieldSignals';
import { FieldErrors } from '../widgets/FieldShell';

/** Issues about a whole group (a missing section, a person, the person list), under its legend. */
export function GroupIssues({ path }: { path: string }) {
  const issues = fieldIssues(path).value;
  return <FieldErrors id={`${idForPath(path)}-error`} issues={issues} />;
}

export function groupDescribedBy(path: string): string | undefined {
  return fieldIssues(path).value.length > 0 ? `${idForPath(path)}-error` : undefined;
}
