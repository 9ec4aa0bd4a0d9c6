import type { UploadState } from './upload';
import { formatBytes } from './upload';

/** The inline progress / result / error line of an upload (announced politely). */
export function UploadStatus({ id, state }: { id: string; state: UploadState }) {
  return (
    <div class="upload-status" id={id} data-testid={id} aria-live="polite" data-phase={state.phase}>
      {(state.phase === 'reading' || state.phase === 'uploading') && (
        <>
          <progress
            class="upload-status__bar"
            aria-label={`Uploading ${state.name}`}
            max={state.size}
            value={state.sent}
            aria-valuetext={`${formatBytes(state.sent)} of ${formatBytes(state.size)}`}
          />
          <span>
            Uploading {state.name}: {formatBytes(state.sent)} of {formatBytes(state.size)}…
          </span>
        </>
      )}
      {state.phase === 'done' && (
        <span class="upload-status__done">
          <span aria-hidden="true">✓ </span>Uploaded {state.name} as <code>{state.fileId}</code>
        </span>
      )}
      {state.phase === 'error' && (
        <span class="upload-status__error" role="alert">
          <span aria-hidden="true">! </span>Upload of {state.name} failed: {state.message}
        </span>
      )}
    </div>
  );
}
