import { useEffect, useState } from 'preact/hooks';
import { teamStatus } from '../../state/team';
import { startTeamDraft } from '../../state/teamDrafts';
import { ErrorBox } from '../../widgets/ErrorBox';
import { useAction } from '../../widgets/useAction';

/** "Start a team draft": a team environment (Rust's list), a customer id, Start → the editor. */
export function StartTeamDraft() {
  const environments = teamStatus.value?.environments ?? [];
  const [environment, setEnvironment] = useState(environments[0]?.name ?? '');
  const [customerId, setCustomerId] = useState('');
  const start = useAction((env: string, id: string) => startTeamDraft(env, id.trim()), {
    onError: (err) => {
      if (err.field === 'customer_id') document.getElementById('team-start-customer')?.focus();
      else if (err.field === 'environment') document.getElementById('team-start-env')?.focus();
    },
  });
  useEffect(() => {
    if (!environments.some((e) => e.name === environment)) setEnvironment(environments[0]?.name ?? '');
  }, [environments.map((e) => e.name).join('\u0000')]);

  const customerError = start.error?.field === 'customer_id' ? start.error : null;
  const envError = start.error?.field === 'environment' ? start.error : null;
  const otherError = start.error && !customerError && !envError ? start.error : null;

  return (
    <form
      class="panel team-start"
      aria-labelledby="team-start-title"
      data-testid="team-start-form"
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        if (!start.busy) void start.run(environment, customerId);
      }}
    >
      <h2 class="h2" id="team-start-title">
        Start a team draft
      </h2>
      {environments.length === 0 ? (
        <p class="empty-note">The team server has listed no environments yet.</p>
      ) : (
        <div class="grid">
          <div class={`field${envError ? ' field--invalid' : ''}`}>
            <label class="field__label" for="team-start-env">
              Team environment
            </label>
            <select
              id="team-start-env"
              data-testid="team-start-env"
              class="input input--select"
              value={environment}
              aria-invalid={envError ? 'true' : undefined}
              aria-describedby={envError ? 'team-start-env-error' : undefined}
              onChange={(e) => setEnvironment(e.currentTarget.value)}
            >
              {environments.map((e) => (
                <option key={e.name} value={e.name}>
                  {e.name}
                  {e.is_production ? ' (production)' : ''}
                  {e.requires_approval ? ' — four-eyes' : ''}
                </option>
              ))}
            </select>
            {envError && (
              <p class="field__errors" id="team-start-env-error" role="alert">
                Team environment: {envError.message}
              </p>
            )}
          </div>
          <div class={`field${customerError ? ' field--invalid' : ''}`}>
            <label class="field__label" for="team-start-customer">
              Customer ID
            </label>
            <input
              id="team-start-customer"
              data-testid="team-start-customer"
              class="input input--mono"
              type="text"
              autoComplete="off"
              spellcheck={false}
              value={customerId}
              aria-invalid={customerError ? 'true' : undefined}
              aria-describedby={customerError ? 'team-start-customer-error' : undefined}
              onInput={(e) => {
                setCustomerId(e.currentTarget.value);
                if (customerError) start.clearError();
              }}
            />
            {customerError && (
              <p class="field__errors" id="team-start-customer-error" role="alert" data-testid="team-start-customer-error">
                Customer ID: {customerError.message}
              </p>
            )}
          </div>
        </div>
      )}
      {otherError && <ErrorBox error={otherError} testid="team-start-error" />}
      <div class="button-row">
        <button type="submit" class="btn btn--primary" data-testid="team-start" disabled={start.busy || environments.length === 0}>
          {start.busy ? 'Starting…' : 'Start'}
        </button>
      </div>
    </form>
  );
}
