// @vitest-environment jsdom
/**
 * Open a customer by searching (jsdom, the real src/ipc.ts, the dev mock replaying the real
 * back end's recorded search answers): the combobox and its listbox on the keyboard (ArrowUp /
 * Down, Enter opens, Escape clears), the result count announced, Rust's words when nothing
 * matches, the built-in Sandbox's demo customers listed with what each is for, focus on the box,
 * and "Open folder" after an export.
 */
import { render } from 'preact';
import { act } from 'preact/test-utils';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { App } from './app/App';
import { installMockBackend, type MockControl } from './dev/mockBackend';
import { closeEditor } from './state/drafts';
import { go } from './state/navigation';
import { start } from './state/session';
import { SEARCH_DELAY_MS } from './screens/OpenCustomer';
import { ExportedFile } from './widgets/ExportedFile';

let root: HTMLElement;
let mock: MockControl;

const wait = (ms: number) =>
  act(async () => {
    await new Promise((r) => setTimeout(r, ms));
  });
const byTestId = <T extends Element = HTMLElement>(id: string) => root.querySelector<T>(`[data-testid="${id}"]`) as T;
const all = (id: string) => [...root.querySelectorAll<HTMLElement>(`[data-testid="${id}"]`)];
const box = () => byTestId<HTMLInputElement>('open-customer-input');

async function search(text: string) {
  await act(async () => {
    box().value = text;
    box().dispatchEvent(new Event('input', { bubbles: true }));
  });
  await wait(SEARCH_DELAY_MS + 80);
}

async function key(name: string) {
  await act(async () => {
    box().dispatchEvent(new KeyboardEvent('keydown', { key: name, bubbles: true, cancelable: true }));
  });
  await wait(40);
}

beforeAll(() => {
  mock = installMockBackend();
  if (!Element.prototype.scrollIntoView) Element.prototype.scrollIntoView = () => undefined;
});

beforeEach(async () => {
  Object.assign(mock, { online: true, noKeychain: false });
  await closeEditor();
  mock.reset();
  root = document.createElement('div');
  document.body.appendChild(root);
  go('open');
  await act(async () => {
    await start();
  });
  await act(async () => {
    render(<App />, root);
  });
  await wait(60);
});

afterEach(() => {
  render(null, root);
  root.remove();
});

describe('Open a customer: search', () => {
  it('starts with focus in the search box and lists the Sandbox demo customers with what each is for', () => {
    expect(document.activeElement).toBe(box());
    const demo = all('demo-list').length ? root.querySelectorAll('[data-testid="demo-list"] li') : [];
    expect(demo.length).toBe(6);
    expect(byTestId('demo-cus_demo_0002').textContent).toContain('cus_demo_0002');
    expect(byTestId('demo-cus_demo_0002').querySelector('.demo-customer__purpose')!.textContent!.length).toBeGreaterThan(10);
  });

  it('is a combobox whose results the arrows walk through (aria-activedescendant) and Enter opens', async () => {
    expect(box().getAttribute('role')).toBe('combobox');
    expect(box().getAttribute('aria-expanded')).toBe('false');
    await search('thames');
    const results = all('search-result');
    expect(results.length).toBeGreaterThan(0);
    expect(results[0]!.dataset.customerId).toBe('cus_demo_0004');
    expect(results[0]!.getAttribute('role')).toBe('option');
    expect(results[0]!.querySelector('[data-testid=search-result-sources]')!.textContent).toMatch(/Found in: .*Sandbox demo/);
    expect(box().getAttribute('aria-expanded')).toBe('true');
    expect(box().getAttribute('aria-controls')).toBe(byTestId('search-results').id);
    const status = byTestId('search-count');
    expect(status.getAttribute('role')).toBe('status');
    expect(status.textContent).toBe(`${results.length} ${results.length === 1 ? 'customer' : 'customers'} found.`);
    expect(box().getAttribute('aria-activedescendant')).toBeNull();

    await key('ArrowDown');
    expect(box().getAttribute('aria-activedescendant')).toBe(results[0]!.id);
    expect(all('search-result')[0]!.getAttribute('aria-selected')).toBe('true');
    expect(document.activeElement).toBe(box());
    await key('ArrowUp'); // stays on the first
    expect(box().getAttribute('aria-activedescendant')).toBe(all('search-result')[0]!.id);

    await key('Enter');
    await wait(250);
    expect(byTestId('app').dataset.screen).toBe('editor');
    expect(byTestId('customer-id').textContent).toBe('cus_demo_0004');
  });

  it('moves down through several results, and Escape clears the box and the list', async () => {
    await search('a');
    const results = all('search-result');
    expect(results.length).toBeGreaterThan(2);
    await key('ArrowDown');
    await key('ArrowDown');
    await key('ArrowDown');
    expect(box().getAttribute('aria-activedescendant')).toBe(results[2]!.id);
    for (let i = 0; i < results.length + 2; i++) await key('ArrowDown');
    expect(box().getAttribute('aria-activedescendant')).toBe(results[results.length - 1]!.id);

    await key('Escape');
    expect(box().value).toBe('');
    expect(all('search-result')).toHaveLength(0);
    expect(box().getAttribute('aria-expanded')).toBe('false');
    expect(box().getAttribute('aria-activedescendant')).toBeNull();
    expect(byTestId('search-count').textContent).toBe('');
  });

  it('says what was searched and how to find a customer when nothing matches (Rust’s words)', async () => {
    await search('Zebra Holdings');
    expect(all('search-result')).toHaveLength(0);
    const none = byTestId('search-none');
    expect(none.textContent).toContain('Nothing on this desktop matches “Zebra Holdings”');
    expect(none.textContent).toContain('recent customers, drafts and the outbox on this desktop');
    expect(none.textContent).toContain('The partner has no search');
  });

  it('still opens an exact id at the partner with Enter when no result is highlighted', async () => {
    await search('cus_demo_0001');
    await act(async () => {
      byTestId<HTMLFormElement>('open-customer-form').dispatchEvent(new Event('submit', { bubbles: true, cancelable: true }));
    });
    await wait(250);
    expect(byTestId('app').dataset.screen).toBe('editor');
    expect(byTestId('customer-id').textContent).toBe('cus_demo_0001');
  });
});

describe('Open folder after an export', () => {
  it('shows the file name and asks the app to show the file', async () => {
    const file = { path: '/home/officer/Downloads/KYB Desk/kyb-audit.json', file_name: 'kyb-audit.json', folder: '/home/officer/Downloads/KYB Desk' };
    await act(async () => {
      render(<ExportedFile file={file} label="Audit trail saved as" testid="exported" />, root);
    });
    expect(byTestId('exported-name').textContent).toBe('kyb-audit.json');
    expect(byTestId('exported').textContent).toContain('/home/officer/Downloads/KYB Desk');
    await act(async () => byTestId('exported-reveal').click());
    await wait(60);
    expect(mock.search.revealed).toContain(file.path);
  });

  it('shows the app’s refusal for a file it did not export', async () => {
    const file = { path: '/etc/passwd', file_name: 'passwd', folder: '/etc' };
    await act(async () => {
      render(<ExportedFile file={file} label="Saved as" testid="exported" />, root);
    });
    await act(async () => byTestId('exported-reveal').click());
    await wait(60);
    expect(byTestId('exported-reveal-error').dataset.kind).toBe('invalid_input');
  });
});
