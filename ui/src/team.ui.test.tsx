// @vitest-environment jsdom
/**
 * Team mode in the page (jsdom, the real src/ipc.ts, the dev mock's fixture team server in
 * src/dev/mockTeam.ts): Settings → Team connects (a refused URL on its field), signs in through
 * the browser (the wait is said), signs out and disconnects after a confirmation; the Team screen
 * lists the queues as keyboard tabs, assigns, shows the trail, merges, opens and starts team
 * drafts in the editor; a team draft is submitted through the team server and followed until
 * the partner has settled.
 */
import axe from 'axe-core';
import { render } from 'preact';
import { act } from 'preact/test-utils';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { App } from './app/App';
import { installMockBackend, type MockControl } from './dev/mockBackend';
import { MOCK_TEAM_ENVIRONMENT } from './dev/mockTeam';
import { closeEditor, draftContext } from './state/drafts';
import { go } from './state/navigation';
import { session, start } from './state/session';
import { refreshTeamStatus, stopTeamRefresh, teamStatus } from './state/team';
import { stopFollowingTeamSubmission } from './state/teamDrafts';

let root: HTMLElement;
let mock: MockControl;

const wait = (ms: number) =>
  act(async () => {
    await new Promise((r) => setTimeout(r, ms));
  });
const $ = <T extends Element = HTMLElement>(sel: string) => root.querySelector<T>(sel) as T;
const byTestId = <T extends Element = HTMLElement>(id: string) => $<T>(`[data-testid="${id}"]`);
const click = async (el: Element | null, settle = 80) => {
  expect(el).not.toBeNull();
  await act(async () => {
    (el as HTMLElement).click();
  });
  await wait(settle);
};
function type(input: HTMLInputElement, text: string) {
  input.value = text;
  input.dispatchEvent(new Event('input', { bubbles: true }));
}
const rows = () => [...root.querySelectorAll<HTMLElement>('[data-testid="team-row"]')];
const row = (teamId: string) => $<HTMLElement>(`[data-testid="team-row"][data-team-id="${teamId}"]`);
const inRow = (teamId: string, id: string) => row(teamId).querySelector<HTMLElement>(`[data-testid="${id}"]`);

beforeAll(() => {
  mock = installMockBackend();
  if (!Element.prototype.scrollIntoView) Element.prototype.scrollIntoView = () => undefined;
  // axe probes canvas support; jsdom has none. The language and title are index.html's.
  HTMLCanvasElement.prototype.getContext = (() => null) as typeof HTMLCanvasElement.prototype.getContext;
  document.documentElement.lang = 'en';
  document.title = 'KYB Desk';
});

/** axe's serious and critical violations over the document (contrast needs painting: e2e_layout). */
async function seriousViolations(): Promise<string[]> {
  const result = await axe.run(document, { resultTypes: ['violations'], rules: { 'color-contrast': { enabled: false } } });
  return result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}

beforeEach(async () => {
  await closeEditor();
  stopFollowingTeamSubmission();
  mock.reset();
  teamStatus.value = null;
  root = document.createElement('div');
  document.body.appendChild(root);
  go('open');
  await act(async () => {
    await start();
  });
});

afterEach(() => {
  stopTeamRefresh();
  render(null, root);
  root.remove();
});

async function showApp() {
  await act(async () => {
    await refreshTeamStatus();
  });
  await act(async () => {
    render(<App />, root);
  });
  await wait(40);
}

