import { useEffect, useRef, useState } from 'preact/hooks';
import { importPartnerProfile, partnerProfile, resetPartnerProfile } from '../../ipc';
import type { PartnerProfileImport } from '../../bindings/PartnerProfileImport';
import type { ProfileSummary } from '../../bindings/ProfileSummary';
import { fieldLabel } from '../../state/labels';
import { refreshReference } from '../../state/session';
import { ErrorBox } from '../../widgets/ErrorBox';
import { useAction } from '../../widgets/useAction';
import { readFileText } from './readFileText';

/** A refused file: its name and every problem Rust found in it. */
interface Refused {
  file: string;
  problems: PartnerProfileImport['problems'];
}

/**
 * One environment's partner profile (docs/VALIDATION.md, "Partner profile"): which one is active
 * and which of its lists are closed, importing a partner's file (a refused file lists every
 * problem with its JSON path; nothing changes), and going back to the built-in one. Whether a
 * file is acceptable is Rust's check; the page only shows its answer.
 */
export function PartnerProfileControls({ environment, active }: { environment: string; active: boolean }) {
  const [summary, setSummary] = useState<ProfileSummary | null>(null);
  const [refused, setRefused] = useState<Refused | null>(null);
  const [notice, setNotice] = useState('');
  const reportRef = useRef<HTMLDivElement>(null);
  const inputId = `profile-file-${slug(environment)}`;

  const load = useAction(async () => setSummary(await partnerProfile(environment)));
  useEffect(() => {
    void load.run();
  }, [environment]);

  // A refused file's report takes focus (as an error summary does), so its list is read next.
  useEffect(() => {
    if (refused) reportRef.current?.focus();
  }, [refused]);

  // The pickers and the page's validation follow the active environment's profile.
  const changed = async (next: ProfileSummary, words: string) => {
    setSummary(next);
    setNotice(words);
    if (active) await refreshReference();
  };

  const upload = useAction(async (file: File) => {
    setRefused(null);
    setNotice('');
    const answer = await importPartnerProfile(environment, await readFileText(file));
    if (answer.accepted) {
      await changed(answer.active, `${environment} now uses ${profileName(answer.active)} from ${file.name}.`);
    } else {
      setSummary(answer.active);
      setRefused({ file: file.name, problems: answer.problems });
    }
  });

  const reset = useAction(async () => {
    setRefused(null);
    await changed(await resetPartnerProfile(environment), `${environment} uses the built-in profile again.`);
  });

  const onFile = (input: HTMLInputElement) => {
    const file = input.files?.[0];
    if (!file) return;
    void upload.run(file).finally(() => {
      input.value = '';
    });
  };

  const busy = upload.busy || reset.busy;
  const error = load.error ?? upload.error ?? reset.error;
  return (
    <div class="partner-profile" data-testid={`partner-profile-${environment}`}>
      <dl class="meta meta--stack">
        <div>
          <dt>Partner profile</dt>
          <dd data-testid="profile-name">
            {summary ? (
              <>
                {profileName(summary)} <span class="tag">{summary.built_in ? 'built in' : 'imported'}</span>
              </>
            ) : (
              '…'
            )}
          </dd>
        </div>
        <div>
          <dt>Closed lists</dt>
          <dd data-testid="profile-closed-lists">{summary ? closedLists(summary) : '…'}</dd>
        </div>
      </dl>
      <div class="button-row">
        <label class="btn btn--small file-button" for={inputId} aria-disabled={busy ? 'true' : undefined}>
          {upload.busy ? 'Importing…' : 'Import partner profile…'}
        </label>
        <input
          id={inputId}
          class="visually-hidden"
          type="file"
          accept=".json,application/json"
          disabled={busy}
          aria-describedby={`${inputId}-hint`}
          data-testid="profile-import-input"
          onChange={(e) => onFile(e.currentTarget)}
        />
        {summary && !summary.built_in && (
          <button type="button" class="btn btn--small" data-testid="profile-reset" disabled={busy} onClick={() => void reset.run()}>
            Use the built-in profile
          </button>
        )}
      </div>
      <p class="field__hint" id={`${inputId}-hint`}>
        A JSON file from the partner with its lists of values; it is checked before it is used.
      </p>
      <p class="visually-hidden" aria-live="polite" data-testid="profile-notice">
        {notice}
      </p>
      {notice && (
        <p class="notice notice--ok" aria-hidden="true">
          {notice}
        </p>
      )}
      {error && <ErrorBox error={error} testid="profile-error" />}
      {refused && (
        <div class="notice notice--error" role="alert" tabIndex={-1} ref={reportRef} data-testid="profile-import-report" aria-labelledby={`${inputId}-report-title`}>
          <p class="notice__title" id={`${inputId}-report-title`}>
            <code>{refused.file}</code> was not used: {refused.problems.length === 1 ? '1 problem' : `${refused.problems.length} problems`}. {environment} still uses{' '}
            {summary ? profileName(summary) : 'its profile'}.
          </p>
          <ul class="import-issues">
            {refused.problems.map((p, n) => (
              <li key={n} data-testid="profile-problem" data-path={p.path}>
                {p.path ? <code>{p.path}</code> : <span>The file as a whole</span>}: {p.message}
              </li>
            ))}
          </ul>
        </div>
      )}
    </div>
  );
}

/** "ACME v3": the name and revision, as the audit trail names a profile. */
function profileName(p: ProfileSummary): string {
  return `${p.name} v${p.revision}`;
}

function closedLists(p: ProfileSummary): string {
  if (p.closed_lists.length === 0) return 'None: every list accepts other values';
  return p.closed_lists.map(fieldLabel).join(', ');
}

/** An environment name as part of an element id. */
export function slug(name: string): string {
  return name.replace(/[^A-Za-z0-9_-]/g, '_');
}
