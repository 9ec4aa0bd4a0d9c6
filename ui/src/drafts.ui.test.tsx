// @vitest-environment jsdom
/**
 * Drafts, the outbox and the lost-update check in the page (jsdom, the real src/ipc.ts, the dev
 * mock back end): autosave and its status line, resuming / discarding / restoring a draft, a new
 * customer, the drafts library (search, open, delete + undo, export, import, 10,000 drafts),
 * offline queueing with the online pill, the conflict screen and the outbox view.
 */
import { render } from 'preact';
import { act } from 'preact/test-utils';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { App } from './app/App';
import { installMockBackend, type MockControl } from './dev/mockBackend';
import { outboxStatus, setOpenDraft } from './ipc';
import { closeEditor, restoreOnStart } from './state/drafts';
import { applyStatus, online, outboxEntries } from './state/outbox';
import { edited, setField } from './state/editor';
import { go } from './state/navigation';
import { start } from './state/session';
import { dismissToast } from './state/toast';

let root: HTMLElement;
let mock: MockControl;

const wait = (ms: number) =>
  act(async () => {
    await new Promise((r) => setTimeout(r, ms));
  });
const $ = <T extends Element = HTMLElement>(sel: string) => root.querySelector<T>(sel) as T;
const byTestId = <T extends Element = HTMLElement>(id: string) => $<T>(`[data-testid="${id}"]`);
const all = (id: string) => [...root.querySelectorAll<HTMLElement>(`[data-testid="${id}"]`)];
const click = (el: Element) =>
  act(async () => {
    (el as HTMLElement).click();
  });

function type(input: HTMLInputElement, text: string) {
  input.value = text;
  input.dispatchEvent(new Event('input', { bubbles: true }));
}

async function pollOutbox(times = 1) {
  for (let i = 0; i < times; i++) {
    await act(async () => {
      applyStatus(await outboxStatus());
    });
  }
}

beforeAll(() => {
  mock = installMockBackend();
  if (!Element.prototype.scrollIntoView) Element.prototype.scrollIntoView = () => undefined;
});

beforeEach(async () => {
  Object.assign(mock, { rejectWith: undefined, online: true, noKeychain: false, failWith: undefined, transientFailures: 0, unreadable: undefined });
  await closeEditor();
  mock.reset();
  outboxEntries.value = [];
  online.value = null;
  dismissToast();
  root = document.createElement('div');
  document.body.appendChild(root);
  go('open');
  await act(async () => {
    await start();
  });
  await act(async () => {
    render(<App />, root);
  });
});

afterEach(() => {
  render(null, root);
  root.remove();
});

async function openCustomer(id: string) {
  if (byTestId('app').dataset.screen !== 'open') await click(byTestId('open-nav'));
  await act(async () => type(byTestId<HTMLInputElement>('open-customer-input'), id));
  await act(async () => {
    byTestId<HTMLFormElement>('open-customer-form').dispatchEvent(new Event('submit', { bubbles: true, cancelable: true }));
  });
  await wait(250);
}

const WEBSITE = '#fld-business_details-website';

/** Open Acme (valid), change its website, review and queue it. */
async function queueAcmeWebsite(website = 'https://mine.example.com') {
  await openCustomer('cus_demo_0001');
  type($<HTMLInputElement>(WEBSITE), website);
  await wait(400); // validation + autosave
  await click(byTestId('review-button'));
  await wait(100);
  await wait(100);
  await click(byTestId('queue-button'));
  await wait(100);
}