describe('Settings → Team', () => {
  it('connects (a refused URL is said on its field), signs in through the browser, signs out and disconnects after a confirmation', async () => {
    await showApp();
    expect(byTestId('nav-team')).toBeNull();
    await click(byTestId('settings-link'));
    const settings = byTestId('team-settings');
    expect(settings.dataset.connected).toBe('false');
    expect(settings.textContent).toContain('four-eyes');

    const url = byTestId<HTMLInputElement>('team-url');
    expect(root.querySelector(`label[for="${url.id}"]`)?.textContent).toBe('Team server URL');
    type(url, 'http://team.example.com');
    await click(byTestId('team-connect'));
    const error = byTestId('team-url-error');
    expect(error.getAttribute('role')).toBe('alert');
    expect(error.textContent).toContain('Team server URL');
    expect(url.getAttribute('aria-invalid')).toBe('true');
    expect(url.getAttribute('aria-describedby')).toContain('team-url-error');
    expect(document.activeElement).toBe(url);

    type(byTestId<HTMLInputElement>('team-url'), 'https://team.example.com');
    await wait(0);
    expect(byTestId('team-url-error')).toBeNull();
    await click(byTestId('team-connect'));
    expect(byTestId('team-settings').dataset.connected).toBe('true');
    expect(byTestId('team-server-url').textContent).toBe('https://team.example.com');
    expect(byTestId('team-issuer').textContent).toBe('https://login.example.com');
    expect(byTestId('nav-team')).not.toBeNull();

    // Signing in waits for the browser, and says so.
    mock.team.signInDelayMs = 300;
    await click(byTestId('team-sign-in'), 60);
    expect(byTestId('team-signing-in').textContent).toContain('Finish signing in in your browser…');
    expect(byTestId<HTMLButtonElement>('team-sign-in').disabled).toBe(true);
    await wait(400);
    expect(byTestId('team-signed-in').textContent).toBe('Signed in as Rita Reviewer (reviewer)');
    expect(byTestId('team-status').getAttribute('aria-live')).toBe('polite');

    await click(byTestId('team-sign-out'));
    expect(byTestId('team-signed-in')).toBeNull();
    expect(byTestId('team-sign-in')).not.toBeNull();

    await click(byTestId('team-disconnect'));
    expect($('#team-disconnect-question').textContent).toContain('Drafts on this desktop stay');
    await click(byTestId('team-disconnect-keep'));
    expect(byTestId('team-settings').dataset.connected).toBe('true');
    await click(byTestId('team-disconnect'));
    await click(byTestId('team-disconnect-confirm'));
    expect(byTestId('team-settings').dataset.connected).toBe('false');
    expect(byTestId('nav-team')).toBeNull();
  }, 10000);

  it('shows what waits on this desktop and the server’s problem in the status region', async () => {
    mock.team.connect();
    mock.team.problem = 'the team server did not answer (offline?)';
    await showApp();
    await click(byTestId('settings-link'));
    const region = byTestId('team-status');
    expect(region.dataset.unpushed).toBe('2');
    expect(region.dataset.conflicts).toBe('1');
    expect(byTestId('team-pending').textContent).toBe('2 drafts have edits not on the team server yet; 1 draft needs a merge.');
    expect(byTestId('team-problem').textContent).toContain('the team server did not answer');
  });
});

describe('the Team screen', () => {
  it('lists the queues as tabs (a reviewer starts on "Waiting for my review"; arrows move), assigns, and shows the trail', async () => {
    mock.team.connect();
    await showApp();
    await click(byTestId('nav-team'));
    expect(byTestId('app').dataset.screen).toBe('team');
    expect(document.activeElement?.id).toBe('team-title');

    const waiting = byTestId('team-tab-waiting');
    expect(waiting.getAttribute('role')).toBe('tab');
    expect(waiting.getAttribute('aria-selected')).toBe('true');
    expect(byTestId('team-queue').getAttribute('role')).toBe('tabpanel');
    // Rita prepared td-0002 and it is not hers to review.
    expect(rows().map((r) => r.dataset.teamId)).toEqual(['td-0001', 'td-0003']);

    waiting.focus();
    await act(async () => {
      waiting.dispatchEvent(new KeyboardEvent('keydown', { key: 'ArrowRight', bubbles: true, cancelable: true }));
    });
    await wait(80);
    expect(document.activeElement).toBe(byTestId('team-tab-mine'));
    expect(byTestId('team-tab-mine').getAttribute('aria-selected')).toBe('true');
    expect(byTestId('team-tab-mine').tabIndex).toBe(0);
    expect(waiting.tabIndex).toBe(-1);
    expect(rows().map((r) => r.dataset.teamId)).toEqual(['td-0002']);
    expect(inRow('td-0002', 'team-row-local')!.textContent).toBe('unpushed edits');

    await act(async () => {
      byTestId('team-tab-mine').dispatchEvent(new KeyboardEvent('keydown', { key: 'End', bubbles: true, cancelable: true }));
    });
    await wait(80);
    expect(byTestId('team-tab-all').getAttribute('aria-selected')).toBe('true');
    expect(rows()).toHaveLength(3);
    expect(row('td-0003').dataset.localId).toBe('u-team-0003');
    expect(inRow('td-0003', 'team-approved-by')!.textContent).toBe('Rex Reviewer');
    expect(inRow('td-0003', 'team-row-local')!.textContent).toBe('needs merge');
    expect(inRow('td-0001', 'team-trail-open')).toBeNull(); // no local copy here yet

    await click(inRow('td-0001', 'team-assign'));
    expect(inRow('td-0001', 'team-assigned-to')!.textContent).toBe('Rita Reviewer');
    expect(byTestId('team-notice').textContent).toContain('assigned to you');

    await click(inRow('td-0002', 'team-trail-open'));
    const entries = [...root.querySelectorAll<HTMLElement>('[data-testid="team-trail-entry"]')];
    expect(entries.map((e) => e.dataset.seq)).toEqual(['11', '14']);
    expect(entries[1]!.dataset.hash).toMatch(/^[0-9a-f]{64}$/);
    expect(entries[1]!.textContent).toContain('Olivia Officer');
    expect(entries[1]!.textContent).toContain('draft pushed');
  }, 10000);

  it('merges a team draft field by field: every field needs a choice', async () => {
    mock.team.connect();
    await showApp();
    await click(byTestId('nav-team'));
    await click(byTestId('team-tab-all'));
    await click(inRow('td-0003', 'team-merge'));
    const panel = byTestId('team-conflict');
    expect(panel.textContent).toContain('Oscar Officer changed 2 fields');
    await click(byTestId('team-conflict-keep'));
    const missing = byTestId('team-conflict-missing');
    expect(missing.getAttribute('role')).toBe('alert');
    const radios = [...root.querySelectorAll<HTMLInputElement>('[data-testid="team-conflict-row"] input[type=radio]')];
    expect(radios).toHaveLength(4);
    expect(radios[0]!.closest('fieldset')!.querySelector('legend')!.textContent).toContain('Keep which value of');
    await click(root.querySelectorAll<HTMLInputElement>('[data-testid="team-conflict-theirs"]')[0]!, 0);
    await click(root.querySelectorAll<HTMLInputElement>('[data-testid="team-conflict-mine"]')[1]!, 0);
    await click(byTestId('team-conflict-keep'), 120);
    expect(byTestId('team-conflict')).toBeNull();
    expect(byTestId('team-notice').textContent).toContain('Merged');
    expect(row('td-0003').dataset.conflict).toBeUndefined();
  }, 10000);

  it('opens a team draft in the editor beside the active environment, and starts one', async () => {
    mock.team.connect();
    await showApp();
    const active = session.value!.active;
    await click(byTestId('nav-team'));
    await click(inRow('td-0001', 'team-open'), 150);
    expect(byTestId('app').dataset.screen).toBe('editor');
    expect(draftContext.value?.environment).toBe(MOCK_TEAM_ENVIRONMENT);
    expect(session.value!.active).toBe(active);

    await click(byTestId('nav-team'));
    await click(byTestId('team-tab-all'));
    expect(row('td-0001').dataset.localId).not.toBe('');
    await click(inRow('td-0001', 'team-review'), 150);
    expect(byTestId('app').dataset.screen).toBe('documents');

    await click(byTestId('nav-team'));
    const env = byTestId<HTMLSelectElement>('team-start-env');
    expect(env.value).toBe(MOCK_TEAM_ENVIRONMENT);
    expect(root.querySelector(`label[for="${env.id}"]`)?.textContent).toBe('Team environment');
    await click(byTestId('team-start'));
    const error = byTestId('team-start-customer-error');
    expect(error.getAttribute('role')).toBe('alert');
    expect(byTestId('team-start-customer').getAttribute('aria-invalid')).toBe('true');
    type(byTestId<HTMLInputElement>('team-start-customer'), 'cus_demo_0004');
    await wait(0);
    expect(byTestId('team-start-customer-error')).toBeNull();
    await click(byTestId('team-start'), 150);
    expect(byTestId('app').dataset.screen).toBe('editor');
    expect(draftContext.value?.environment).toBe(MOCK_TEAM_ENVIRONMENT);
  }, 10000);

  it('says how to connect when the desktop works solo', async () => {
    await showApp();
    go('team');
    await wait(20);
    expect(byTestId('team-solo').textContent).toContain('Settings → Team');
  });
});

