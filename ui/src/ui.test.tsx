// @vitest-environment jsdom
/**
 * The page in jsdom against the dev mock back end (through the real src/ipc.ts and Tauri's
 * IPC mock): keyboard picker, inline issues with ARIA wiring, summary, review and submit.
 */
import { render } from 'preact';
import { act } from 'preact/test-utils';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { App } from './app/App';
import { installMockBackend, type MockControl } from './dev/mockBackend';
import { Picker } from './fields/Picker';
import { outboxStatus } from './ipc';
import { ANNOUNCE_DELAY_MS } from './screens/ErrorSummary';
import { closeEditor } from './state/drafts';
import { applyStatus, online, outboxEntries } from './state/outbox';
import { edited, loadCustomer, setField, validationIssues } from './state/editor';
import { go } from './state/navigation';
import { session, start } from './state/session';
import type { Customer } from './types';

let root: HTMLElement;
let mock: MockControl;

const wait = (ms: number) => act(async () => {
  await new Promise((r) => setTimeout(r, ms));
});
const $ = <T extends Element = HTMLElement>(sel: string) => root.querySelector<T>(sel as string) as T;
const byTestId = <T extends Element = HTMLElement>(id: string) => $<T>(`[data-testid="${id}"]`);

function type(input: HTMLInputElement, text: string) {
  input.value = text;
  input.dispatchEvent(new Event('input', { bubbles: true }));
}
function key(el: Element, k: string, extra: KeyboardEventInit = {}) {
  el.dispatchEvent(new KeyboardEvent('keydown', { key: k, bubbles: true, cancelable: true, ...extra }));
}

beforeAll(() => {
  mock = installMockBackend();
  if (!Element.prototype.scrollIntoView) Element.prototype.scrollIntoView = () => undefined;
});

beforeEach(async () => {
  mock.rejectWith = undefined;
  mock.online = true;
  mock.noKeychain = false;
  mock.failWith = undefined;
  mock.transientFailures = 0;
  mock.unreadable = undefined;
  mock.approvalOff = undefined;
  await closeEditor();
  mock.reset();
  outboxEntries.value = [];
  online.value = null;
  root = document.createElement('div');
  document.body.appendChild(root);
  go('open');
  await act(async () => {
    await start();
  });
});

afterEach(() => {
  render(null, root);
  root.remove();
});

/** One `outbox_status` call (the app polls it; tests step the mock's outbox by hand). */
async function pollOutbox(times = 1) {
  for (let i = 0; i < times; i++) {
    await act(async () => {
      applyStatus(await outboxStatus());
    });
  }
}

async function openDemo(id = 'cus_demo_0004') {
  await act(async () => {
    render(<App />, root);
  });
  await act(async () => type(byTestId<HTMLInputElement>('open-customer-input'), id));
  await act(async () => {
    byTestId<HTMLFormElement>('open-customer-form').dispatchEvent(new Event('submit', { bubbles: true, cancelable: true }));
  });
  await wait(250); // open + validation answer
}

describe('open customer', () => {
  it('shows not_found as an error tied to the input', async () => {
    await openDemo('cus_nope');
    const err = byTestId('open-error');
    expect(err.dataset.kind).toBe('not_found');
    expect(err.getAttribute('role')).toBe('alert');
    expect(session.value?.active).toBe('Sandbox');
  });
});

