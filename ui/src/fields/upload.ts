import { useState } from 'preact/hooks';
import { toCommandError, uploadDocument } from '../ipc';
import type { FileType } from '../types';
import { sizeRefusal } from './documentTypes';

export type UploadState =
  | { phase: 'idle' }
  | { phase: 'reading' | 'uploading'; name: string; size: number; sent: number }
  | { phase: 'done'; name: string; fileId: string }
  | { phase: 'error'; name: string; kind: string; message: string };

export { formatBytes } from './documentTypes';

/**
 * Upload one file as `fileType`, sent in chunks (ipc.ts) so the page never holds the whole file;
 * the state drives the inline progress bar and the error line. A file over the limit Rust serves
 * is refused by its size, before it is read.
 */
export function useUpload() {
  const [state, setState] = useState<UploadState>({ phase: 'idle' });
  const start = async (file: File, fileType: FileType): Promise<string | null> => {
    const refusal = sizeRefusal(file);
    if (refusal !== null) {
      setState({ phase: 'error', name: file.name, kind: 'invalid_input', message: refusal });
      return null;
    }
    setState({ phase: 'uploading', name: file.name, size: file.size, sent: 0 });
    try {
      const { file_id } = await uploadDocument(file, fileType, (sent, size) => setState({ phase: 'uploading', name: file.name, size, sent }));
      setState({ phase: 'done', name: file.name, fileId: file_id });
      return file_id;
    } catch (e) {
      const err = toCommandError(e);
      setState({ phase: 'error', name: file.name, kind: err.kind, message: err.message });
      return null;
    }
  };
  return { state, start, reset: () => setState({ phase: 'idle' }) };
}
