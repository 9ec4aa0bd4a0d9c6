import { useEffect, useState } from 'preact/hooks';
import { readDocumentCopy } from '../ipc';
import type { DiffFile, DiffGroup, DiffRow, DiffView } from '../types';

/**
 * The changes as the back end words them (`diff_record`): in form order, one table per section
 * and per representative, every field by its label, dates as dates. An added or removed
 * representative is one row that opens to list their fields. A document is shown by its file
 * name, with a small picture when the app holds an image copy of it.
 */
export function DiffList({ view, draftId }: { view: DiffView; draftId: string | null }) {
  const files = new Map(view.files.map((f) => [f.file_id, f]));
  return (
    <div class="diff-list" data-testid="diff-table">
      <p class="diff__caption" data-testid="diff-count">
        {view.field_count === 1 ? '1 field changes' : `${view.field_count} fields change`}; unchanged fields are not listed.
      </p>
      {view.groups.map((group) =>
        group.change === 'changed' ? (
          <GroupTable key={group.key} group={group} files={files} draftId={draftId} caption={group.label} />
        ) : (
          <details key={group.key} class="diff-person" data-testid="diff-group" data-group={group.key} data-change={group.change}>
            <summary class="diff__group-summary">
              <strong>{group.label}</strong>{' '}
              <span class="diff__empty">({group.rows.length === 1 ? '1 field' : `${group.rows.length} fields`})</span>
            </summary>
            <GroupTable group={group} files={files} draftId={draftId} caption={`Fields of ${group.label}`} />
          </details>
        ),
      )}
    </div>
  );
}

function GroupTable(props: { group: DiffGroup; files: Map<string, DiffFile>; draftId: string | null; caption: string }) {
  const { group, files, draftId, caption } = props;
  return (
    <table class="diff" data-testid={group.change === 'changed' ? 'diff-group' : undefined} data-group={group.key}>
      <caption class="diff__caption">{caption}</caption>
      <thead>
        <tr>
          <th scope="col">Field</th>
          <th scope="col">Before</th>
          <th scope="col">After</th>
        </tr>
      </thead>
      <tbody>
        {group.rows.map((row) => (
          <tr key={row.path} data-testid="diff-row" data-path={row.path}>
            <th scope="row" title={row.path}>
              <span class="diff__label">{row.label}</span>
            </th>
            <td class="diff__before">
              <Value row={row} v={row.before} files={files} draftId={draftId} />
            </td>
            <td class="diff__after">
              <Value row={row} v={row.after} files={files} draftId={draftId} />
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function Value(props: { row: DiffRow; v: string | undefined; files: Map<string, DiffFile>; draftId: string | null }) {
  const { row, v, files, draftId } = props;
  if (v === undefined || v === null || v === '') {
    return (
      <span class="diff__empty">
        <span aria-hidden="true">—</span>
        <span class="visually-hidden">(empty)</span>
      </span>
    );
  }
  if (row.kind !== 'file') return <span class="diff__value">{v}</span>;
  const file = files.get(v);
  if (!file) {
    return (
      <span class="diff__value" title={`File ${v} (no copy on this computer)`}>
        File <code>{v}</code>
      </span>
    );
  }
  return (
    <span class="diff__value diff__file" title={`File ${v}`} data-testid="diff-file">
      {draftId && file.media_type.startsWith('image/') && <Thumbnail draftId={draftId} fileId={v} />}
      {file.file_name}
    </span>
  );
}

/** A small picture of the local copy (decorative: the file name beside it says what it is). */
function Thumbnail({ draftId, fileId }: { draftId: string; fileId: string }) {
  const [url, setUrl] = useState<string | null>(null);
  useEffect(() => {
    let live = true;
    let made: string | null = null;
    readDocumentCopy(draftId, fileId).then(
      (bytes) => {
        if (!live || typeof URL.createObjectURL !== 'function') return;
        made = URL.createObjectURL(new Blob([bytes]));
        setUrl(made);
      },
      () => live && setUrl(null),
    );
    return () => {
      live = false;
      if (made) URL.revokeObjectURL(made);
    };
  }, [draftId, fileId]);
  if (!url) return null;
  return <img class="diff__thumb" src={url} alt="" width={40} height={40} data-testid="diff-thumb" />;
}
