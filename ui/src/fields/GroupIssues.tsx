import { idForPath } from '../state/paths';
import { fieldShownIssues } from '../state/touched';
import { FieldErrors } from '../widgets/FieldShell';

/** Issues about a whole group (a missing section, a person, the person list), under its legend. */
export function GroupIssues({ path }: { path: string }) {
  const issues = fieldShownIssues(path).value;
  return <FieldErrors id={`${idForPath(path)}-error`} issues={issues} />;
}

export function groupDescribedBy(path: string): string | undefined {
  return fieldShownIssues(path).value.length > 0 ? `${idForPath(path)}-error` : undefined;
}
