/**
 * pdf.js, loaded only when a PDF is shown (a separate chunk). The legacy build runs on the
 * WebKitGTK versions the desktop app meets; eval stays off (`isEvalSupported: false`).
 *
 * Its worker is a file of this app (`?url`). The page starts that worker itself and hands it to
 * pdf.js as `workerPort`: pdf.js would otherwise see the app's `tauri://` origin as opaque, wrap
 * the worker in a `blob:` URL, and the strict CSP (no `blob:` workers) would push it onto the
 * main thread. Should the worker not start, pdf.js gets its `workerSrc` and finds its own way.
 */

import { getDocument, GlobalWorkerOptions, type PDFDocumentProxy } from 'pdfjs-dist/legacy/build/pdf.mjs';
import workerUrl from 'pdfjs-dist/legacy/build/pdf.worker.min.mjs?url';

GlobalWorkerOptions.workerSrc = workerUrl;

export type { PDFDocumentProxy };

/** The shared worker: not started yet (`undefined`), running, or unusable (`null`). */
let port: Worker | null | undefined;
/** Rejects if the worker fails to start. */
let portFailed: Promise<never> | undefined;

function startPort() {
  if (port !== undefined || typeof Worker !== 'function') return;
  try {
    const w = new Worker(workerUrl, { type: 'module', name: 'pdf.js' });
    portFailed = new Promise<never>((_, reject) => {
      w.addEventListener(
        'error',
        (e) => {
          e.preventDefault();
          port = null;
          portFailed = undefined;
          GlobalWorkerOptions.workerPort = null;
          w.terminate();
          reject(new Error('the PDF worker could not start'));
        },
        { once: true },
      );
    });
    portFailed.catch(() => undefined);
    port = w;
    GlobalWorkerOptions.workerPort = w;
  } catch {
    port = null;
  }
}

function load(bytes: ArrayBuffer) {
  // pdf.js takes the bytes over (transferred to its worker): it gets a copy.
  return getDocument({ data: new Uint8Array(bytes.slice(0)), isEvalSupported: false, enableXfa: false });
}

export interface OpenedPdf {
  promise: Promise<PDFDocumentProxy>;
  cancel(): void;
}

/**
 * Documents on the shared worker share one pdf.js worker object, which a document's destroy
 * takes down: the next document waits until that is done (pdf.js refuses it meanwhile).
 */
let closing: Promise<unknown> = Promise.resolve();

export function closePdf(d: { destroy(): Promise<void> }) {
  closing = Promise.all([closing, d.destroy().catch(() => undefined)]);
}

/** Open PDF bytes; falls back to pdf.js's own worker set-up when the shared worker fails. */
export function openPdf(bytes: ArrayBuffer): OpenedPdf {
  let task: ReturnType<typeof load> | null = null;
  let cancelled = false;
  const promise = (async () => {
    await closing;
    if (cancelled) throw new Error('cancelled');
    startPort();
    const failed = portFailed;
    task = load(bytes);
    if (!failed) return task.promise;
    try {
      return await Promise.race([task.promise, failed]);
    } catch (e) {
      if (port !== null || cancelled) throw e;
      closePdf(task);
      await closing;
      task = load(bytes);
      return task.promise;
    }
  })();
  return {
    promise,
    cancel() {
      cancelled = true;
      if (task) closePdf(task);
    },
  };
}