describe('autosave', () => {
  it('saves every edit as a draft shortly after typing, says so calmly, and remembers the open draft', async () => {
    await openCustomer('cus_demo_0004');
    expect(byTestId('draft-status').dataset.state).toBe('idle');
    type($<HTMLInputElement>(WEBSITE), 'https://www.thamesvalleytextiles.example.com');
    await wait(100);
    expect(mock.store.drafts.size).toBe(0); // debounced
    await wait(300);
    expect(mock.store.drafts.size).toBe(1);
    const [draft] = [...mock.store.drafts.values()];
    expect(draft!.record.business_details?.website).toBe('https://www.thamesvalleytextiles.example.com');
    expect(draft!.base?.record.business_details?.website).toBe('http://www.thamesvalleytextiles.example.com');
    const status = byTestId('draft-status');
    expect(status.dataset.state).toBe('saved');
    expect(status.textContent).toMatch(/Draft saved \d\d:\d\d:\d\d/);
    // the visible line is not a live region; the hidden polite one only says "Draft saved."
    expect(status.getAttribute('aria-live')).toBeNull();
    expect(byTestId('draft-status-live').getAttribute('aria-live')).toBe('polite');
    expect(byTestId('draft-status-live').textContent).toBe('Draft saved.');
    expect(mock.store.workspace()).toBe(draft!.id);
  });

  it('stores at once when a field loses focus', async () => {
    await openCustomer('cus_demo_0004');
    const website = $<HTMLInputElement>(WEBSITE);
    type(website, 'https://now.example.com');
    await act(async () => {
      website.dispatchEvent(new FocusEvent('focusout', { bubbles: true }));
    });
    await wait(60);
    expect([...mock.store.drafts.values()][0]?.record.business_details?.website).toBe('https://now.example.com');
  });

  it('without a keychain says drafts cannot be kept, keeps the typed value, and recovers', async () => {
    mock.noKeychain = true;
    await openCustomer('cus_demo_0004');
    type($<HTMLInputElement>(WEBSITE), 'https://typed.example.com');
    await wait(400);
    const status = byTestId('draft-status');
    expect(status.dataset.state).toBe('error');
    expect(status.textContent).toContain('Drafts cannot be kept: no OS keychain. Your edits stay in this window only.');
    expect(byTestId('draft-status-live').textContent).toContain('Drafts cannot be kept');
    expect($<HTMLInputElement>(WEBSITE).value).toBe('https://typed.example.com');
    expect(edited.value.business_details?.website).toBe('https://typed.example.com');
    mock.noKeychain = false;
    await click(byTestId('draft-save-retry'));
    await wait(60);
    expect(byTestId('draft-status').dataset.state).toBe('saved');
    expect([...mock.store.drafts.values()][0]?.record.business_details?.website).toBe('https://typed.example.com');
  });

  it('closes without asking; reopening the customer resumes the draft, which can be discarded and undone', async () => {
    await openCustomer('cus_demo_0004');
    type($<HTMLInputElement>(WEBSITE), 'https://draft.example.com');
    await click(byTestId('close-customer'));
    await wait(60);
    expect(byTestId('app').dataset.screen).toBe('open');
    expect(root.querySelector('[data-testid=close-customer-confirm]')).toBeNull();
    expect(mock.store.drafts.size).toBe(1); // stored before closing, not lost with the debounce
    expect(mock.store.workspace()).toBeNull();

    await openCustomer('cus_demo_0004');
    expect(byTestId('draft-notice').dataset.kind).toBe('resumed');
    expect($<HTMLInputElement>(WEBSITE).value).toBe('https://draft.example.com');
    await click(byTestId('discard-draft'));
    await wait(100);
    expect($<HTMLInputElement>(WEBSITE).value).toBe('http://www.thamesvalleytextiles.example.com');
    expect(mock.store.drafts.size).toBe(0);
    expect(root.querySelector('[data-testid=draft-notice]')).toBeNull();
    expect(byTestId('toast').textContent).toContain('Draft discarded');
    await click(byTestId('undo-button'));
    await wait(100);
    expect(mock.store.drafts.size).toBe(1);
    expect($<HTMLInputElement>(WEBSITE).value).toBe('https://draft.example.com');
    expect(byTestId('draft-notice').dataset.kind).toBe('resumed');
  });

  it('after a restart reopens the draft that was open, with a notice', async () => {
    await openCustomer('cus_demo_0004');
    type($<HTMLInputElement>(WEBSITE), 'https://restored.example.com');
    await wait(400);
    const id = mock.store.workspace()!;
    // the app stops (the page state is gone, workspace.json still names the draft) and starts again
    await closeEditor();
    await setOpenDraft(id);
    await act(async () => {
      await restoreOnStart();
    });
    await wait(30);
    expect(byTestId('app').dataset.screen).toBe('editor');
    expect(byTestId('draft-notice').dataset.kind).toBe('restored');
    expect(byTestId('draft-notice').textContent).toContain('Restored your draft from');
    expect($<HTMLInputElement>(WEBSITE).value).toBe('https://restored.example.com');
  });

  it('after a normal quit reopens the draft without saying it was restored', async () => {
    await openCustomer('cus_demo_0004');
    type($<HTMLInputElement>(WEBSITE), 'https://resumed.example.com');
    await wait(400);
    const id = mock.store.workspace()!;
    await closeEditor();
    await setOpenDraft(id);
    mock.search.setLastRunCrashed(false);
    try {
      await act(async () => {
        await restoreOnStart();
      });
      await wait(30);
    } finally {
      mock.search.setLastRunCrashed(true);
    }
    expect(byTestId('app').dataset.screen).toBe('editor');
    expect($<HTMLInputElement>(WEBSITE).value).toBe('https://resumed.example.com');
    expect(root.querySelector('[data-testid=draft-notice]')).toBeNull();
  });
});