describe('editor', () => {
  it('shows every issue beside its field with aria-invalid and aria-describedby, and in the summary', async () => {
    await openDemo();
    const website = $<HTMLInputElement>('#fld-business_details-website');
    expect(website.getAttribute('data-testid')).toBe('fld-business_details-website');
    expect(website.getAttribute('aria-invalid')).toBe('true');
    const describedBy = website.getAttribute('aria-describedby')!.split(' ');
    expect(describedBy).toContain('fld-business_details-website-error');
    expect($('#fld-business_details-website-error').textContent).toContain('https');
    expect($<HTMLLabelElement>('label[for="fld-business_details-website"]').textContent).toContain('Website');
    const summary = byTestId('error-summary');
    expect(summary.dataset.count).toBe('3');
    expect(summary.getAttribute('role')).toBeNull();
    // The live region waits for the count to settle before announcing it.
    await wait(ANNOUNCE_DELAY_MS + 100);
    expect(byTestId('issue-count-live').textContent).toBe('3 problems');
  });

  it('re-validates at once after an edit and clears the field error; the live count waits for a pause', async () => {
    await openDemo();
    await wait(ANNOUNCE_DELAY_MS + 100);
    expect(byTestId('issue-count-live').textContent).toBe('3 problems');
    type($<HTMLInputElement>('#fld-business_details-website'), 'https://www.thamesvalleytextiles.example.com');
    await wait(50);
    expect(validationIssues.value.some((i) => i.path === 'business_details.website')).toBe(false);
    // Shown at once, announced only after the pause.
    expect(byTestId('issue-count-live').textContent).toBe('3 problems');
    await wait(ANNOUNCE_DELAY_MS + 100);
    expect(byTestId('issue-count-live').textContent).toBe('2 problems');
    expect($('#fld-business_details-website').getAttribute('aria-invalid')).toBeNull();
    expect(byTestId('error-summary').dataset.count).toBe('2');
  });

  it('summary links move focus to the field; trying to review with issues makes the summary an alert', async () => {
    await openDemo();
    const link = byTestId('summary-link-fld-business_details-business_identifier_country_code');
    await act(async () => {
      link.click();
    });
    expect(document.activeElement?.id).toBe('fld-business_details-business_identifier_country_code');
    await act(async () => {
      byTestId('review-button').click();
    });
    await wait(50);
    expect(byTestId('error-summary').getAttribute('role')).toBe('alert');
    expect(document.activeElement?.id).toBe('error-summary-title');
    expect(root.querySelector('[data-testid=diff-table]')).toBeNull();
  });

  it('omits an optional field the user empties instead of sending ""', async () => {
    await openDemo();
    type($<HTMLInputElement>('#fld-primary_contact-contact_email'), '');
    expect(edited.value.primary_contact).toEqual({ contact_phone: '+441184960123' });
    type($<HTMLInputElement>('#fld-primary_contact-contact_phone'), '');
    expect('primary_contact' in edited.value).toBe(false);
  });

  it('keeps the time of an unchanged date and writes midnight UTC for a new one', async () => {
    await openDemo();
    setField('business_person_list[0].basic_info.birth_date', '1968-07-30T06:45:00Z');
    await wait(10);
    const dob = $<HTMLInputElement>('#fld-business_person_list-0-basic_info-birth_date');
    expect(dob.value).toBe('1968-07-30');
    type(dob, '1968-07-30');
    expect(edited.value.business_person_list?.[0]?.basic_info?.birth_date).toBe('1968-07-30T06:45:00Z');
    type(dob, '1969-01-02');
    expect(edited.value.business_person_list?.[0]?.basic_info?.birth_date).toBe('1969-01-02T00:00:00Z');
  });

  it('keeps an amount exactly as typed', async () => {
    await openDemo();
    const amount = $<HTMLInputElement>('#fld-account_usage-estimated_monthly_revenue_amount');
    expect(amount.value).toBe('64000.5');
    expect(amount.getAttribute('inputmode')).toBe('decimal');
    type(amount, '0.10');
    expect(edited.value.account_usage?.estimated_monthly_revenue_amount).toBe('0.10');
  });

  it('adds, moves and removes representatives with named buttons', async () => {
    await openDemo('cus_demo_0001');
    expect(byTestId('person-0-move-up').getAttribute('aria-label')).toBe('Move Jane Doe up');
    expect(byTestId('person-1-move-up').getAttribute('aria-label')).toBe('Move Carlos Mendes up');
    await act(async () => {
      byTestId('person-1-move-up').click();
    });
    expect(edited.value.business_person_list?.[0]?.basic_info?.first_name_english).toBe('Carlos');
    await act(async () => {
      byTestId('add-representative').click();
    });
    expect(edited.value.business_person_list).toHaveLength(3);
    await wait(30);
    expect(document.activeElement?.id).toBe('fld-business_person_list-2-basic_info-first_name_english');
    await act(async () => {
      byTestId('person-2-remove').click();
    });
    expect(edited.value.business_person_list).toHaveLength(2);
  });
});

