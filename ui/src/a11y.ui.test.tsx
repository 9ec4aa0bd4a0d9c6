// @vitest-environment jsdom
/**
 * Accessibility of every screen, checked by axe-core in jsdom against the dev mock back end (the
 * real back end's recorded answers for the review): the profile chooser, open customer, the editor
 * with problems, Review changes, Drafts, Outbox, the document review, the audit trail and Settings.
 * Any serious or critical violation fails. Colour contrast cannot be measured in jsdom (no layout,
 * no painting): the end-to-end test e2e_layout runs axe in the real app, in both themes, for that.
 * Also here: a blank new customer shows no errors before anything is typed (what is missing is
 * counted as fields to fill; e2e_layout checks a just-added representative with Rust's rules).
 */
import axe from 'axe-core';
import { render } from 'preact';
import { act } from 'preact/test-utils';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { App } from './app/App';
import { installMockBackend, type MockControl } from './dev/mockBackend';
import { tryReview } from './screens/CustomerEditor';
import { closeEditor } from './state/drafts';
import { setField } from './state/editor';
import { go } from './state/navigation';
import { online, outboxEntries } from './state/outbox';
import { loadProfiles, resetProfiles } from './state/profiles';
import { openDocumentsReview, reviewDraftId, reviewView } from './state/review';
import { start } from './state/session';
import { startApp } from './state/startup';
import { dismissToast } from './state/toast';

let root: HTMLElement;
let mock: MockControl;

const wait = (ms: number) =>
  act(async () => {
    await new Promise((r) => setTimeout(r, ms));
  });
const byTestId = <T extends Element = HTMLElement>(id: string) => root.querySelector<T>(`[data-testid="${id}"]`) as T;
const click = (el: Element) =>
  act(async () => {
    (el as HTMLElement).click();
  });
const screenName = () => byTestId('app').dataset.screen;

beforeAll(() => {
  mock = installMockBackend();
  // axe probes canvas support; jsdom has none (and says so on every call).
  HTMLCanvasElement.prototype.getContext = (() => null) as typeof HTMLCanvasElement.prototype.getContext;
  // As ui/index.html has them (jsdom's blank document has neither).
  document.documentElement.lang = 'en';
  document.title = 'KYB Desk';
  if (!Element.prototype.scrollIntoView) Element.prototype.scrollIntoView = () => undefined;
  if (typeof URL.createObjectURL !== 'function') {
    URL.createObjectURL = () => 'blob:kyb-desk-test';
    URL.revokeObjectURL = () => undefined;
  }
});

beforeEach(async () => {
  Object.assign(mock, { rejectWith: undefined, online: true, noKeychain: false, failWith: undefined, noProfile: false, sandboxRequiresApproval: false });
  await closeEditor();
  mock.reset();
  resetProfiles();
  reviewDraftId.value = null;
  reviewView.value = null;
  outboxEntries.value = [];
  online.value = null;
  dismissToast();
  root = document.createElement('div');
  document.body.appendChild(root);
  go('open');
});

afterEach(() => {
  render(null, root);
  root.remove();
});

async function boot() {
  await act(async () => {
    await start();
    await loadProfiles();
  });
  await act(async () => {
    render(<App />, root);
  });
  await wait(30);
}

async function openCustomer(id: string) {
  go('open');
  await wait(10);
  const input = byTestId<HTMLInputElement>('open-customer-input');
  await act(async () => {
    input.value = id;
    input.dispatchEvent(new Event('input', { bubbles: true }));
  });
  await act(async () => {
    byTestId<HTMLFormElement>('open-customer-form').dispatchEvent(new Event('submit', { bubbles: true, cancelable: true }));
  });
  await wait(250);
  expect(screenName()).toBe('editor');
}

/** axe over the whole document; the serious and critical violations, in words. */
async function seriousViolations(): Promise<string[]> {
  const result = await axe.run(document, {
    resultTypes: ['violations'],
    // Needs layout and painting, which jsdom has not: checked in the real app (e2e_layout).
    rules: { 'color-contrast': { enabled: false } },
  });
  return result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}

async function expectAccessible(screen: string) {
  expect(screenName()).toBe(screen);
  expect(await seriousViolations()).toEqual([]);
}

describe('every screen passes axe (no serious or critical violation)', () => {
  it('profile chooser', async () => {
    mock.noProfile = true;
    mock.reset();
    await act(async () => {
      render(<App />, root);
      await startApp();
    });
    await wait(30);
    await expectAccessible('profile');
  });

  it('open customer, editor with problems, Review changes', async () => {
    await boot();
    await expectAccessible('open');
    await openCustomer('cus_demo_0004');
    expect(byTestId('error-summary')).not.toBeNull();
    await expectAccessible('editor');
    await closeEditor();
    await openCustomer('cus_demo_0001');
    await act(async () => setField('business_details.website', 'https://acme.example.org'));
    await wait(50);
    await act(async () => tryReview());
    await wait(100);
    expect(byTestId('diff-table')).not.toBeNull();
    await expectAccessible('review');
  });

  it('Drafts, Outbox and Settings', async () => {
    await boot();
    await openCustomer('cus_demo_0004');
    await act(async () => setField('business_details.website', 'https://thames.example.co.uk'));
    await wait(400);
    for (const [nav, screen] of [
      ['drafts-nav', 'drafts'],
      ['outbox-nav', 'outbox'],
      ['settings-link', 'settings'],
    ] as const) {
      await click(byTestId(nav));
      await wait(60);
      await expectAccessible(screen);
    }
  });

  it('document review and the audit trail', async () => {
    await boot();
    const id = mock.seedReviewDraft();
    mock.review.playThrough('review_status', 2);
    await act(async () => openDocumentsReview(id));
    await wait(100);
    expect(byTestId('doc-item')).not.toBeNull();
    await expectAccessible('documents');
    await click(byTestId('view-audit'));
    await wait(80);
    await expectAccessible('audit');
  });
});

describe('no errors before anything is typed', () => {
  it('a blank new customer counts what is missing as fields to fill; review turns them into errors', async () => {
    await boot();
    await click(byTestId('new-customer'));
    await wait(250);
    expect(screenName()).toBe('editor');
    expect(root.querySelectorAll('[aria-invalid="true"]')).toHaveLength(0);
    expect(root.querySelector('.field__errors')).toBeNull();
    expect(byTestId('error-summary')).toBeNull();
    const fill = byTestId('fill-summary');
    expect(Number(fill.dataset.count)).toBeGreaterThan(0);
    expect(fill.textContent).toContain('to fill');
    await act(async () => tryReview());
    await wait(50);
    expect(byTestId('fill-summary')).toBeNull();
    expect(byTestId('error-summary').getAttribute('role')).toBe('alert');
    expect(root.querySelectorAll('[aria-invalid="true"]').length).toBeGreaterThan(0);
  });
});
