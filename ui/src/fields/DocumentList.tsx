import { useRef, useState } from 'preact/hooks';
import { childPath, idForPath } from '../state/paths';
import { appendListItem, removeListItem, valueAt } from '../state/editor';
import type { FileType } from '../types';
import { DocumentSlot } from './DocumentSlot';
import { focusIdSoon } from '../widgets/focus';
import { GroupIssues, groupDescribedBy } from './GroupIssues';
import { allowedFileTypes } from './documentTypes';
import { FileTypeChoice } from './FileTypeChoice';
import { UploadStatus } from './UploadStatus';
import { useUpload } from './upload';

export interface DocumentListProps {
  path: string;
  label: string;
  hint?: string;
}

/** A list of file IDs (business documents): add, remove, and attach files that upload. */
export function DocumentList(p: DocumentListProps) {
  const listId = idForPath(p.path);
  const raw = valueAt(p.path);
  const items = Array.isArray(raw) ? raw : [];
  const fileInput = useRef<HTMLInputElement>(null);
  const upload = useUpload();
  // What a new item takes (every item of the list takes the same types), as Rust serves it.
  const types = allowedFileTypes(childPath(p.path, 0));
  const [chosen, setChosen] = useState<FileType | undefined>(undefined);
  const fileType = chosen !== undefined && types.includes(chosen) ? chosen : types[0];
  const busy = upload.state.phase === 'reading' || upload.state.phase === 'uploading';

  const onFile = async (e: Event) => {
    const input = e.currentTarget as HTMLInputElement;
    const file = input.files?.[0];
    input.value = '';
    if (!file || !fileType) return;
    const id = await upload.start(file, fileType);
    if (id !== null) appendListItem(p.path, id);
  };

  const hintId = `${listId}-hint`;
  return (
    <fieldset class="subgroup field--wide" id={listId} tabIndex={-1} aria-describedby={[p.hint ? hintId : '', groupDescribedBy(p.path) ?? ''].filter(Boolean).join(' ') || undefined}>
      <legend class="subgroup__legend">{p.label}</legend>
      {p.hint && (
        <p class="field__hint" id={hintId}>
          {p.hint}
        </p>
      )}
      <GroupIssues path={p.path} />
      {items.length === 0 && <p class="empty-note">No documents.</p>}
      <div class="doc-list">
        {items.map((_, i) => (
          <DocumentSlot
            key={i}
            path={childPath(p.path, i)}
            label={`Document ${i + 1}`}
            onRemove={() => {
              removeListItem(p.path, i);
              const next = items.length - 1 > i ? idForPath(childPath(p.path, i)) : `${listId}-add`;
              focusIdSoon(next);
            }}
            removeLabel={`Remove document ${i + 1}`}
          />
        ))}
      </div>
      <div class="button-row">
        <button
          type="button"
          class="btn btn--small"
          id={`${listId}-add`}
          data-testid={`${listId}-add`}
          onClick={() => {
            appendListItem(p.path, '');
            focusIdSoon(idForPath(childPath(p.path, items.length)));
          }}
        >
          Add file ID
        </button>
        <button
          type="button"
          class="btn btn--small"
          data-testid={`${listId}-attach`}
          disabled={busy || !fileType}
          onClick={() => fileInput.current?.click()}
        >
          Upload document…
        </button>
        <FileTypeChoice id={`${listId}-file-type`} types={types} value={fileType} onChange={setChosen} />
        <input
          ref={fileInput}
          type="file"
          class="visually-hidden"
          tabIndex={-1}
          aria-hidden="true"
          data-testid={`${listId}-upload`}
          data-file-type={fileType}
          accept="image/*,application/pdf"
          onChange={onFile}
        />
      </div>
      <UploadStatus id={`${listId}-upload-status`} state={upload.state} />
    </fieldset>
  );
}
