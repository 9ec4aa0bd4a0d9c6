import { ErrorBox } from '../../widgets/ErrorBox';
import { useAction } from '../../widgets/useAction';
import { formatBytes } from '../../fields/upload';
import { sizeRefusal } from '../../fields/documentTypes';
import { CommandError } from '../../ipc';
import { attachCopy } from '../../state/review';
import { docLongLabel } from '../../state/reviewDocs';
import { localDateTime } from '../../state/time';
import type { DocumentCopy, ReviewDocument } from '../../types';
import { ImageView } from './ImageView';
import { PdfView } from './PdfView';

/** The centre column: the selected document's local copy (image, PDF, no preview, or none yet). */
export function DocViewer({ draftId, doc }: { draftId: string; doc: ReviewDocument | null }) {
  if (!doc) {
    return (
      <div class="viewer" data-testid="doc-viewer" data-preview="empty">
        <p class="empty-note">This draft references no documents.</p>
      </div>
    );
  }
  const copy = doc.copy ?? null;
  const label = docLongLabel(doc.reference);
  return (
    <div class="viewer" data-testid="doc-viewer" data-file-id={doc.reference.file_id} data-preview={copy ? copy.preview : 'missing'}>
      <h2 class="viewer__title" id="viewer-title">
        {label} <code class="viewer__file-id">{doc.reference.file_id}</code>
      </h2>
      {!copy && <AttachCopy key={doc.reference.file_id} fileId={doc.reference.file_id} />}
      {copy?.preview === 'image' && <ImageView key={copy.file_id} draftId={draftId} copy={copy} label={label} />}
      {copy?.preview === 'pdf' && <PdfView key={copy.file_id} draftId={draftId} copy={copy} label={label} />}
      {copy?.preview === 'none' && (
        <div class="viewer__none" data-testid="viewer-no-preview">
          <p class="notice__title">No preview for {copy.media_type}</p>
          <CopyFacts copy={copy} />
        </div>
      )}
      {copy && <CopyOrigin copy={copy} />}
    </div>
  );
}

function CopyFacts({ copy }: { copy: DocumentCopy }) {
  return (
    <dl class="meta meta--stack" data-testid="copy-facts">
      <div>
        <dt>File name</dt>
        <dd>{copy.file_name}</dd>
      </div>
      <div>
        <dt>Size</dt>
        <dd>{formatBytes(copy.size)}</dd>
      </div>
      <div>
        <dt>SHA-256</dt>
        <dd>
          <code class="hash">{copy.sha256}</code>
        </dd>
      </div>
    </dl>
  );
}

/** Where the copy came from: uploaded here (the bytes the partner got) or attached (unchecked). */
function CopyOrigin({ copy }: { copy: DocumentCopy }) {
  const when = localDateTime(copy.added_at);
  return (
    <p class={`viewer__origin viewer__origin--${copy.origin}`} data-testid="copy-origin" data-origin={copy.origin}>
      {copy.origin === 'uploaded' ? (
        <>
          Uploaded from this app by {copy.added_by} on {when}.
        </>
      ) : (
        <>
          <span aria-hidden="true">⚠ </span>
          Attached by {copy.added_by} on {when} — not checked against the partner’s copy.
        </>
      )}{' '}
      <span class="viewer__file">
        {copy.file_name} · {formatBytes(copy.size)} · SHA-256 <code class="hash" title={copy.sha256}>{copy.sha256.slice(0, 12)}…</code>
      </span>
    </p>
  );
}

/** No local copy: say so plainly, and take the file the officer has for it. */
function AttachCopy({ fileId }: { fileId: string }) {
  const { run: attach, busy, error } = useAction((file: File) => {
    // Checked on the file's size before it is read (the limit Rust serves).
    const refusal = sizeRefusal(file);
    if (refusal) throw new CommandError('invalid_input', refusal, { field: 'bytes', retryable: false });
    return attachCopy(fileId, file);
  });
  const onFile = async (input: HTMLInputElement) => {
    const file = input.files?.[0];
    if (!file) return;
    await attach(file);
    input.value = '';
  };
  return (
    <div class="viewer__missing" data-testid="viewer-missing">
      <p>
        KYB Desk has no copy of file <code>{fileId}</code>. Attach the file you have for it.
      </p>
      <p class="field__hint" id="attach-copy-hint">
        An attached file is kept sealed on this computer and marked as attached: the app cannot check it against the partner’s copy.
      </p>
      <label class="btn file-button" for="attach-copy">
        {busy ? 'Attaching…' : 'Attach local copy'}
      </label>
      <input
        id="attach-copy"
        class="visually-hidden"
        type="file"
        data-testid="attach-copy"
        aria-describedby="attach-copy-hint"
        disabled={busy}
        onChange={(e) => void onFile(e.currentTarget)}
      />
      {error && <ErrorBox error={error} testid="attach-error" />}
    </div>
  );
}
