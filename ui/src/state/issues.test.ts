import { describe, expect, it } from 'vitest';
import type { ShownIssue } from '../types';
import { afterMove, afterRemove, groupByPath, problemCount, remapListPaths } from './issues';

const issue = (path: string): ShownIssue => ({ path, code: 'required', message: path, source: 'validation' });
const L = 'business_person_list';

describe('remapListPaths', () => {
  const issues = [
    issue('business_details.website'),
    issue(L),
    issue(`${L}[0].basic_info.role_type`),
    issue(`${L}[1].identification.id_number`),
    issue(`${L}[2]`),
  ];
  it('after removing a person, drops its issues and shifts the later ones', () => {
    expect(remapListPaths(issues, L, afterRemove(1)).map((i) => i.path)).toEqual([
      'business_details.website',
      L,
      `${L}[0].basic_info.role_type`,
      `${L}[1]`,
    ]);
  });
  it('after moving a person, issues follow the person', () => {
    expect(remapListPaths(issues, L, afterMove(2, 0)).map((i) => i.path)).toEqual([
      'business_details.website',
      L,
      `${L}[1].basic_info.role_type`,
      `${L}[2].identification.id_number`,
      `${L}[0]`,
    ]);
  });
});

describe('index maps', () => {
  it('afterMove is a permutation', () => {
    for (const [from, to] of [[0, 3], [3, 0], [1, 2], [2, 1]] as const) {
      const f = afterMove(from, to);
      const mapped = [0, 1, 2, 3].map(f).sort();
      expect(mapped).toEqual([0, 1, 2, 3]);
      expect(f(from)).toBe(to);
    }
  });
});

describe('groupByPath / problemCount', () => {
  it('groups', () => {
    const g = groupByPath([issue('a'), issue('b'), issue('a')]);
    expect(g.get('a')).toHaveLength(2);
    expect(g.get('b')).toHaveLength(1);
  });
  it('counts', () => {
    expect(problemCount(0)).toBe('No problems');
    expect(problemCount(1)).toBe('1 problem');
    expect(problemCount(3)).toBe('3 problems');
  });
});