describe('new customer', () => {
  it('opens an empty editor with the partner customer ID on top, required, and saves a create draft', async () => {
    await click(byTestId('new-customer'));
    await wait(250);
    expect(byTestId('app').dataset.screen).toBe('editor');
    const pid = $<HTMLInputElement>('#fld-partner_customer_id');
    expect(pid.getAttribute('data-testid')).toBe('fld-partner_customer_id');
    expect($<HTMLLabelElement>('label[for="fld-partner_customer_id"]').textContent).toContain('Partner customer ID');
    // A blank form shows no errors: what is missing is counted calmly as fields to fill.
    expect(pid.getAttribute('aria-invalid')).toBeNull();
    expect(root.querySelector('[data-testid=error-summary]')).toBeNull();
    expect(byTestId('fill-summary').textContent).toContain('Partner customer ID');
    // Leaving the field empty makes it an error, tied to the input.
    pid.dispatchEvent(new FocusEvent('focusout', { bubbles: true }));
    await wait(10);
    expect(pid.getAttribute('aria-invalid')).toBe('true');
    expect(pid.getAttribute('aria-describedby')).toContain('fld-partner_customer_id-error');
    expect(byTestId('error-summary').textContent).toContain('Partner customer ID');
    type(pid, 'P-2001');
    type($<HTMLInputElement>('#fld-business_details-business_name_english'), 'Fjord Fisheries AS');
    await wait(400);
    expect(pid.getAttribute('aria-invalid')).toBeNull();
    const [d] = [...mock.store.drafts.values()];
    expect(d!.target).toEqual({ kind: 'create', partner_customer_id: 'P-2001' });
    expect(d!.id.startsWith('c-')).toBe(true);
    expect(d!.base).toBeUndefined();
    await click(byTestId('drafts-nav'));
    await wait(60);
    const row = all('draft-row')[0]!;
    expect(row.textContent).toContain('Fjord Fisheries AS');
    expect(row.textContent).toContain('New: P-2001');
  });
});

describe('new customer, sent', () => {
  it('queues the create; once settled the editor follows the new customer’s update draft', async () => {
    await click(byTestId('new-customer'));
    await wait(250);
    type($<HTMLInputElement>('#fld-partner_customer_id'), 'P-2002');
    type($<HTMLInputElement>('#fld-business_details-business_name_english'), 'Baltic Amber Traders');
    await wait(400);
    await click(byTestId('review-button'));
    await wait(100);
    await wait(100);
    expect(all('diff-row').map((r) => r.dataset.path)).toEqual(['business_details.business_name_english']);
    await click(byTestId('queue-button'));
    await wait(100);
    await pollOutbox(4); // sending, sent (Processing), …, Succeeded
    await wait(150);
    expect(byTestId('status-badge').dataset.status).toBe('Succeeded');
    await click(byTestId('back-to-customer'));
    expect(byTestId('customer-id').textContent).toBe('cus_new_0001');
    expect(root.querySelector('#fld-partner_customer_id')).toBeNull();
    const drafts = [...mock.store.drafts.values()];
    expect(drafts.map((d) => d.target)).toEqual([{ kind: 'update', customer_id: 'cus_new_0001' }]);
    expect(mock.store.workspace()).toBe(drafts[0]!.id);
    // typing goes on in the customer's update draft, never in a second create
    type($<HTMLInputElement>(WEBSITE), 'https://amber.example.com');
    await wait(400);
    expect([...mock.store.drafts.values()].map((d) => d.target.kind)).toEqual(['update']);
  });
});

