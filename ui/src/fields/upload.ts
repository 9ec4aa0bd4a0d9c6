import { useState } from 'preact/hooks';
import { toCommandError, uploadDocument } from '../ipc';
import type { FileType } from '../types';

export type UploadState =
  | { phase: 'idle' }
  | { phase: 'reading' | 'uploading'; name: string; size: number }
  | { phase: 'done'; name: string; fileId: string }
  | { phase: 'error'; name: string; kind: string; message: string };

export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(n < 10 * 1024 ? 1 : 0)} KB`;
  return `${(n / (1024 * 1024)).toFixed(1)} MB`;
}

/** Upload one file as `fileType`; the state drives the inline progress and error line. */
export function useUpload(fileType: FileType) {
  const [state, setState] = useState<UploadState>({ phase: 'idle' });
  const start = async (file: File): Promise<string | null> => {
    setState({ phase: 'reading', name: file.name, size: file.size });
    try {
      const bytes = new Uint8Array(await file.arrayBuffer());
      setState({ phase: 'uploading', name: file.name, size: file.size });
      const { file_id } = await uploadDocument(file.name, fileType, bytes);
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
