import { idForPath } from '../state/paths';
import { issuesByPath } from '../state/store';
import { FieldErrors } from './FieldShell';

/** Issues about a whole group (a missing section, a person, the person list), under its legend. */
export function GroupIssues({ path }: { path: string }) {
  const issues = issuesByPath.value.get(path) ?? [];
  return <FieldErrors id={`${idForPath(path)}-error`} issues={issues} />;
}

export function groupDescribedBy(path: string): string | undefined {
  return issuesByPath.value.has(path) ? `${idForPath(path)}-error` : undefined;
}