describe('drafts library', () => {
  async function library() {
    await click(byTestId('drafts-nav'));
    await wait(60);
  }

  it('lists drafts with customer, environment, last change, validity and outbox state; search filters', async () => {
    await openCustomer('cus_demo_0004');
    type($<HTMLInputElement>(WEBSITE), 'https://www.thamesvalleytextiles.example.com');
    await wait(400);
    await queueAcmeWebsite();
    await library();
    expect(document.activeElement?.id).toBe('drafts-title');
    const rows = all('draft-row');
    expect(rows).toHaveLength(2);
    const thames = rows.find((r) => r.textContent!.includes('Thames'))!;
    expect(thames.textContent).toContain('cus_demo_0004');
    expect(thames.textContent).toContain('Sandbox');
    expect(thames.querySelector('[data-testid=draft-validity]')!.textContent).toContain('2 problems');
    expect(thames.querySelector('time')!.textContent).toBe('just now');
    expect(thames.querySelector('time')!.parentElement!.getAttribute('title')).toMatch(/\d{4}/);
    const acme = rows.find((r) => r.textContent!.includes('Acme'))!;
    expect(acme.querySelector('[data-testid=draft-validity]')!.textContent).toContain('Valid');
    expect(acme.querySelector('[data-testid=draft-outbox]')!.textContent).toBe('Queued');

    await act(async () => type(byTestId<HTMLInputElement>('drafts-search'), 'THAMES'));
    expect(all('draft-row')).toHaveLength(1);
    expect(byTestId('drafts-count').textContent).toContain('1 of 2 drafts match');
    await act(async () => type(byTestId<HTMLInputElement>('drafts-search'), 'cus_demo_0001'));
    expect(all('draft-row')[0]!.textContent).toContain('Acme');
    await act(async () => type(byTestId<HTMLInputElement>('drafts-search'), 'sandbox'));
    expect(all('draft-row')).toHaveLength(2);
  });

  it('opens a draft by click and by keyboard (a button in the row)', async () => {
    await openCustomer('cus_demo_0004');
    type($<HTMLInputElement>(WEBSITE), 'https://lib.example.com');
    await wait(400);
    await closeEditor();
    await library();
    const open = all('draft-row')[0]!.querySelector<HTMLButtonElement>('[data-testid=draft-open]')!;
    expect(open.tagName).toBe('BUTTON'); // Enter / Space open it
    await click(all('draft-row')[0]!.querySelector('td')!);
    await wait(60);
    expect(byTestId('app').dataset.screen).toBe('editor');
    expect($<HTMLInputElement>(WEBSITE).value).toBe('https://lib.example.com');
  });

  it('deletes with an Undo toast, exports to a path, imports a file and reports its problems by field', async () => {
    await openCustomer('cus_demo_0004');
    type($<HTMLInputElement>(WEBSITE), 'https://lib.example.com');
    await wait(400);
    await library();
    await click(all('draft-row')[0]!.querySelector('[data-testid=draft-export]')!);
    await wait(60);
    expect(byTestId('export-result').textContent).toContain('Draft saved as kyb-draft-cus_demo_0004.json');
    expect(byTestId('export-result-reveal').textContent).toBe('Open folder');

    await click(all('draft-row')[0]!.querySelector('[data-testid=draft-delete]')!);
    await wait(60);
    expect(all('draft-row')).toHaveLength(0);
    expect(byTestId('toast').textContent).toContain('Draft deleted');
    await click(byTestId('undo-button'));
    await wait(100);
    expect(all('draft-row')).toHaveLength(1);

    const file = new File(
      [
        JSON.stringify({
          format: 'kyb-desk-draft',
          version: 1,
          environment: 'Sandbox',
          target: { kind: 'update', customer_id: 'cus_demo_0002' },
          idempotency_key: 'k',
          record: { business_details: { business_name_english: 'Nordlicht Logistics GmbH', website: 'http://nordlicht.example.com' } },
        }),
      ],
      'nordlicht.json',
      { type: 'application/json' },
    );
    const input = byTestId<HTMLInputElement>('import-draft-input');
    expect($<HTMLLabelElement>('label[for="import-draft-input"]').textContent).toContain('Import');
    Object.defineProperty(input, 'files', { value: [file], configurable: true });
    await act(async () => {
      input.dispatchEvent(new Event('change', { bubbles: true }));
    });
    await wait(100);
    const report = byTestId('import-report');
    expect(report.textContent).toContain('nordlicht.json');
    const issue = report.querySelector<HTMLElement>('[data-testid=import-issue]')!;
    expect(issue.dataset.path).toBe('business_details.website');
    expect(issue.textContent).toContain('Business details · Website');
    expect(all('draft-row')).toHaveLength(2);
    await click(byTestId('import-open'));
    await wait(60);
    expect(byTestId('app').dataset.screen).toBe('editor');
    expect($<HTMLInputElement>(WEBSITE).value).toBe('http://nordlicht.example.com');
    await wait(300);
    // opening it stores nothing: queued unchanged, the file's idempotency key still applies
    expect([...mock.store.drafts.values()].find((d) => d.target.kind === 'update' && d.target.customer_id === 'cus_demo_0002')!.revision).toBe(1);
  });

  it('lists unreadable drafts in a separate notice', async () => {
    mock.unreadable = [{ file: 'u-0123.sealed', cause: 'wrong_key', reason: 'sealed with a key that is no longer in the keychain' }];
    await library();
    expect(byTestId('drafts-unreadable').textContent).toContain('u-0123.sealed');
    expect(byTestId('drafts-unreadable').textContent).toContain('no longer in the keychain');
  });

  it('stays quick with 10,000 drafts: renders a page of rows, filters as you type, shows more on demand', async () => {
    mock.store.seedDrafts(10_000);
    await library();
    expect(all('draft-row')).toHaveLength(100);
    expect(byTestId('drafts-count').textContent).toContain('10,000 drafts');
    const t0 = performance.now();
    for (const q of ['s', 'se', 'see', 'seeded company 99', 'seeded company 9999 ']) {
      await act(async () => type(byTestId<HTMLInputElement>('drafts-search'), q));
    }
    const perKeystroke = (performance.now() - t0) / 5;
    expect(all('draft-row')).toHaveLength(1);
    expect(perKeystroke).toBeLessThan(250); // jsdom, filter + render of at most 100 rows
    await act(async () => type(byTestId<HTMLInputElement>('drafts-search'), ''));
    await click(byTestId('drafts-show-more'));
    expect(all('draft-row')).toHaveLength(300);
  }, 20000);
});

