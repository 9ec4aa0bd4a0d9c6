import { useEffect, useRef, useState } from 'preact/hooks';
import { ErrorBox } from '../widgets/ErrorBox';
import { useAction } from '../widgets/useAction';
import { openCustomer, getSession, searchCustomers, toCommandError, type CommandError } from '../ipc';
import { openDraftById, openLoadedCustomer, startNewCustomer, workspaceError } from '../state/drafts';
import { rememberMissingParts } from '../state/missingParts';
import { online } from '../state/outbox';
import { go } from '../state/navigation';
import { activeEnvironment, session, setSession } from '../state/session';
import type { CustomerLookup, LookupBy, RecentCustomer } from '../types';
import type { CustomerMatch } from '../bindings/CustomerMatch';
import type { CustomerSearch } from '../bindings/CustomerSearch';
import type { DemoCustomer } from '../bindings/DemoCustomer';
import type { MatchSource } from '../bindings/MatchSource';
import '../styles/search.css';

const BY_LABEL: Record<LookupBy, string> = {
  customer_id: 'Customer ID',
  partner_customer_id: 'Partner customer ID',
};

const SOURCE_LABEL: Record<MatchSource, string> = {
  recent: 'opened recently',
  draft: 'draft',
  outbox: 'outbox',
  sandbox_demo: 'Sandbox demo',
};

/** How long typing pauses before the search runs. */
export const SEARCH_DELAY_MS = 150;

const INPUT_ID = 'open-customer-input';
const LIST_ID = 'customer-results';
const optionId = (i: number) => `customer-result-${i}`;

/**
 * Find a customer: a search box over what this desktop knows (`search_customers`: recent
 * customers, drafts, the outbox and the built-in Sandbox's demo customers, ranked by Rust) with
 * its results as a listbox (ArrowUp/Down move, Enter opens, Escape clears), or an exact id looked
 * up at the partner ("Open at the partner"; the partner has no search).
 */