describe('accessibility', () => {
  it('Settings → Team and the Team screen with its trail and merge pass axe', async () => {
    mock.team.connect();
    await showApp();
    await click(byTestId('settings-link'));
    expect(await seriousViolations()).toEqual([]);
    await click(byTestId('nav-team'));
    await click(byTestId('team-tab-all'));
    await click(inRow('td-0002', 'team-trail-open'));
    expect(await seriousViolations()).toEqual([]);
    await click(inRow('td-0003', 'team-merge'));
    expect(await seriousViolations()).toEqual([]);
  }, 15000);
});

describe('submitting a team draft', () => {
  it('goes through the team server (not the outbox) and is followed until the partner has settled', async () => {
    mock.team.connect();
    await showApp();
    await click(byTestId('nav-team'));
    await click(inRow('td-0001', 'team-open'), 150);
    type($<HTMLInputElement>('#fld-business_details-website'), 'https://www.team-change.example.com');
    await wait(350);
    await click(byTestId('review-button'), 150);
    expect(byTestId('review-team').textContent).toContain(MOCK_TEAM_ENVIRONMENT);
    expect(byTestId('queue-button')).toBeNull();
    const submit = byTestId<HTMLButtonElement>('team-submit');
    expect(submit.disabled).toBe(false);
    await click(submit, 100);
    expect(byTestId('app').dataset.screen).toBe('submission');
    expect(byTestId('team-submission-state').dataset.state).toBe('queued');
    expect(byTestId('team-submission-state').textContent).toBe('Queued on the team server');
    expect(byTestId('team-customer-status')).toBeNull();
    await wait(2100);
    expect(byTestId('team-submission-state').dataset.state).toBe('sent');
    expect(byTestId('team-customer-status').dataset.status).toBe('Processing');
    expect(byTestId('team-submission-polling')).not.toBeNull();
    await wait(2100);
    expect(byTestId('team-customer-status').dataset.status).toBe('Succeeded');
    expect(byTestId('team-submission-polling')).toBeNull();
  }, 15000);
});
