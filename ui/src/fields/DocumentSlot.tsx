import type { ComponentChildren } from 'preact';
import { useRef, useState } from 'preact/hooks';
import type { FileType } from '../types';
import { FieldShell } from '../widgets/FieldShell';
import { allowedFileTypes } from './documentTypes';
import { FileTypeChoice } from './FileTypeChoice';
import { UploadStatus } from './UploadStatus';
import { useUpload } from './upload';
import { describedBy, useField } from './useField';

export interface DocumentSlotProps {
  path: string;
  label: string;
  hint?: ComponentChildren;
  onRemove?: () => void;
  removeLabel?: string;
}

/**
 * One file ID: typed or pasted, or filled by attaching a file (uploaded with `upload_document`,
 * the returned `file_id` goes into the slot).
 */
export function DocumentSlot(p: DocumentSlotProps) {
  const f = useField(p.path);
  const fileInput = useRef<HTMLInputElement>(null);
  const upload = useUpload();
  // The types this slot takes, as Rust serves them; the first is the default.
  const types = allowedFileTypes(p.path);
  const [chosen, setChosen] = useState<FileType | undefined>(undefined);
  const fileType = chosen !== undefined && types.includes(chosen) ? chosen : types[0];
  const value = typeof f.value === 'string' ? f.value : '';
  const busy = upload.state.phase === 'reading' || upload.state.phase === 'uploading';
  const statusId = `${f.id}-upload-status`;

  const onFile = async (e: Event) => {
    const input = e.currentTarget as HTMLInputElement;
    const file = input.files?.[0];
    input.value = '';
    if (!file || !fileType) return;
    const id = await upload.start(file, fileType);
    if (id !== null) f.set(id);
  };

  return (
    <FieldShell id={f.id} label={p.label} hint={p.hint} issues={f.issues} class="field--document">
      <div class="doc-slot">
        <input
          id={f.id}
          name={p.path}
          data-testid={f.id}
          type="text"
          class="input input--mono"
          placeholder="No file"
          autoComplete="off"
          spellcheck={false}
          value={value}
          aria-invalid={f.invalid ? 'true' : undefined}
          aria-describedby={describedBy(f, !!p.hint, statusId)}
          onInput={(e) => {
            upload.reset();
            f.set(e.currentTarget.value);
          }}
        />
        <button
          type="button"
          class="btn btn--small"
          data-testid={`${f.id}-attach`}
          aria-label={`${value ? 'Replace' : 'Attach'} file for ${p.label}`}
          disabled={busy || !fileType}
          onClick={() => fileInput.current?.click()}
        >
          {value ? 'Replace…' : 'Attach…'}
        </button>
        <FileTypeChoice id={`${f.id}-file-type`} types={types} value={fileType} onChange={setChosen} />
        <input
          ref={fileInput}
          type="file"
          class="visually-hidden"
          tabIndex={-1}
          aria-hidden="true"
          data-testid={`${f.id}-upload`}
          data-file-type={fileType}
          accept="image/*,application/pdf"
          onChange={onFile}
        />
        {p.onRemove && (
          <button
            type="button"
            class="btn btn--small btn--quiet"
            data-testid={`${f.id}-remove`}
            aria-label={p.removeLabel ?? `Remove ${p.label}`}
            onClick={p.onRemove}
          >
            Remove
          </button>
        )}
      </div>
      <UploadStatus id={statusId} state={upload.state} />
    </FieldShell>
  );
}
