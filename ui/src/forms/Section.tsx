import type { ComponentChildren } from 'preact';
import { idForPath } from '../state/paths';
import { GroupIssues, groupDescribedBy } from '../fields/GroupIssues';

/** A section or sub-section of the record: a fieldset whose id derives from its path. */
export function Section(p: {
  path: string;
  legend: ComponentChildren;
  level?: 'section' | 'sub';
  intro?: ComponentChildren;
  actions?: ComponentChildren;
  children: ComponentChildren;
  testid?: string;
}) {
  const id = idForPath(p.path);
  const sub = p.level === 'sub';
  const introId = `${id}-intro`;
  const described = [p.intro ? introId : '', groupDescribedBy(p.path) ?? ''].filter(Boolean).join(' ') || undefined;
  return (
    <fieldset class={sub ? 'subgroup' : 'section'} id={id} tabIndex={-1} data-testid={p.testid ?? id} aria-describedby={described}>
      <legend class={sub ? 'subgroup__legend' : 'section__legend'}>{p.legend}</legend>
      {p.actions && <div class="section__actions">{p.actions}</div>}
      {p.intro && (
        <p class="section__intro" id={introId}>
          {p.intro}
        </p>
      )}
      <GroupIssues path={p.path} />
      <div class="grid">{p.children}</div>
    </fieldset>
  );
}
