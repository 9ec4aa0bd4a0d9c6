// @vitest-environment jsdom
import { render } from 'preact';
import { act } from 'preact/test-utils';
import { afterEach, describe, expect, it } from 'vitest';
import type { DiffView } from '../types';
import { DiffList } from './DiffList';

/** A view as `diff_record` answers it (kyb_core::diff::diff_view decides groups, order and words). */
const view: DiffView = {
  field_count: 4,
  changes: [],
  files: [{ file_id: 'file_new_front', file_name: 'jane-passport.png', media_type: 'image/png' }],
  groups: [
    {
      key: 'business_details',
      label: 'Business details',
      change: 'changed',
      rows: [{ path: 'business_details.website', label: 'Website', kind: 'text', before: 'http://a.example', after: 'https://a.example' }],
    },
    {
      key: 'business_person_list[1]',
      label: 'Person 2 added: Jane Doe',
      change: 'added',
      rows: [
        { path: 'business_person_list[1].basic_info.first_name_english', label: 'First name (English)', kind: 'text', after: 'Jane' },
        { path: 'business_person_list[1].identification.id_expiration_date', label: 'ID expiry date', kind: 'date', after: '2031-03-15' },
        { path: 'business_person_list[1].identification.id_document_front_file_id', label: 'ID front image', kind: 'file', after: 'file_new_front' },
      ],
    },
  ],
};

describe('DiffList', () => {
  const root = document.createElement('div');
  afterEach(() => render(null, root));

  it('shows groups in the order served, an added person as one expandable row, files by name', async () => {
    await act(async () => render(<DiffList view={view} draftId={null} />, root));
    expect(root.querySelector('[data-testid=diff-count]')?.textContent).toContain('4 fields change');
    expect(root.querySelector('table caption')?.textContent).toBe('Business details');
    const person = root.querySelector<HTMLDetailsElement>('details[data-change=added]')!;
    expect(person.open).toBe(false);
    expect(person.querySelector('summary')?.textContent).toBe('Person 2 added: Jane Doe (3 fields)');
    const rows = [...root.querySelectorAll<HTMLElement>('[data-testid=diff-row]')];
    expect(rows.map((r) => r.querySelector('.diff__label')?.textContent)).toEqual(['Website', 'First name (English)', 'ID expiry date', 'ID front image']);
    expect(rows[2]!.querySelector('.diff__after')?.textContent).toBe('2031-03-15');
    expect(rows[3]!.querySelector('[data-testid=diff-file]')?.textContent).toBe('jane-passport.png');
    expect(rows[3]!.textContent).not.toContain('file_new_front');
    expect(rows[1]!.querySelector('.diff__before')?.textContent).toBe('—(empty)');
  });

  it('names a file this computer has no copy of by its id', async () => {
    const noCopy = { ...view, files: [] };
    await act(async () => render(<DiffList view={noCopy} draftId="u-1" />, root));
    expect(root.textContent).toContain('File file_new_front');
    expect(root.querySelector('[data-testid=diff-thumb]')).toBeNull();
  });
});
