import { useEffect, useState } from 'preact/hooks';
import { readDocumentCopy, toCommandError, type CommandError } from '../../ipc';
import type { DocumentCopy } from '../../types';

export type CopyBytes = { state: 'loading' } | { state: 'ready'; bytes: ArrayBuffer } | { state: 'error'; error: CommandError };

/** The local copy's bytes (`read_document_copy`), read again when the copy changes. */
export function useCopyBytes(draftId: string, copy: DocumentCopy): CopyBytes {
  const [out, setOut] = useState<CopyBytes>({ state: 'loading' });
  useEffect(() => {
    let live = true;
    setOut({ state: 'loading' });
    readDocumentCopy(draftId, copy.file_id).then(
      (bytes) => live && setOut({ state: 'ready', bytes }),
      (e) => live && setOut({ state: 'error', error: toCommandError(e) }),
    );
    return () => {
      live = false;
    };
  }, [draftId, copy.file_id, copy.sha256]);
  return out;
}