describe('picker', () => {
  const customer: Customer = { customer_id: 'cus_x', status: 'Succeeded' };
  beforeEach(async () => {
    loadCustomer({ customer, record: { business_details: { business_identifier_country_code: 'us' } } });
    await act(async () => {
      render(<Picker path="business_details.business_identifier_country_code" label="Country" options={[
        { value: 'AU', name: 'Australia' },
        { value: 'GB', name: 'United Kingdom' },
        { value: 'US', name: 'United States' },
      ]} />, root);
    });
  });
  const input = () => $<HTMLInputElement>('#fld-business_details-business_identifier_country_code');

  it('shows a value that is not in the list, marked', () => {
    expect(input().value).toBe('us');
    expect(root.textContent).toContain('Not in the list');
    expect(input().getAttribute('aria-describedby')).toContain('fld-business_details-business_identifier_country_code-notinlist');
  });

  it('filters as you type, moves with arrows, chooses with Enter', async () => {
    await act(async () => type(input(), 'u'));
    expect(input().getAttribute('aria-expanded')).toBe('true');
    const options = () => [...root.querySelectorAll('[role=option]')].map((o) => o.getAttribute('data-value'));
    expect(options()).toEqual(['US', 'GB', 'AU']); // code prefix, name prefix (United Kingdom), then anywhere
    expect(input().getAttribute('aria-activedescendant')).toBe('fld-business_details-business_identifier_country_code-opt-0');
    await act(async () => key(input(), 'ArrowDown'));
    expect(input().getAttribute('aria-activedescendant')).toBe('fld-business_details-business_identifier_country_code-opt-1');
    await act(async () => key(input(), 'ArrowUp'));
    await act(async () => key(input(), 'Enter'));
    expect(edited.value.business_details?.business_identifier_country_code).toBe('US');
    expect(input().value).toBe('US — United States');
    expect(input().getAttribute('aria-expanded')).toBe('false');
  });

  it('Escape closes the list and restores the value', async () => {
    await act(async () => type(input(), 'gb'));
    await act(async () => key(input(), 'Escape'));
    expect(input().getAttribute('aria-expanded')).toBe('false');
    expect(input().value).toBe('us');
    expect(edited.value.business_details?.business_identifier_country_code).toBe('us');
  });

  it('ArrowDown opens the full list on the current value', async () => {
    loadCustomer({ customer, record: { business_details: { business_identifier_country_code: 'GB' } } });
    await wait(0);
    await act(async () => key(input(), 'ArrowDown'));
    expect(root.querySelectorAll('[role=option]')).toHaveLength(3);
    expect(input().getAttribute('aria-activedescendant')).toBe('fld-business_details-business_identifier_country_code-opt-1');
  });
});

describe('review and submit', () => {
  it('shows the diff, submits and follows Processing until settled', async () => {
    await openDemo();
    type($<HTMLInputElement>('#fld-business_details-website'), 'https://www.thamesvalleytextiles.example.com');
    setField('business_details.business_identifier_country_code', 'GB');
    setField('business_person_list[0].identification.id_expiration_date', '2031-02-10T00:00:00Z');
    await wait(250);
    await act(async () => {
      byTestId('review-button').click();
    });
    await wait(100);
    const rows = [...root.querySelectorAll<HTMLElement>('[data-testid=diff-row]')].map((r) => r.dataset.path);
    expect(rows).toEqual([
      'business_details.website',
      'business_details.business_identifier_country_code',
      'business_person_list[0].identification.id_expiration_date',
    ]);
    await pollOutbox();
    const submit = byTestId<HTMLButtonElement>('queue-button');
    expect(submit.disabled).toBe(false);
    expect(submit.textContent).toBe('Submit');
    await act(async () => {
      submit.click();
    });
    await wait(100);
    expect(byTestId('app').dataset.screen).toBe('submission');
    expect(byTestId('entry-state').dataset.state).toBe('queued');
    await pollOutbox(); // sending
    expect(byTestId('entry-state').textContent).toContain('Sending');
    await pollOutbox(); // sent, Processing
    expect(byTestId('submit-result').dataset.state).toBe('sent');
    expect(byTestId('status-badge').dataset.status).toBe('Processing');
    expect(byTestId('polling')).not.toBeNull();
    await pollOutbox(2);
    expect(byTestId('status-badge').dataset.status).toBe('Succeeded');
    expect(byTestId('settled-text').textContent).toContain('accepted');
    // what the partner now holds is the new base: nothing left to submit
    await act(async () => {
      byTestId('back-to-customer').click();
    });
    expect(edited.value.business_details?.business_identifier_country_code).toBe('GB');
    await act(async () => {
      byTestId('review-button').click();
    });
    await wait(100); // renders the review (renders wait for the end of each act)
    await wait(100); // the diff's answer
    expect(byTestId('no-changes')).not.toBeNull();
  }, 10000);
});

async function fixDemoAndReview() {
  await openDemo();
  setField('business_details.website', 'https://www.thamesvalleytextiles.example.com');
  setField('business_details.business_identifier_country_code', 'GB');
  setField('business_person_list[0].identification.id_expiration_date', '2031-02-10T00:00:00Z');
  await wait(250);
  await act(async () => {
    byTestId('review-button').click();
  });
  await wait(100);
}

