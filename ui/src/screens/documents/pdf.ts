/**
 * pdf.js, loaded only when a PDF is shown (a separate chunk). The legacy build runs on the
 * WebKitGTK versions the desktop app meets; its worker is a file of this app (`?url`), so the
 * strict CSP (`script-src 'self'`) allows it, and eval stays off (`isEvalSupported: false`).
 */

import { getDocument, GlobalWorkerOptions, type PDFDocumentProxy } from 'pdfjs-dist/legacy/build/pdf.mjs';
import workerUrl from 'pdfjs-dist/legacy/build/pdf.worker.min.mjs?url';

GlobalWorkerOptions.workerSrc = workerUrl;

export type { PDFDocumentProxy };

/** Open PDF bytes (they are handed to the worker). */
export function openPdf(bytes: ArrayBuffer) {
  return getDocument({ data: new Uint8Array(bytes), isEvalSupported: false, enableXfa: false });
}
