import type { ComponentChildren } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { selectEnvironment, toCommandError, type CommandError } from '../ipc';
import { closeEditor, flushDraft } from '../state/drafts';
import { unsentCount } from '../state/outbox';
import { activeProfile, openProfileChooser, profiles } from '../state/profiles';
import { edited } from '../state/editor';
import { go, isNewCustomer, openTarget, screen, type ScreenName } from '../state/navigation';
import { activeEnvironment, session, setSession } from '../state/session';
import { teamConnected, teamStatus } from '../state/team';
import { EnvBadge } from '../widgets/EnvBadge';
import { ErrorBox } from '../widgets/ErrorBox';
import { OnlinePill } from '../widgets/OnlinePill';
import { keepFocusInView } from '../widgets/focus';

/**
 * App name, environment switcher and badge, online pill, and the main navigation (open a
 * customer, the draft being edited, Team when connected to a team server, Drafts, Outbox with its
 * count of unsent entries, Settings);
 * a red banner in production. One row of fixed height (styles: `.app-header__row`): long names
 * are cut with their full text as title, the online status sits in a slot of fixed width.
 * Being sticky, it also keeps keyboard focus from landing under it or below the window.
 */
export function Header() {
  const s = session.value;
  const env = activeEnvironment.value;
  const [error, setError] = useState<CommandError | null>(null);
  useEffect(() => keepFocusInView(), []);

  const onChange = async (name: string) => {
    if (!s || name === s.active) return;
    setError(null);
    try {
      // A draft belongs to the environment it was opened in: store it and close it (nothing is lost).
      if (openTarget.value) await closeEditor();
      const next = await selectEnvironment(name);
      setSession(next);
      if (screen.value === 'editor' || screen.value === 'review' || screen.value === 'submission' || screen.value === 'conflict') go('open');
    } catch (e) {
      setError(toCommandError(e));
    }
  };

  const nav = (to: ScreenName) => {
    void flushDraft();
    go(to);
  };

  const current = screen.value;
  const unsent = unsentCount.value;
  // Team drafts whose edits are not on the team server yet, or that wait for a merge.
  const teamWaiting = (teamStatus.value?.unpushed ?? 0) + (teamStatus.value?.conflicts ?? 0);
  const t = openTarget.value;
  const editing = t
    ? edited.value.business_details?.business_name_english?.trim() || (isNewCustomer.value ? 'New customer' : t.kind === 'update' ? t.customer_id : '')
    : null;
  const item = (to: ScreenName, label: string, testid: string, extra?: ComponentChildren, isCurrent = current === to) => (
    <button
      type="button"
      class={`btn btn--quiet${isCurrent ? ' btn--current' : ''}`}
      data-testid={testid}
      aria-current={isCurrent ? 'page' : undefined}
      onClick={() => nav(to)}
    >
      {label}
      {extra}
    </button>
  );

  return (
    <header class="app-header" data-testid="app-header">
      <div class="app-header__row">
        <span class="app-header__name">KYB Desk</span>
        <div class="app-header__env">
          <label for="environment-select" class="app-header__env-label">
            Environment
          </label>
          <select
            id="environment-select"
            data-testid="environment-select"
            class="input input--select"
            title={env ? `${env.name}${env.is_production ? ' (production)' : ''}` : undefined}
            value={s?.active ?? ''}
            disabled={!s}
            onChange={(e) => void onChange(e.currentTarget.value)}
          >
            {s?.environments.map((e) => (
              <option key={e.name} value={e.name}>
                {e.name}
                {e.is_production ? ' (production)' : ''}
              </option>
            ))}
          </select>
          <EnvBadge env={env} />
        </div>
        <div class="app-header__status">
          <OnlinePill />
        </div>
        <nav class="app-header__nav" aria-label="Main">
          {item('open', 'Open customer', 'open-nav')}
          {editing !== null && (
            <button
              type="button"
              class={`btn btn--quiet app-header__editing${['editor', 'review', 'submission', 'conflict'].includes(current) ? ' btn--current' : ''}`}
              data-testid="editor-nav"
              aria-current={current === 'editor' ? 'page' : undefined}
              title={`Back to ${editing}`}
              onClick={() => go('editor')}
            >
              <span class="visually-hidden">Editing: </span>
              {editing}
            </button>
          )}
          {teamConnected.value &&
            item(
              'team',
              'Team',
              'nav-team',
              teamWaiting > 0 ? (
                <>
                  <span class="count-badge count-badge--info" aria-hidden="true">
                    {teamWaiting}
                  </span>
                  <span class="visually-hidden"> ({teamWaiting} waiting on this desktop)</span>
                </>
              ) : null,
            )}
          {item('drafts', 'Drafts', 'drafts-nav')}
          {item('needs-review', 'Needs review', 'needs-review-nav')}
          {item(
            'outbox',
            'Outbox',
            'outbox-nav',
            unsent > 0 ? (
              <>
                <span class="count-badge count-badge--info" data-testid="outbox-count" aria-hidden="true">
                  {unsent}
                </span>
                <span class="visually-hidden"> ({unsent} unsent)</span>
              </>
            ) : null,
          )}
          {item('audit', 'Audit', 'audit-nav')}
          {item('settings', 'Settings', 'settings-link')}
        </nav>
        {profiles.value && (
          <div class="profile-pill" data-testid="profile-box">
            {activeProfile.value ? (
              <span class="profile-pill__name" title={`Working as ${activeProfile.value}: your actions are recorded under this profile`}>
                <span class="visually-hidden">Working as </span>
                <span aria-hidden="true" class="profile-pill__icon">
                  ●{' '}
                </span>
                <span data-testid="profile-pill">{activeProfile.value}</span>
              </span>
            ) : (
              <span class="profile-pill__name profile-pill__name--none">No profile chosen</span>
            )}
            <button
              type="button"
              class="btn btn--quiet btn--small"
              data-testid="switch-profile"
              aria-label={activeProfile.value ? `Switch profile (now ${activeProfile.value})` : 'Choose a profile'}
              onClick={() => {
                void flushDraft();
                openProfileChooser('switch');
              }}
            >
              {activeProfile.value ? 'Switch' : 'Choose'}
            </button>
          </div>
        )}
      </div>
      {env?.is_production && (
        <div class="prod-banner" data-testid="production-banner" role="note" title={`PRODUCTION — ${env.name}: changes you submit go to real customers at ${env.base_url}`}>
          <strong>PRODUCTION</strong> — {env.name}: changes you submit go to real customers at {env.base_url}
        </div>
      )}
      {error && <ErrorBox error={error} testid="switch-error" />}
    </header>
  );
}
