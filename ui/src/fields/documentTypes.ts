import { reference } from '../state/session';
import type { FileType } from '../types';

/**
 * The `fileType`s the document slot at `path` takes, as Rust serves them
 * (`ReferenceData.document_slots`, kyb_core::document_slots): a slot's path with `[*]` for
 * every index. Empty until the reference data has arrived or for a path that is not a slot.
 */
export function allowedFileTypes(path: string): FileType[] {
  const pattern = path.replace(/\[\d+\]/g, '[*]');
  return reference.value?.document_slots.find((slot) => slot.path_pattern === pattern)?.file_types ?? [];
}

/**
 * Why `file` cannot be uploaded or attached before reading it (`File.size` against the limit Rust
 * serves, `ReferenceData.max_upload_bytes`), or null when its size is fine.
 */
export function sizeRefusal(file: Blob & { name: string }): string | null {
  const limit = reference.value?.max_upload_bytes;
  if (limit === undefined || file.size <= limit) return null;
  return `${file.name} is ${formatBytes(file.size)}; a document can be at most ${formatBytes(limit)}. It was not read or sent.`;
}

export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(n < 10 * 1024 ? 1 : 0)} KB`;
  return `${(n / (1024 * 1024)).toFixed(1)} MB`;
}