describe('offline', () => {
  it('shows the online pill, queues while offline and sends when back online', async () => {
    await pollOutbox();
    const pill = byTestId('online-pill');
    expect(pill.getAttribute('role')).toBe('status');
    expect(pill.dataset.online).toBe('online');
    expect(pill.textContent).toContain('Online');

    // a draft made online, then the partner goes away
    await openCustomer('cus_demo_0001');
    type($<HTMLInputElement>(WEBSITE), 'https://offline.example.com');
    await wait(400);
    mock.online = false;
    await pollOutbox();
    expect(byTestId('online-pill').dataset.online).toBe('offline');
    expect(byTestId('online-pill').textContent).toBe('○Offline — changes are saved and queued');

    await click(byTestId('review-button'));
    await wait(100);
    await wait(100);
    const queue = byTestId<HTMLButtonElement>('queue-button');
    expect(queue.textContent).toBe('Queue for sending');
    const revision = [...mock.store.drafts.values()][0]!.revision;
    await click(queue);
    await wait(100);
    expect([...mock.store.drafts.values()][0]!.revision).toBe(revision); // stored already: not saved again
    expect(byTestId('app').dataset.screen).toBe('submission');
    expect(byTestId('queued-offline')).not.toBeNull();
    await pollOutbox(2);
    expect(byTestId('entry-state').dataset.state).toBe('queued'); // nothing is sent offline
    expect(byTestId('outbox-count').textContent).toBe('1');

    // the library and opening drafts work offline; opening from the server does not
    await click(byTestId('open-nav'));
    expect(byTestId('open-offline')).not.toBeNull();

    mock.online = true;
    await pollOutbox(); // sending
    await pollOutbox(); // sent
    expect(byTestId('online-pill').dataset.online).toBe('online');
    expect(root.querySelector('[data-testid=outbox-count]')).toBeNull();
    await click(byTestId('outbox-nav'));
    expect(byTestId('outbox-entry').dataset.state).toBe('sent');
    expect(byTestId('outbox-entry-state').textContent).toContain('Sent · Processing');
  });
});

