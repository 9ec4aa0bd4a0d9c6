import { useState } from 'preact/hooks';
import { ErrorBox } from '../widgets/ErrorBox';
import { useAction } from '../widgets/useAction';
import { openCustomer, getSession } from '../ipc';
import { openLoadedCustomer, startNewCustomer, workspaceError } from '../state/drafts';
import { rememberMissingParts } from '../state/missingParts';
import { online } from '../state/outbox';
import { go } from '../state/navigation';
import { activeEnvironment, session, setSession } from '../state/session';
import type { CustomerLookup, LookupBy, RecentCustomer } from '../types';

const BY_LABEL: Record<LookupBy, string> = {
  customer_id: 'Customer ID',
  partner_customer_id: 'Partner customer ID',
};

/** Open a customer by its id or the partner's id; recent customers below. */
export function OpenCustomer() {
  const [by, setBy] = useState<LookupBy>('customer_id');
  const [value, setValue] = useState('');
  const env = activeEnvironment.value;
  const load = useAction(async (lookup: CustomerLookup) => {
    const loaded = await openCustomer({ by: lookup.by, value: lookup.value.trim() });
    rememberMissingParts(loaded);
    await openLoadedCustomer(loaded);
    go('editor');
    // The command records the customer in `recent`; refresh the list quietly.
    getSession().then(setSession, () => undefined);
  });
  const { busy, error } = load;

  const open = async (lookup: CustomerLookup) => {
    if (lookup.value.trim() === '') {
      document.getElementById('open-customer-input')?.focus();
      return;
    }
    await load.run(lookup);
  };

  // Customers opened in another environment would not be found here.
  const recent = (session.value?.recent ?? []).filter((r) => !r.environment || r.environment === session.value?.active);

  return (
    <section class="screen screen--narrow" aria-labelledby="open-title">
      <div class="screen-head">
        <h1 id="open-title" tabIndex={-1}>
          Open a customer
        </h1>
        <button
          type="button"
          class="btn"
          data-testid="new-customer"
          onClick={() => {
            void startNewCustomer().then(() => go('editor'));
          }}
        >
          New customer
        </button>
      </div>
      {workspaceError.value?.kind === 'keychain_unavailable' ? (
        <p class="notice notice--warn" data-testid="workspace-error" data-kind="keychain_unavailable">
          <span aria-hidden="true">⚠ </span>
          Drafts cannot be kept: no OS keychain. Your edits stay in the window only, and nothing can be queued for sending.
        </p>
      ) : (
        workspaceError.value && <ErrorBox error={workspaceError.value} testid="workspace-error" alert={false} />
      )}
      {online.value === false && (
        <p class="notice" data-testid="open-offline">
          <span aria-hidden="true">○ </span>
          {env?.name ?? 'The partner'} cannot be reached, so customers cannot be fetched now. Your{' '}
          <button type="button" class="link-button" data-testid="open-offline-drafts" onClick={() => go('drafts')}>
            drafts
          </button>{' '}
          and new customers work offline; submissions are queued.
        </p>
      )}
      <form
        class="open-form"
        data-testid="open-customer-form"
        onSubmit={(e) => {
          e.preventDefault();
          void open({ by, value });
        }}
        aria-busy={busy ? 'true' : undefined}
      >
        <fieldset class="radio-row">
          <legend class="field__label">Look up by</legend>
          {(Object.keys(BY_LABEL) as LookupBy[]).map((k) => (
            <label key={k} class="radio">
              <input
                type="radio"
                name="lookup-by"
                value={k}
                checked={by === k}
                data-testid={`open-by-${k}`}
                onChange={() => setBy(k)}
              />{' '}
              {BY_LABEL[k]}
            </label>
          ))}
        </fieldset>
        <div class="open-form__row">
          <div class="field field--grow">
            <label class="field__label" for="open-customer-input">
              {BY_LABEL[by]}
            </label>
            <input
              id="open-customer-input"
              data-testid="open-customer-input"
              class="input input--mono"
              type="text"
              autoComplete="off"
              spellcheck={false}
              placeholder={by === 'customer_id' ? 'e.g. cus_demo_0001' : 'e.g. P-1001'}
              value={value}
              aria-describedby={error ? 'open-error' : undefined}
              onInput={(e) => setValue(e.currentTarget.value)}
            />
          </div>
          <button type="submit" class="btn btn--primary" data-testid="open-customer-button" disabled={busy}>
            {busy ? 'Opening…' : 'Open'}
          </button>
        </div>
        <div id="open-error">
          {error && (
            <ErrorBox
              error={error}
              env={env?.name}
              testid="open-error"
              onRetry={() => void open({ by, value })}
            />
          )}
        </div>
      </form>

      <h2 class="h2">Recent customers</h2>
      {recent.length === 0 ? (
        <p class="empty-note">None yet in this session.</p>
      ) : (
        <ul class="recent" data-testid="recent-list">
          {recent.map((r: RecentCustomer) => (
            <li key={r.customer_id}>
              <button
                type="button"
                class="recent__item"
                data-testid={`recent-${r.customer_id}`}
                disabled={busy}
                onClick={() => void open({ by: 'customer_id', value: r.customer_id })}
              >
                <span class="recent__name">{r.business_name_english || r.customer_id}</span>
                <span class="recent__ids">
                  <code>{r.customer_id}</code>
                  {r.partner_customer_id && <code>{r.partner_customer_id}</code>}
                  {r.environment && <span class="recent__env">{r.environment}</span>}
                </span>
              </button>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