export function OpenCustomer() {
  const [by, setBy] = useState<LookupBy>('customer_id');
  const [value, setValue] = useState('');
  const [answer, setAnswer] = useState<CustomerSearch | null>(null);
  const [demo, setDemo] = useState<DemoCustomer[]>([]);
  const [searchError, setSearchError] = useState<CommandError | null>(null);
  const [active, setActive] = useState(-1);
  const asked = useRef(0);
  const env = activeEnvironment.value;
  const load = useAction(async (lookup: CustomerLookup) => {
    const loaded = await openCustomer({ by: lookup.by, value: lookup.value.trim() });
    rememberMissingParts(loaded);
    await openLoadedCustomer(loaded);
    go('editor');
    // The command records the customer in `recent`; refresh the list quietly.
    getSession().then(setSession, () => undefined);
  });
  const openMatch = useAction(async (m: CustomerMatch) => {
    if (m.customer_id) {
      await load.run({ by: 'customer_id', value: m.customer_id });
    } else if (m.draft_id) {
      // A new customer not created at the partner yet: only its draft can open it.
      await openDraftById(m.draft_id);
      go('editor');
    }
  });
  const busy = load.busy || openMatch.busy;
  const error = load.error ?? openMatch.error;

  // Typing starts here: when the screen shows and nothing else holds focus yet (the page, the
  // main region or a heading), the search box takes it. The shell's focus on arrival can run
  // before this screen's input exists (a start that resumes the last profile).
  useEffect(() => {
    const holder = document.activeElement;
    const unclaimed = holder === null || holder === document.body || holder.id === 'main' || holder.tagName === 'H1';
    if (unclaimed) document.getElementById(INPUT_ID)?.focus();
  }, []);

  // The built-in Sandbox's demo customers (and the words of a miss) come with any answer; an
  // empty query asks for them when the screen opens or the environment changes.
  useEffect(() => {
    searchCustomers('').then(
      (a) => setDemo(a.demo_customers),
      () => setDemo([]),
    );
  }, [session.value?.active]);

  const query = value.trim();
  useEffect(() => {
    const n = ++asked.current;
    if (query === '') {
      setAnswer(null);
      setSearchError(null);
      setActive(-1);
      return;
    }
    const timer = setTimeout(() => {
      searchCustomers(query).then(
        (a) => {
          if (n !== asked.current) return; // a later query is under way
          setAnswer(a);
          setSearchError(null);
          setActive(-1);
        },
        (e: unknown) => {
          if (n === asked.current) setSearchError(toCommandError(e));
        },
      );
    }, SEARCH_DELAY_MS);
    return () => clearTimeout(timer);
  }, [query, session.value?.active]);

  const shown = answer && answer.query === query ? answer : null;
  const matches = shown?.matches ?? [];
  const expanded = matches.length > 0;

  const partnerLookup = async (lookup: CustomerLookup) => {
    if (lookup.value.trim() === '') {
      document.getElementById(INPUT_ID)?.focus();
      return;
    }
    await load.run(lookup);
  };

  const onKeyDown = (e: KeyboardEvent) => {
    if (e.key === 'ArrowDown' && matches.length > 0) {
      e.preventDefault();
      setActive((i) => Math.min(i + 1, matches.length - 1));
    } else if (e.key === 'ArrowUp' && matches.length > 0) {
      e.preventDefault();
      setActive((i) => Math.max(i - 1, 0));
    } else if (e.key === 'Enter' && active >= 0 && matches[active]) {
      // The highlighted result opens; with none highlighted, Enter submits the partner lookup.
      e.preventDefault();
      if (!busy) void openMatch.run(matches[active]);
    } else if (e.key === 'Escape' && value !== '') {
      e.preventDefault();
      setValue('');
      load.clearError();
    }
  };

  useEffect(() => {
    if (active >= 0) document.getElementById(optionId(active))?.scrollIntoView?.({ block: 'nearest' });
  }, [active]);

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
          void partnerLookup({ by, value });
        }}
        aria-busy={busy ? 'true' : undefined}
      >
        <div class="open-form__row">
          <div class="field field--grow customer-search">
            <label class="field__label" for={INPUT_ID}>
              Name, customer ID or partner customer ID
            </label>
            <input
              id={INPUT_ID}
              data-testid="open-customer-input"
              data-autofocus
              class="input"
              type="text"
              role="combobox"
              aria-autocomplete="list"
              aria-expanded={expanded ? 'true' : 'false'}
              aria-controls={LIST_ID}
              aria-activedescendant={active >= 0 && expanded ? optionId(active) : undefined}
              aria-describedby={['open-search-hint', error ? 'open-error' : ''].filter(Boolean).join(' ')}
              autoComplete="off"
              spellcheck={false}
              placeholder="e.g. Nordlicht, cus_demo_0001 or P-1001"
              value={value}
              onInput={(e) => setValue(e.currentTarget.value)}
              onKeyDown={onKeyDown}
            />
            <p id="open-search-hint" class="field__hint">
              Searches this desktop as you type. ↑ ↓ choose a result, Enter opens it, Escape clears.
            </p>
            <ul id={LIST_ID} role="listbox" aria-label="Customers found" class="search-results" data-testid="search-results" hidden={!expanded}>
              {matches.map((m, i) => (
                <li
                  key={`${m.customer_id ?? ''}/${m.draft_id ?? ''}`}
                  id={optionId(i)}
                  role="option"
                  aria-selected={i === active ? 'true' : 'false'}
                  class={`search-result${i === active ? ' search-result--active' : ''}`}
                  data-testid="search-result"
                  data-customer-id={m.customer_id ?? ''}
                  // Mouse: pick without moving focus from the box.
                  onMouseDown={(e) => e.preventDefault()}
                  onClick={() => {
                    setActive(i);
                    if (!busy) void openMatch.run(m);
                  }}
                >
                  <span class="search-result__name">{m.business_name || m.customer_id || m.partner_customer_id || 'New customer'}</span>
                  <span class="search-result__ids">
                    {m.customer_id && <code>{m.customer_id}</code>}
                    {m.partner_customer_id && <code>{m.partner_customer_id}</code>}
                  </span>
                  <span class="search-result__where" data-testid="search-result-sources">
                    Found in: {m.sources.map((s) => SOURCE_LABEL[s]).join(', ')}
                  </span>
                  {m.demo_purpose && <span class="search-result__purpose">{m.demo_purpose}</span>}
                </li>
              ))}
            </ul>
          </div>
        </div>
        <p role="status" class="search-count" data-testid="search-count">
          {shown && matches.length > 0 && `${matches.length} ${matches.length === 1 ? 'customer' : 'customers'} found.`}
        </p>
        {shown && matches.length === 0 && (
          <div class="notice" data-testid="search-none">
            <p>
              Nothing on this desktop matches “{shown.query}”. Searched: {shown.searched}.
            </p>
            <p>{shown.hint}</p>
          </div>
        )}
        {searchError && <ErrorBox error={searchError} testid="search-error" alert={false} />}
        <fieldset class="radio-row">
          <legend class="field__label">Not on this desktop? Look it up at the partner by exact</legend>
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
          <button type="submit" class="btn btn--primary" data-testid="open-customer-button" disabled={busy}>
            {load.busy ? 'Opening…' : 'Open at the partner'}
          </button>
        </fieldset>
        <div id="open-error">
          {error && (
            <ErrorBox
              error={error}
              env={env?.name}
              testid="open-error"
              onRetry={() => void partnerLookup({ by, value })}
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
                onClick={() => void partnerLookup({ by: 'customer_id', value: r.customer_id })}
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

      {demo.length > 0 && (
        <>
          <h2 class="h2">Demo customers of the built-in Sandbox</h2>
          <ul class="recent" data-testid="demo-list">
            {demo.map((d) => (
              <li key={d.customer_id}>
                <button
                  type="button"
                  class="recent__item demo-customer"
                  data-testid={`demo-${d.customer_id}`}
                  disabled={busy}
                  onClick={() => void partnerLookup({ by: 'customer_id', value: d.customer_id })}
                >
                  <span class="recent__name">{d.business_name || d.customer_id}</span>
                  <span class="recent__ids">
                    <code>{d.customer_id}</code>
                    {d.partner_customer_id && <code>{d.partner_customer_id}</code>}
                  </span>
                  <span class="demo-customer__purpose">{d.purpose}</span>
                </button>
              </li>
            ))}
          </ul>
        </>
      )}
    </section>
  );
}