describe('conflict', () => {
  it('asks Theirs or Mine for each field both sides changed, keeps their other changes, then sends', async () => {
    await queueAcmeWebsite('https://mine.example.com');
    // meanwhile someone changes the same field, and another one, at the partner
    mock.store.editServer('cus_demo_0001', 'business_details.website', 'https://theirs.example.com');
    mock.store.editServer('cus_demo_0001', 'registration_address.registration_address_city', 'Dover');
    await pollOutbox(); // sending
    await pollOutbox(); // conflict
    await wait(100);
    expect(byTestId('app').dataset.screen).toBe('conflict');
    expect(document.activeElement?.id).toBe('conflict-title');
    const rows = all('conflict-row');
    expect(rows.map((r) => r.dataset.path)).toEqual(['business_details.website']);
    const row = rows[0]!;
    expect(row.textContent).toContain('https://acme-robotics.example.com'); // base
    expect(row.textContent).toContain('https://theirs.example.com');
    expect(row.textContent).toContain('https://mine.example.com');
    const theirs = row.querySelector<HTMLInputElement>('[data-testid=conflict-choice-theirs]')!;
    const mine = row.querySelector<HTMLInputElement>('[data-testid=conflict-choice-mine]')!;
    expect(theirs.checked || mine.checked).toBe(false); // nothing preselected
    expect(theirs.type).toBe('radio');
    expect(theirs.name).toBe(mine.name);
    expect(row.querySelector('fieldset legend')!.textContent).toContain('Website');
    expect(mine.closest('label')!.textContent).toBe('Mine');
    expect(byTestId('conflict-kept').textContent).toContain('City');

    await click(byTestId('apply-choices'));
    await wait(30);
    const missing = byTestId('conflict-missing');
    expect(missing.getAttribute('role')).toBe('alert');
    expect(missing.textContent).toContain('Website');
    expect(document.activeElement).toBe(missing);
    expect(byTestId('app').dataset.screen).toBe('conflict');

    await act(async () => {
      mine.click();
    });
    expect(root.querySelector('[data-testid=conflict-missing]')).toBeNull();
    expect(byTestId('conflict-progress').textContent).toBe('1 of 1 chosen');
    await click(byTestId('apply-choices'));
    await wait(60);
    expect(byTestId('app').dataset.screen).toBe('submission');
    await pollOutbox(2); // sending, sent
    expect(byTestId('status-badge').dataset.status).toBe('Processing');
    const server = mock.store.entries.values().next().value!;
    expect(server.state.state).toBe('sent');
    expect(server.prepared?.business_details?.website).toBe('https://mine.example.com');
    expect(server.prepared?.registration_address?.registration_address_city).toBe('Dover');
  });
});

describe('outbox view', () => {
  it('shows a failed entry with its error; Retry queues it again; Cancel takes a queued one out', async () => {
    mock.failWith = { kind: 'unauthorized', message: 'the partner refused the API key', status: 401 };
    await queueAcmeWebsite();
    await pollOutbox(2); // sending, failed
    expect(byTestId('submit-result').dataset.state).toBe('failed');
    expect(byTestId('entry-error').dataset.kind).toBe('unauthorized');
    expect(byTestId('retry-entry').textContent).toBe('Retry');

    await click(byTestId('outbox-nav'));
    expect(byTestId('outbox-count').textContent).toBe('1');
    const entry = byTestId('outbox-entry');
    expect(entry.dataset.state).toBe('failed');
    expect(entry.textContent).toContain('Acme Robotics LLC');
    expect(entry.textContent).toContain('the partner refused the API key');
    expect(byTestId('outbox-entry-attempts').textContent).toBe('1');
    mock.failWith = undefined;
    await click(byTestId('outbox-retry'));
    await wait(60);
    expect(byTestId('outbox-entry').dataset.state).toBe('queued');

    mock.online = false;
    await click(byTestId('outbox-cancel'));
    await wait(60);
    expect(root.querySelector('[data-testid=outbox-entry]')).toBeNull();
    expect(byTestId('outbox-empty')).not.toBeNull();
  });

  it('a rejected entry goes back to the editor with the partner’s problems on the fields', async () => {
    mock.rejectWith = [{ field: 'business_details.website', code: 'domain_mismatch', message: 'The website does not match the registration.' }];
    await queueAcmeWebsite();
    await pollOutbox(2);
    await wait(100);
    expect(byTestId('app').dataset.screen).toBe('editor');
    expect($(WEBSITE).getAttribute('aria-invalid')).toBe('true');
    expect($(`${WEBSITE}-error`).textContent).toContain('does not match the registration');
    expect(byTestId('error-summary').getAttribute('role')).toBe('alert');
    setField('business_details.website', 'https://fixed.example.com');
    await wait(300);
    expect($(WEBSITE).getAttribute('aria-invalid')).toBeNull();
  });
});
