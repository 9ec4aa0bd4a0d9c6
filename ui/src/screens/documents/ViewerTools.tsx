import type { ComponentChildren } from 'preact';
import { rotate, rotation, zoom, zoomIn, zoomOut, zoomReset, ZOOM_MAX, ZOOM_MIN } from '../../state/review';

/** Zoom in / out / reset and rotate 90° (keys + − 0 r), for images and PDFs alike. */
export function ViewerTools({ extra }: { extra?: ComponentChildren }) {
  const z = zoom.value;
  return (
    <div class="viewer__tools" role="toolbar" aria-label="Viewer" data-testid="viewer-tools">
      <button type="button" class="btn btn--small" data-testid="zoom-out" aria-keyshortcuts="-" title="Zoom out (−)" disabled={z <= ZOOM_MIN} onClick={zoomOut}>
        <span aria-hidden="true">−</span>
        <span class="visually-hidden">Zoom out</span>
      </button>
      <span class="viewer__zoom" data-testid="zoom-level" aria-live="polite">
        {Math.round(z * 100)}%
      </span>
      <button type="button" class="btn btn--small" data-testid="zoom-in" aria-keyshortcuts="+" title="Zoom in (+)" disabled={z >= ZOOM_MAX} onClick={zoomIn}>
        <span aria-hidden="true">+</span>
        <span class="visually-hidden">Zoom in</span>
      </button>
      <button type="button" class="btn btn--small" data-testid="zoom-reset" aria-keyshortcuts="0" title="Reset zoom and rotation (0)" onClick={zoomReset}>
        Reset
      </button>
      <button type="button" class="btn btn--small" data-testid="rotate" aria-keyshortcuts="r" title="Rotate 90° clockwise (r)" onClick={rotate}>
        <span aria-hidden="true">↻ </span>Rotate
        <span class="visually-hidden"> (now {rotation.value}°)</span>
      </button>
      {extra}
    </div>
  );
}
