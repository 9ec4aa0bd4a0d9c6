import { useEffect, useRef, useState } from 'preact/hooks';
import { ErrorBox } from '../widgets/ErrorBox';
import { useAction } from '../widgets/useAction';
import { activeProfile, cancelChooser, chooseProfile, chooserReason, loadProfiles, profiles, profilesError } from '../state/profiles';

/**
 * "Who is working?": the existing profiles as radios (the last one preselected) or a new name.
 * Profiles record who did what (four-eyes review, the audit trail); they have no password.
 */
export function ProfileChooser() {
  const view = profiles.value;
  const reason = chooserReason.value;
  const list = view?.profiles ?? [];
  const [selected, setSelected] = useState<string>(view?.active ?? view?.last ?? '');
  const [newName, setNewName] = useState('');
  const nameRef = useRef<HTMLInputElement>(null);
  const choose = useAction(chooseProfile, {
    onError: (err) => {
      if (err.kind === 'invalid_input') nameRef.current?.focus();
    },
  });
  const { busy, error } = choose;

  useEffect(() => {
    if (!profiles.peek()) void loadProfiles();
  }, []);
  // The preselection follows the list once it arrives.
  useEffect(() => {
    if (!selected && view) setSelected(view.active ?? view.last ?? '');
  }, [view]);

  const typed = newName.trim() !== '';
  const submit = async (e: Event) => {
    e.preventDefault();
    if (busy) return;
    // A typed name wins over the selected radio (it creates the profile, or finds it by name).
    await choose.run(typed || list.length === 0 ? newName : selected);
  };

  const fieldError = error?.kind === 'invalid_input' ? error : null;
  const otherError = error && !fieldError ? error : null;

  return (
    <section class="screen screen--narrow" aria-labelledby="profile-title">
      <h1 id="profile-title" tabIndex={-1}>
        Who is working?
      </h1>
      <p class="section__intro">
        {reason === 'required'
          ? 'This action records who did it. Choose your profile, then do it again.'
          : 'KYB Desk records who prepares, reviews and approves each change. Profiles have no password: they say who acted, they do not sign anyone in.'}
      </p>
      {profilesError.value && !view && (
        <ErrorBox error={profilesError.value} testid="profile-load-error" onRetry={() => void loadProfiles()} />
      )}
      <form class="panel profile-form" data-testid="profile-form" noValidate onSubmit={(e) => void submit(e)}>
        {list.length > 0 && (
          <fieldset
            class="profile-form__list"
            onKeyDown={(e) => {
              // Enter on a profile continues as it (a radio does not submit its form by itself).
              if (e.key === 'Enter' && (e.target as HTMLInputElement).type === 'radio') {
                e.preventDefault();
                void submit(e);
              }
            }}
          >
            <legend class="field__label">Existing profiles</legend>
            {list.map((p, i) => (
              <label key={p.name} class="radio profile-option">
                <input
                  type="radio"
                  name="profile"
                  value={p.name}
                  data-testid="profile-option"
                  data-name={p.name}
                  // Focus starts on the profile preselected (else the first one).
                  data-autofocus={(selected ? selected === p.name : i === 0) || undefined}
                  checked={!typed && selected === p.name}
                  onChange={() => {
                    setSelected(p.name);
                    setNewName('');
                    choose.clearError();
                  }}
                />
                <span>{p.name}</span>
                {view?.active === p.name && <span class="tag tag--active">active</span>}
                {view?.last === p.name && view?.active !== p.name && <span class="tag">last used</span>}
              </label>
            ))}
          </fieldset>
        )}
        <div class="profile-form__new">
          <label class="field__label" for="profile-name">
            {list.length > 0 ? 'New profile name' : 'Your name (a new profile)'}
          </label>
          <input
            id="profile-name"
            ref={nameRef}
            class="input"
            type="text"
            data-testid="profile-name"
            data-autofocus={list.length === 0 || undefined}
            autoComplete="off"
            maxLength={200}
            value={newName}
            aria-invalid={fieldError ? 'true' : undefined}
            aria-describedby={fieldError ? 'profile-name-error' : 'profile-name-hint'}
            onInput={(e) => {
              setNewName(e.currentTarget.value);
              if (fieldError) choose.clearError();
            }}
          />
          <p id="profile-name-hint" class="field__hint">
            {list.length > 0 ? 'Type a name to add a profile; leave it empty to continue as the one selected above.' : 'For example “Dana Smith”.'}
          </p>
          {fieldError && (
            <p id="profile-name-error" class="field__errors" role="alert" data-testid="profile-name-error" data-kind={fieldError.kind}>
              <span aria-hidden="true">⚠ </span>
              {fieldError.message}
            </p>
          )}
        </div>
        {otherError && <ErrorBox error={otherError} testid="profile-error" />}
        <div class="button-row">
          <button type="submit" class="btn btn--primary" data-testid="profile-continue" disabled={busy}>
            {busy ? 'Continuing…' : 'Continue'}
          </button>
          {activeProfile.value && (
            <button type="button" class="btn" data-testid="profile-cancel" onClick={() => cancelChooser()}>
              Cancel
            </button>
          )}
        </div>
      </form>
    </section>
  );
}
