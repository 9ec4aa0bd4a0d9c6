import { useState } from 'preact/hooks';
import { teamConnect, teamDisconnect, teamSignIn, teamSignOut } from '../../ipc';
import { refreshTeamStatus, setTeamStatus, teamConnected, teamStatus, teamStatusError } from '../../state/team';
import type { TeamStatus } from '../../bindings/TeamStatus';
import { ErrorBox } from '../../widgets/ErrorBox';
import { useAction } from '../../widgets/useAction';
import { TeamStatusRegion } from '../team/TeamStatusRegion';

/**
 * Settings → Team: connect this desktop to a team server (the URL), sign in through the system
 * browser, sign out, disconnect (local drafts stay). What team mode is, in one line, and what
 * waits on this desktop (the server's problem, unpushed edits, merges) in a polite status region.
 */
export function TeamSettings() {
  const status = teamStatus.value;
  const connected = teamConnected.value;
  return (
    <section class="panel" aria-labelledby="team-settings-title" data-testid="team-settings" data-connected={connected ? 'true' : 'false'}>
      <h2 class="h2" id="team-settings-title">
        Team
      </h2>
      <p class="section__intro">
        In team mode a team server holds the partner credentials, knows who people are and enforces four-eyes (someone else approves
        each change); drafts sync between the team&rsquo;s desktops.
      </p>
      {status === null ? (
        teamStatusError.value ? (
          <ErrorBox error={teamStatusError.value} testid="team-status-error" onRetry={() => void refreshTeamStatus()} />
        ) : (
          <p class="loading">Checking team mode…</p>
        )
      ) : connected ? (
        <Connected status={status} />
      ) : (
        <ConnectForm />
      )}
    </section>
  );
}

function ConnectForm() {
  const [url, setUrl] = useState('https://');
  const connect = useAction(async (serverUrl: string) => setTeamStatus(await teamConnect(serverUrl.trim())), {
    onError: (err) => {
      if (err.field === 'server_url') document.getElementById('team-url')?.focus();
    },
  });
  const fieldError = connect.error?.field === 'server_url' ? connect.error : null;
  const otherError = connect.error && !fieldError ? connect.error : null;
  return (
    <form
      data-testid="team-connect-form"
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        if (!connect.busy) void connect.run(url);
      }}
    >
      <p>This desktop works solo.</p>
      <div class={`field field--wide${fieldError ? ' field--invalid' : ''}`}>
        <label class="field__label" for="team-url">
          Team server URL
        </label>
        <input
          id="team-url"
          data-testid="team-url"
          class="input input--mono"
          type="url"
          autoComplete="off"
          spellcheck={false}
          value={url}
          aria-invalid={fieldError ? 'true' : undefined}
          aria-describedby={`team-url-hint${fieldError ? ' team-url-error' : ''}`}
          onInput={(e) => {
            setUrl(e.currentTarget.value);
            if (fieldError) connect.clearError();
          }}
        />
        <p class="field__hint" id="team-url-hint">
          https:// (plain http only to this machine)
        </p>
        {fieldError && (
          <p class="field__errors" id="team-url-error" role="alert" data-testid="team-url-error" data-kind={fieldError.kind}>
            Team server URL: {fieldError.message}
          </p>
        )}
      </div>
      {otherError && <ErrorBox error={otherError} testid="team-connect-error" />}
      <div class="button-row">
        <button type="submit" class="btn btn--primary" data-testid="team-connect" disabled={connect.busy}>
          {connect.busy ? 'Connecting…' : 'Connect'}
        </button>
      </div>
    </form>
  );
}

function Connected({ status }: { status: TeamStatus }) {
  const [confirmDisconnect, setConfirmDisconnect] = useState(false);
  const signIn = useAction(async () => setTeamStatus(await teamSignIn()));
  const action = useAction(async (fn: () => Promise<TeamStatus>) => setTeamStatus(await fn()));
  const person = status.signed_in;
  const error = signIn.error ?? action.error;
  return (
    <div data-testid="team-connected">
      <dl class="meta">
        <div>
          <dt>Team server</dt>
          <dd>
            <code data-testid="team-server-url">{status.server_url}</code>
          </dd>
        </div>
        {status.issuer && (
          <div>
            <dt>Sign-in provider</dt>
            <dd>
              <code data-testid="team-issuer">{status.issuer}</code>
            </dd>
          </div>
        )}
        {status.environments.length > 0 && (
          <div>
            <dt>Team environments</dt>
            <dd data-testid="team-environments">{status.environments.map((e) => e.name).join(', ')}</dd>
          </div>
        )}
      </dl>

      {person ? (
        <p data-testid="team-signed-in">
          Signed in as <strong>{person.name}</strong>
          {person.roles.length > 0 ? ` (${person.roles.join(', ')})` : ' (no role)'}
        </p>
      ) : signIn.busy ? (
        <p class="notice notice--info" data-testid="team-signing-in">
          <progress class="inline-progress" aria-label="Waiting for the sign-in" /> Finish signing in in your browser…
        </p>
      ) : (
        <p data-testid="team-signed-out">Not signed in.</p>
      )}

      <TeamStatusRegion status={status} />
      {error && <ErrorBox error={error} testid="team-error" />}

      <div class="button-row">
        {!person && (
          <button type="button" class="btn btn--primary" data-testid="team-sign-in" disabled={signIn.busy} onClick={() => void signIn.run()}>
            {signIn.busy ? 'Waiting for the browser…' : 'Sign in'}
          </button>
        )}
        {person && (
          <button type="button" class="btn" data-testid="team-sign-out" disabled={action.busy} onClick={() => void action.run(teamSignOut)}>
            Sign out
          </button>
        )}
        {confirmDisconnect ? (
          <span class="inline-confirm" role="group" aria-labelledby="team-disconnect-question">
            <span id="team-disconnect-question">Back to solo mode? Drafts on this desktop stay.</span>{' '}
            <button
              type="button"
              class="btn btn--small btn--danger"
              data-testid="team-disconnect-confirm"
              disabled={action.busy}
              onClick={() => void action.run(teamDisconnect).then(() => setConfirmDisconnect(false))}
            >
              Disconnect
            </button>
            <button type="button" class="btn btn--small" data-testid="team-disconnect-keep" onClick={() => setConfirmDisconnect(false)}>
              Stay connected
            </button>
          </span>
        ) : (
          <button type="button" class="btn btn--danger-quiet" data-testid="team-disconnect" onClick={() => setConfirmDisconnect(true)}>
            Disconnect
          </button>
        )}
      </div>
    </div>
  );
}
