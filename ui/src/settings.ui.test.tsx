// @vitest-environment jsdom
/**
 * Settings' partner profile and Test connection in the page (jsdom, the real src/ipc.ts, the dev
 * mock replaying the real back end's recorded answers): a refused file's report lists every
 * problem with its JSON path in an alert; an accepted one shows the profile and its closed lists
 * and the pickers follow it; back to the built-in one; Test connection's result in words in a
 * status region.
 */
import { render } from 'preact';
import { act } from 'preact/test-utils';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { App } from './app/App';
import { installMockBackend, type MockControl } from './dev/mockBackend';
import recordedSettings from './dev/recorded/settings.json';
import { closeEditor } from './state/drafts';
import { go } from './state/navigation';
import { reference, start } from './state/session';

let root: HTMLElement;
let mock: MockControl;

const wait = (ms: number) =>
  act(async () => {
    await new Promise((r) => setTimeout(r, ms));
  });
const $ = <T extends Element = HTMLElement>(sel: string) => root.querySelector<T>(sel) as T;
const within = (scope: Element, id: string) => scope.querySelector<HTMLElement>(`[data-testid="${id}"]`)!;
const click = (el: Element) =>
  act(async () => {
    (el as HTMLElement).click();
  });

/** The profile files the recording imported into the Sandbox, refused first, accepted last. */
const importedTexts = (recordedSettings.calls as { command: string; args: { text?: string } }[])
  .filter((c) => c.command === 'import_partner_profile')
  .map((c) => c.args.text!);

async function choose(scope: Element, text: string, name: string) {
  const input = within(scope, 'profile-import-input') as HTMLInputElement;
  Object.defineProperty(input, 'files', { value: [new File([text], name, { type: 'application/json' })], configurable: true });
  await act(async () => {
    input.dispatchEvent(new Event('change', { bubbles: true }));
  });
  await wait(120);
}

beforeAll(() => {
  mock = installMockBackend();
  if (!Element.prototype.scrollIntoView) Element.prototype.scrollIntoView = () => undefined;
});

beforeEach(async () => {
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
  await click($('[data-testid="settings-link"]'));
  await wait(60);
});

afterEach(() => {
  render(null, root);
  root.remove();
});

describe('partner profile', () => {
  it('shows each environment’s profile, and a refused file’s every problem with its JSON path in an alert; nothing changes', async () => {
    const sandbox = $('[data-testid="env-checks-Sandbox"]');
    expect(within(sandbox, 'profile-name').textContent).toContain('KYB Desk built-in v1');
    expect(within(sandbox, 'profile-name').textContent).toContain('built in');
    expect(within(sandbox, 'profile-closed-lists').textContent).toContain('None');
    expect(within($('[data-testid="env-checks-Production"]'), 'profile-name').textContent).toContain('KYB Desk built-in v1');
    const input = within(sandbox, 'profile-import-input');
    expect(sandbox.querySelector(`label[for="${input.id}"]`)!.textContent).toBe('Import partner profile…');
    expect(within(sandbox, 'profile-reset')).toBeNull();

    await choose(sandbox, importedTexts[0]!, 'acme.json');
    const report = within(sandbox, 'profile-import-report');
    expect(report.getAttribute('role')).toBe('alert');
    expect(report.textContent).toContain('acme.json was not used: 3 problems');
    const problems = [...report.querySelectorAll<HTMLElement>('li[data-testid="profile-problem"]')];
    expect(problems.map((p) => p.dataset.path)).toEqual(['colour', 'revision', 'enumerations.role_type.values[1]']);
    expect(problems[2]!.textContent).toContain('near-duplicate');
    expect(report.querySelector('ul')).not.toBeNull();
    expect(document.activeElement).toBe(report);
    expect(within(sandbox, 'profile-name').textContent).toContain('KYB Desk built-in v1');

    // A file that is not JSON: the problem is the file as a whole.
    await choose(sandbox, importedTexts[1]!, 'notes.txt');
    const whole = within(sandbox, 'profile-import-report');
    expect(whole.textContent).toContain('1 problem');
    expect(whole.textContent).toContain('The file as a whole: not JSON');
  });

  it('uses an accepted file (closed lists by label, pickers follow) and goes back to the built-in one', async () => {
    const sandbox = $('[data-testid="env-checks-Sandbox"]');
    // Marked stale, to see the page ask again for the active environment's pickers.
    reference.value = { ...reference.value!, business_types: [] };
    await choose(sandbox, importedTexts[2]!, 'acme.json');
    expect(within(sandbox, 'profile-import-report')).toBeNull();
    expect(within(sandbox, 'profile-name').textContent).toContain('ACME v3');
    expect(within(sandbox, 'profile-name').textContent).toContain('imported');
    expect(within(sandbox, 'profile-closed-lists').textContent).toBe('Business type, ID type');
    expect(within(sandbox, 'profile-notice').textContent).toBe('Sandbox now uses ACME v3 from acme.json.');
    expect(reference.value!.business_types.length).toBeGreaterThan(0);

    const reset = within(sandbox, 'profile-reset');
    expect(reset.textContent).toBe('Use the built-in profile');
    await click(reset);
    await wait(60);
    expect(within(sandbox, 'profile-name').textContent).toContain('KYB Desk built-in v1');
    expect(within(sandbox, 'profile-notice').textContent).toBe('Sandbox uses the built-in profile again.');
    expect(within(sandbox, 'profile-reset')).toBeNull();
  });
});

describe('Test connection', () => {
  it('says in words, in a status region, what the partner answered', async () => {
    const sandbox = $('[data-testid="env-checks-Sandbox"]');
    const status = within(sandbox, 'connection-result');
    expect(status.getAttribute('role')).toBe('status');
    expect(status.textContent).toBe('');
    const button = within(sandbox, 'connection-test');
    expect(button.getAttribute('aria-label')).toBe('Test connection to Sandbox');
    await click(button);
    await wait(60);
    expect(status.dataset.outcome).toBe('credentials_accepted');
    expect(status.textContent).toContain('Connected to 127.0.0.1:8083: the partner answered and accepted the API key and secret.');

    const production = $('[data-testid="env-checks-Production"]');
    await click(within(production, 'connection-test'));
    await wait(60);
    const refused = within(production, 'connection-result');
    expect(refused.dataset.outcome).toBe('no_credentials');
    expect(refused.textContent).toContain('No API key and secret are stored for Production; set them first.');
    expect(refused.querySelector('.notice--error')).not.toBeNull();
  });
});
