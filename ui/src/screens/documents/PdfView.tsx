import { useEffect, useRef, useState } from 'preact/hooks';
import { ErrorBox } from '../../widgets/ErrorBox';
import { CommandError } from '../../ipc';
import { rotation, zoom } from '../../state/review';
import type { DocumentCopy } from '../../types';
import type { OpenedPdf, PDFDocumentProxy } from './pdf';
import { useCopyBytes } from './useCopyBytes';
import { ViewerTools } from './ViewerTools';

/** Pages drawn at most (a long PDF says how many more it has). */
export const MAX_PDF_PAGES = 30;

/**
 * A PDF copy, drawn page by page into canvases by pdf.js (loaded on first use), at the
 * viewer's width × zoom and turned by the rotation; drawn again when either changes.
 */
export function PdfView({ draftId, copy, label }: { draftId: string; copy: DocumentCopy; label: string }) {
  const bytes = useCopyBytes(draftId, copy);
  const [doc, setDoc] = useState<PDFDocumentProxy | null>(null);
  const [error, setError] = useState<CommandError | null>(null);
  const stage = useRef<HTMLDivElement>(null);
  const canvases = useRef<(HTMLCanvasElement | null)[]>([]);

  useEffect(() => {
    if (bytes.state !== 'ready') return;
    let live = true;
    let opened: PDFDocumentProxy | null = null;
    let task: OpenedPdf | null = null;
    let pdf: typeof import('./pdf') | null = null;
    setDoc(null);
    setError(null);
    import('./pdf')
      .then(async (m) => {
        pdf = m;
        if (!live) return;
        task = m.openPdf(bytes.bytes);
        const d = await task.promise;
        if (!live) {
          m.closePdf(d);
          return;
        }
        opened = d;
        setDoc(d);
      })
      .catch((e: unknown) => {
        if (live) setError(new CommandError('internal', `This PDF cannot be shown: ${e instanceof Error ? e.message : String(e)}`));
      });
    return () => {
      live = false;
      if (opened) pdf?.closePdf(opened);
      else task?.cancel();
    };
  }, [bytes]);

  const z = zoom.value;
  const r = rotation.value;
  const pages = doc ? Math.min(doc.numPages, MAX_PDF_PAGES) : 0;

  useEffect(() => {
    if (!doc) return;
    let live = true;
    const tasks: { cancel(): void }[] = [];
    const draw = async () => {
      const room = Math.max(200, (stage.current?.clientWidth ?? 0) - 40);
      const ratio = window.devicePixelRatio || 1;
      for (let n = 1; n <= pages && live; n++) {
        const page = await doc.getPage(n);
        if (!live) return;
        const turn = (page.rotate + r) % 360;
        const natural = page.getViewport({ scale: 1, rotation: turn });
        const viewport = page.getViewport({ scale: (room / natural.width) * z, rotation: turn });
        const canvas = canvases.current[n - 1];
        if (!canvas) continue;
        canvas.width = Math.floor(viewport.width * ratio);
        canvas.height = Math.floor(viewport.height * ratio);
        canvas.style.width = `${Math.floor(viewport.width)}px`;
        canvas.style.height = `${Math.floor(viewport.height)}px`;
        const task = page.render({
          canvas,
          viewport,
          ...(ratio !== 1 ? { transform: [ratio, 0, 0, ratio, 0, 0] } : {}),
        });
        tasks.push(task);
        try {
          await task.promise;
        } catch {
          // cancelled by a newer zoom or rotation
        }
      }
    };
    draw().catch((e: unknown) => {
      if (live) setError(new CommandError('internal', `This PDF cannot be drawn: ${e instanceof Error ? e.message : String(e)}`));
    });
    return () => {
      live = false;
      for (const t of tasks) t.cancel();
    };
  }, [doc, z, r, pages]);

  const count = doc?.numPages ?? 0;
  return (
    <>
      <ViewerTools
        extra={
          doc && (
            <span class="viewer__pages" data-testid="viewer-page-count">
              {count === 1 ? '1 page' : `${count} pages`}
              {count > pages ? ` (showing the first ${pages})` : ''}
            </span>
          )
        }
      />
      <div class="viewer__stage viewer__stage--pdf" ref={stage} tabIndex={0} aria-label={`${label}: PDF, scroll to read`}>
        {bytes.state === 'loading' && <p class="loading">Opening the local copy…</p>}
        {bytes.state === 'error' && <ErrorBox error={bytes.error} testid="viewer-error" />}
        {bytes.state === 'ready' && !doc && !error && <p class="loading">Drawing the PDF…</p>}
        {error && <ErrorBox error={error} testid="viewer-error" />}
        {Array.from({ length: pages }, (_, i) => (
          <canvas
            key={i}
            ref={(el) => {
              canvases.current[i] = el;
            }}
            class="viewer__page"
            data-testid="viewer-pdf-page"
            data-page={i + 1}
            role="img"
            aria-label={`${label}, page ${i + 1} of ${count}`}
          />
        ))}
      </div>
    </>
  );
}
