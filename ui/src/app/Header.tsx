import { useState } from 'preact/hooks';
import { selectEnvironment, toCommandError, type CommandError } from '../ipc';
import { activeEnvironment, closeCustomer, customer, go, isDirty, screen, session, setSession } from '../state/store';
import { EnvBadge } from './EnvBadge';
import { ErrorBox } from './ErrorBox';

/** App name, environment switcher and badge, Settings; a red banner in production. */
export function Header() {
  const s = session.value;
  const env = activeEnvironment.value;
  const [pending, setPending] = useState<string | null>(null);
  const [error, setError] = useState<CommandError | null>(null);

  const doSwitch = async (name: string) => {
    setPending(null);
    setError(null);
    try {
      const next = await selectEnvironment(name);
      setSession(next);
      // A customer belongs to the environment it was opened in.
      if (customer.value) closeCustomer();
      if (screen.value === 'editor' || screen.value === 'review') go('open');
    } catch (e) {
      setError(toCommandError(e));
    }
  };

  const onChange = (name: string) => {
    if (!s || name === s.active) return;
    if (customer.value && isDirty.value) setPending(name);
    else void doSwitch(name);
  };

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
            value={s?.active ?? ''}
            disabled={!s}
            onChange={(e) => onChange(e.currentTarget.value)}
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
        <nav class="app-header__nav" aria-label="Main">
          <button
            type="button"
            class={`btn btn--quiet${screen.value === 'settings' ? ' btn--current' : ''}`}
            data-testid="settings-link"
            aria-current={screen.value === 'settings' ? 'page' : undefined}
            onClick={() => go('settings')}
          >
            Settings
          </button>
        </nav>
      </div>
      {env?.is_production && (
        <div class="prod-banner" data-testid="production-banner" role="note">
          <strong>PRODUCTION</strong> — {env.name}: changes you submit go to real customers at {env.base_url}
        </div>
      )}
      {pending && (
        <div class="notice notice--warn app-header__confirm" role="alertdialog" aria-labelledby="switch-confirm-text" data-testid="switch-confirm">
          <p id="switch-confirm-text">
            Switching to <strong>{pending}</strong> closes {customer.value?.customer_id} and discards your unsubmitted changes.
          </p>
          <div class="button-row">
            <button type="button" class="btn btn--danger" data-testid="switch-confirm-yes" onClick={() => void doSwitch(pending)}>
              Discard changes and switch
            </button>
            <button type="button" class="btn" data-testid="switch-confirm-no" onClick={() => setPending(null)}>
              Stay on {s?.active}
            </button>
          </div>
        </div>
      )}
      {error && <ErrorBox error={error} testid="switch-error" />}
    </header>
  );
}
