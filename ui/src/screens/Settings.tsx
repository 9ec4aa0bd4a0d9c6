import { useRef, useState } from 'preact/hooks';
import { ColourSwatch, safeColour } from '../widgets/EnvBadge';
import { ErrorBox } from '../widgets/ErrorBox';
import { useAction } from '../widgets/useAction';
import {
  clearCredentials,
  deleteEnvironment,
  saveEnvironment,
  setCredentials,
  toCommandError,
  type CommandError,
} from '../ipc';
import { go, screenBeforeSettings } from '../state/navigation';
import { session, setSession } from '../state/session';
import type { EnvironmentInput, EnvironmentView } from '../types';
import { ConnectionCheck } from './settings/ConnectionCheck';
import { PartnerProfileControls, slug } from './settings/PartnerProfileControls';
import { TeamSettings } from './settings/TeamSettings';

const DEFAULT_COLOUR = '#2563eb';
/** A production environment's default colour: a strong red, never the staging blue. */
const PRODUCTION_COLOUR = '#c81e1e';

type Draft = EnvironmentInput & { isNew: boolean };

const URL_KINDS = new Set(['insecure_url', 'invalid_url']);

/** Environments: list, add/edit, credentials (write-only), delete. */
export function Settings() {
  const s = session.value;
  const [draft, setDraft] = useState<Draft | null>(null);
  const [formError, setFormError] = useState<CommandError | null>(null);
  const [credFor, setCredFor] = useState<string | null>(null);
  const [confirmDelete, setConfirmDelete] = useState<string | null>(null);
  const [rowError, setRowError] = useState<CommandError | null>(null);
  const [notice, setNotice] = useState('');
  // "Requires approval" follows "Production" (the Rust default) until the user sets it.
  const [approvalTouched, setApprovalTouched] = useState(false);

  if (!s) return null;

  const startEdit = (e: EnvironmentView | null) => {
    setApprovalTouched(e !== null);
    setFormError(null);
    setNotice('');
    setCredFor(null);
    setDraft(
      e
        ? { name: e.name, base_url: e.base_url, colour: safeColour(e.colour) ?? DEFAULT_COLOUR, is_production: e.is_production, requires_approval: e.requires_approval, isNew: false }
        : { name: '', base_url: 'https://', colour: DEFAULT_COLOUR, is_production: false, requires_approval: false, isNew: true },
    );
    requestAnimationFrame(() => document.getElementById(e ? 'env-base-url' : 'env-name')?.focus());
  };

  const save = async () => {
    if (!draft) return;
    setFormError(null);
    try {
      const { isNew: _isNew, ...input } = draft;
      const next = await saveEnvironment({ ...input, name: input.name.trim(), base_url: input.base_url.trim() });
      setSession(next);
      setNotice(`Saved ${input.name.trim()}.`);
      setDraft(null);
    } catch (e) {
      setFormError(toCommandError(e));
    }
  };

  const remove = async (name: string) => {
    setRowError(null);
    try {
      setSession(await deleteEnvironment(name));
      setNotice(`Deleted ${name}.`);
    } catch (e) {
      setRowError(toCommandError(e));
    } finally {
      setConfirmDelete(null);
    }
  };

  const clearCreds = async (name: string) => {
    setRowError(null);
    try {
      setSession(await clearCredentials(name));
      setNotice(`Cleared the credentials of ${name}.`);
    } catch (e) {
      setRowError(toCommandError(e));
    }
  };

  const urlError =
    formError && (URL_KINDS.has(formError.kind) || (formError.kind === 'invalid_input' && formError.field === 'base_url')) ? formError : null;
  const colourError = formError && formError.kind === 'invalid_input' && formError.field === 'colour' ? formError : null;
  const nameError = formError && formError.kind === 'invalid_input' && formError.field === 'name' ? formError : null;
  const otherError = formError && !urlError && !nameError && !colourError ? formError : null;

  return (
    <section class="screen" aria-labelledby="settings-title">
      <div class="screen-head">
        <h1 id="settings-title" tabIndex={-1}>
          Settings
        </h1>
        <button type="button" class="btn" data-testid="settings-back" onClick={() => go(screenBeforeSettings.value)}>
          ← Back
        </button>
      </div>

      <TeamSettings />

      <h2 class="h2">Environments</h2>
      <p class="visually-hidden" aria-live="polite" data-testid="settings-notice">
        {notice}
      </p>
      {notice && (
        <p class="notice notice--ok" aria-hidden="true">
          {notice}
        </p>
      )}
      {rowError && <ErrorBox error={rowError} testid="settings-error" />}
      <table class="env-table" data-testid="environment-table">
        <thead>
          <tr>
            <th scope="col">Name</th>
            <th scope="col">Base URL</th>
            <th scope="col">Colour</th>
            <th scope="col">Production</th>
            <th scope="col">Credentials stored</th>
            <th scope="col">
              <span class="visually-hidden">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {s.environments.map((e) => (
            <tr key={e.name} data-testid={`env-row-${e.name}`} class={e.name === s.active ? 'env-table__active' : undefined}>
              <th scope="row">
                {e.name}
                {e.built_in && <span class="tag">built in</span>}
                {e.team && <span class="tag">team</span>}
                {e.name === s.active && <span class="tag tag--active">active</span>}
              </th>
              <td>
                <code>{e.base_url}</code>
              </td>
              <td>
                <ColourSwatch colour={e.colour} /> <code>{e.colour}</code>
              </td>
              <td>{e.is_production ? <span class="tag tag--prod">Yes — production</span> : 'No'}</td>
              <td data-testid={`env-has-credentials-${e.name}`}>{e.team ? 'On the team server' : e.has_credentials ? 'Yes' : 'No'}</td>
              <td>
                <div class="env-table__actions">
                {!e.built_in && !e.team && (
                  <button type="button" class="btn btn--small" data-testid={`env-edit-${e.name}`} aria-label={`Edit ${e.name}`} onClick={() => startEdit(e)}>
                    Edit
                  </button>
                )}
                {!e.built_in && !e.team && (
                <button
                  type="button"
                  class="btn btn--small"
                  data-testid={`env-credentials-${e.name}`}
                  aria-label={`${e.has_credentials ? 'Replace' : 'Set'} credentials of ${e.name}`}
                  onClick={() => {
                    setDraft(null);
                    setCredFor(e.name);
                    requestAnimationFrame(() => document.getElementById('cred-api-key')?.focus());
                  }}
                >
                  {e.has_credentials ? 'Replace credentials' : 'Set credentials'}
                </button>
                )}
                {e.has_credentials && !e.built_in && (
                  <button type="button" class="btn btn--small btn--quiet" data-testid={`env-clear-credentials-${e.name}`} aria-label={`Clear credentials of ${e.name}`} onClick={() => void clearCreds(e.name)}>
                    Clear credentials
                  </button>
                )}
                {!e.built_in &&
                  !e.team &&
                  (confirmDelete === e.name ? (
                    <span class="inline-confirm">
                      <button type="button" class="btn btn--small btn--danger" data-testid={`env-delete-confirm-${e.name}`} onClick={() => void remove(e.name)}>
                        Delete {e.name}
                      </button>
                      <button type="button" class="btn btn--small" onClick={() => setConfirmDelete(null)}>
                        Keep
                      </button>
                    </span>
                  ) : (
                    <button type="button" class="btn btn--small btn--danger-quiet" data-testid={`env-delete-${e.name}`} aria-label={`Delete ${e.name}`} onClick={() => setConfirmDelete(e.name)}>
                      Delete
                    </button>
                  ))}
                {e.built_in && <span class="empty-note">Built in: runs on this machine with demo credentials.</span>}
                {e.team && <span class="empty-note">The team's: its admins change it on the team server, which alone holds its credentials.</span>}
                </div>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <div class="button-row">
        <button type="button" class="btn" data-testid="env-add" onClick={() => startEdit(null)}>
          + Add environment
        </button>
      </div>

      {draft && (
        <form
          class="panel"
          data-testid="environment-form"
          noValidate
          aria-labelledby="env-form-title"
          onSubmit={(e) => {
            e.preventDefault();
            void save();
          }}
        >
          <h2 class="h2" id="env-form-title">
            {draft.isNew ? 'Add environment' : `Edit ${draft.name}`}
          </h2>
          <div class="grid">
            <div class={`field${nameError ? ' field--invalid' : ''}`}>
              <label class="field__label" for="env-name">
                Name
              </label>
              <input
                id="env-name"
                data-testid="env-name"
                class="input"
                type="text"
                autoComplete="off"
                value={draft.name}
                readOnly={!draft.isNew}
                aria-invalid={nameError ? 'true' : undefined}
                aria-describedby={nameError ? 'env-name-error' : undefined}
                onInput={(e) => setDraft({ ...draft, name: e.currentTarget.value })}
              />
              {nameError && (
                <p class="field__errors" id="env-name-error" data-testid="env-name-error">
                  {nameError.message}
                </p>
              )}
            </div>
            <div class={`field field--wide${urlError ? ' field--invalid' : ''}`}>
              <label class="field__label" for="env-base-url">
                Base URL
              </label>
              <input
                id="env-base-url"
                data-testid="env-base-url"
                class="input input--mono"
                type="url"
                autoComplete="off"
                spellcheck={false}
                value={draft.base_url}
                aria-invalid={urlError ? 'true' : undefined}
                aria-describedby={`env-base-url-hint${urlError ? ' env-base-url-error' : ''}`}
                onInput={(e) => setDraft({ ...draft, base_url: e.currentTarget.value })}
              />
              <p class="field__hint" id="env-base-url-hint">
                https:// (plain http only to this machine by address: 127.0.0.1 or [::1], not localhost)
              </p>
              {urlError && (
                <p class="field__errors" id="env-base-url-error" data-testid="env-base-url-error" data-kind={urlError.kind}>
                  {urlError.kind === 'insecure_url' ? 'Insecure URL: ' : urlError.kind === 'invalid_url' ? 'Invalid URL: ' : ''}
                  {urlError.message}
                </p>
              )}
            </div>
            <div class={`field${colourError ? ' field--invalid' : ''}`}>
              <label class="field__label" for="env-colour">
                Colour
              </label>
              <input
                id="env-colour"
                data-testid="env-colour"
                class="input input--colour"
                type="color"
                value={draft.colour}
                aria-invalid={colourError ? 'true' : undefined}
                aria-describedby={colourError ? 'env-colour-error' : undefined}
                onInput={(e) => setDraft({ ...draft, colour: e.currentTarget.value })}
              />
              {colourError && (
                <p class="field__errors" id="env-colour-error" data-testid="env-colour-error">
                  {colourError.message}
                </p>
              )}
            </div>
            <div class="field field--checks">
              <label class="check">
                <input
                  type="checkbox"
                  id="env-is-production"
                  data-testid="env-is-production"
                  checked={draft.is_production}
                  onChange={(e) => {
                    const checked = e.currentTarget.checked;
                    // The colour follows "Production" while it is still one of the two defaults.
                    const colour =
                      checked && draft.colour === DEFAULT_COLOUR ? PRODUCTION_COLOUR : !checked && draft.colour === PRODUCTION_COLOUR ? DEFAULT_COLOUR : draft.colour;
                    setDraft({ ...draft, colour, is_production: checked, requires_approval: approvalTouched ? draft.requires_approval : checked });
                  }}
                />{' '}
                Production (real customers: red frame, typed confirmation on submit)
              </label>
              <label class="check">
                <input
                  type="checkbox"
                  id="env-requires-approval"
                  data-testid="env-requires-approval"
                  checked={draft.requires_approval === true}
                  onChange={(e) => {
                    setApprovalTouched(true);
                    setDraft({ ...draft, requires_approval: e.currentTarget.checked });
                  }}
                />{' '}
                Requires approval
              </label>
            </div>
          </div>
          {otherError && <ErrorBox error={otherError} testid="env-form-error" />}
          <div class="button-row">
            <button type="submit" class="btn btn--primary" data-testid="env-save">
              Save environment
            </button>
            <button type="button" class="btn" data-testid="env-cancel" onClick={() => setDraft(null)}>
              Cancel
            </button>
          </div>
        </form>
      )}

      {credFor && <CredentialsForm env={credFor} onDone={(msg) => { setNotice(msg); setCredFor(null); }} onCancel={() => setCredFor(null)} />}

      <h2 class="h2" id="env-checks-title">
        Partner profile and connection
      </h2>
      <p class="section__intro">Each environment validates with its partner&rsquo;s profile: the lists of values the partner accepts.</p>
      {s.environments.map((e) => (
        <section key={e.name} class="panel" aria-labelledby={`env-checks-${slug(e.name)}`} data-testid={`env-checks-${e.name}`}>
          <h3 id={`env-checks-${slug(e.name)}`}>
            {e.name}
            {e.name === s.active && <span class="tag tag--active">active</span>}
          </h3>
          <PartnerProfileControls environment={e.name} active={e.name === s.active} />
          <ConnectionCheck environment={e.name} />
        </section>
      ))}
    </section>
  );
}

/**
 * Key and secret for one environment, written to the OS keychain. The inputs are uncontrolled:
 * the values are read from them only to make the call and the inputs are emptied right after,
 * whatever the outcome; nothing in page state ever holds them.
 */
function CredentialsForm({ env, onDone, onCancel }: { env: string; onDone: (msg: string) => void; onCancel: () => void }) {
  const keyRef = useRef<HTMLInputElement>(null);
  const secretRef = useRef<HTMLInputElement>(null);
  const store = useAction(async (apiKey: string, apiSecret: string) => {
    const next = await setCredentials(env, apiKey, apiSecret);
    setSession(next);
    onDone(`Stored the credentials of ${env} in the system keychain.`);
  });
  const { busy, error } = store;

  const clearInputs = () => {
    if (keyRef.current) keyRef.current.value = '';
    if (secretRef.current) secretRef.current.value = '';
  };

  const save = async () => {
    // Read once for the call and empty the inputs at once: from here the values exist only as
    // this call's arguments (the action keeps no key, so they never enter page state).
    const apiKey = keyRef.current?.value ?? '';
    const apiSecret = secretRef.current?.value ?? '';
    clearInputs();
    await store.run(apiKey, apiSecret);
  };

  return (
    <form
      class="panel"
      data-testid="credentials-form"
      aria-labelledby="cred-title"
      autoComplete="off"
      onSubmit={(e) => {
        e.preventDefault();
        void save();
      }}
    >
      <h2 class="h2" id="cred-title">
        Credentials for {env}
      </h2>
      <p class="section__intro">Stored in the system keychain only; they are never shown again.</p>
      <div class="grid">
        <div class="field">
          <label class="field__label" for="cred-api-key">
            API key
          </label>
          <input id="cred-api-key" data-testid="cred-api-key" ref={keyRef} class="input input--mono" type="password" autoComplete="off" spellcheck={false} />
        </div>
        <div class="field">
          <label class="field__label" for="cred-api-secret">
            API secret
          </label>
          <input id="cred-api-secret" data-testid="cred-api-secret" ref={secretRef} class="input input--mono" type="password" autoComplete="off" spellcheck={false} />
        </div>
      </div>
      {error && <ErrorBox error={error} testid="credentials-error" />}
      <div class="button-row">
        <button type="submit" class="btn btn--primary" data-testid="cred-save" disabled={busy}>
          {busy ? 'Saving…' : 'Save credentials'}
        </button>
        <button
          type="button"
          class="btn"
          data-testid="cred-cancel"
          onClick={() => {
            clearInputs();
            onCancel();
          }}
        >
          Cancel
        </button>
      </div>
    </form>
  );
}
