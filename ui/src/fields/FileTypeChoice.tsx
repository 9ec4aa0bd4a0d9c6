import type { FileType } from '../types';

/**
 * Which `fileType` an upload is sent as, among those its slot takes (served by Rust): a choice
 * when there are several, the one type as text otherwise.
 */
export function FileTypeChoice(p: { id: string; types: FileType[]; value: FileType | undefined; onChange: (t: FileType) => void }) {
  if (p.types.length <= 1) {
    return p.value ? <span class="doc-slot__type" data-testid={p.id}>as “{p.value}”</span> : null;
  }
  return (
    <select
      class="input input--small"
      data-testid={p.id}
      aria-label="Upload as"
      value={p.value}
      onChange={(e) => p.onChange(e.currentTarget.value as FileType)}
    >
      {p.types.map((t) => (
        <option key={t} value={t}>
          {t}
        </option>
      ))}
    </select>
  );
}
