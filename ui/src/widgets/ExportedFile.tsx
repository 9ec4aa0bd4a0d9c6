import { revealExport } from '../ipc';
import type { ExportedDraft } from '../types';
import { ErrorBox } from './ErrorBox';
import { useAction } from './useAction';

/**
 * Where an export went (a draft, a case report, the audit trail): the file's name, its folder,
 * and "Open folder", which asks the app to show the file in the file manager (`reveal_export`:
 * only files this app exported in this session).
 */
export function ExportedFile(p: { file: ExportedDraft; label: string; testid: string; nameTestid?: string }) {
  const reveal = useAction(() => revealExport(p.file.path));
  return (
    <div class="notice notice--ok export-note" data-testid={p.testid}>
      <p role="status">
        {p.label} <code data-testid={p.nameTestid ?? `${p.testid}-name`} title={p.file.path}>{p.file.file_name}</code>
        {p.file.folder && (
          <>
            {' '}
            in <span class="export-note__folder">{p.file.folder}</span>
          </>
        )}
        .{' '}
        <button
          type="button"
          class="btn btn--small"
          data-testid={`${p.testid}-reveal`}
          disabled={reveal.busy}
          onClick={() => void reveal.run()}
        >
          Open folder
        </button>
      </p>
      {reveal.error && <ErrorBox error={reveal.error} testid={`${p.testid}-reveal-error`} />}
    </div>
  );
}