describe('refusals', () => {
  it('maps the partner’s field errors back onto the form and returns to the editor', async () => {
    mock.rejectWith = [
      { field: 'business_person_list[0].identification.id_number', code: 'id_mismatch', message: 'The ID number does not match the document.' },
    ];
    await fixDemoAndReview();
    await act(async () => {
      byTestId('queue-button').click();
    });
    await wait(100);
    await pollOutbox(2); // sending, then rejected
    await wait(100);
    expect(root.querySelector('[data-testid=editor-form]')).not.toBeNull();
    const idNumber = $('#fld-business_person_list-0-identification-id_number');
    expect(idNumber.getAttribute('aria-invalid')).toBe('true');
    expect($('#fld-business_person_list-0-identification-id_number-error').textContent).toContain('does not match');
    expect(byTestId('error-summary').getAttribute('role')).toBe('alert');
    // editing the field drops the partner's now-stale error
    type(idNumber as HTMLInputElement, '533401873');
    await wait(250);
    expect(root.querySelector('[data-testid=error-summary]')).toBeNull();
  });

  it('asks for the typed business name in production and shows confirmation_required beside it', async () => {
    await act(async () => {
      render(<App />, root);
    });
    const select = byTestId<HTMLSelectElement>('environment-select');
    await act(async () => {
      select.value = 'Production';
      select.dispatchEvent(new Event('change', { bubbles: true }));
    });
    await wait(50);
    expect(byTestId('env-badge').textContent).toContain('PRODUCTION');
    expect(byTestId('production-banner')).not.toBeNull();
    expect(byTestId('app').className).toContain('env-production');
    render(null, root);
    // This test is about the typed confirmation; approval has its own tests (review.ui.test.tsx).
    mock.approvalOff = true;
    await fixDemoAndReview();
    const confirm = byTestId<HTMLInputElement>('confirm-name');
    expect(byTestId('production-confirm').textContent).toContain('Thames Valley Textiles Ltd');
    confirm.value = 'Thames Valley';
    await act(async () => {
      byTestId('queue-button').click();
    });
    await wait(100);
    expect(byTestId('submit-error').dataset.kind).toBe('confirmation_required');
    expect(confirm.getAttribute('aria-invalid')).toBe('true');
    confirm.value = 'Thames Valley Textiles Ltd';
    await act(async () => {
      byTestId('queue-button').click();
    });
    await wait(100);
    expect(byTestId('entry-state').dataset.state).toBe('queued');
    await pollOutbox(2);
    expect(byTestId('status-badge').dataset.status).toBe('Processing');
    // back to the sandbox for the other tests
    await act(async () => {
      const s = byTestId<HTMLSelectElement>('environment-select');
      s.value = 'Sandbox';
      s.dispatchEvent(new Event('change', { bubbles: true }));
    });
    await wait(50);
  });
});

describe('settings', () => {
  it('clears the key and secret inputs right after saving and keeps them nowhere', async () => {
    await act(async () => {
      render(<App />, root);
    });
    await act(async () => {
      byTestId('settings-link').click();
    });
    expect(root.querySelector('[data-testid=env-credentials-Sandbox]')).toBeNull(); // built in: no credentials
    await act(async () => {
      byTestId('env-credentials-Production').click();
    });
    const key = byTestId<HTMLInputElement>('cred-api-key');
    const secret = byTestId<HTMLInputElement>('cred-api-secret');
    expect(key.type).toBe('password');
    key.value = 'live-key';
    secret.value = 'live-secret-value';
    await act(async () => {
      byTestId<HTMLFormElement>('credentials-form').dispatchEvent(new Event('submit', { bubbles: true, cancelable: true }));
    });
    // emptied as soon as they were read for the call, before its answer
    expect(key.value).toBe('');
    expect(secret.value).toBe('');
    await wait(50);
    expect(byTestId('env-has-credentials-Production').textContent).toBe('Yes');
    expect(document.body.innerHTML).not.toContain('live-secret-value');
  });

  it('shows insecure_url beside the URL field', async () => {
    await act(async () => {
      render(<App />, root);
    });
    await act(async () => {
      byTestId('settings-link').click();
    });
    await act(async () => {
      byTestId('env-add').click();
    });
    await act(async () => {
      type(byTestId<HTMLInputElement>('env-name'), 'Staging');
      type(byTestId<HTMLInputElement>('env-base-url'), 'http://staging.example.com');
    });
    await act(async () => {
      byTestId<HTMLFormElement>('environment-form').dispatchEvent(new Event('submit', { bubbles: true, cancelable: true }));
    });
    await wait(50);
    const err = byTestId('env-base-url-error');
    expect(err.dataset.kind).toBe('insecure_url');
    expect(byTestId('env-base-url').getAttribute('aria-describedby')).toContain('env-base-url-error');
  });
});
