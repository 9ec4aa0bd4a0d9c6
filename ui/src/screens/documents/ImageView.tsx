import { useEffect, useLayoutEffect, useRef, useState } from 'preact/hooks';
import { ErrorBox } from '../../widgets/ErrorBox';
import { rotation, zoom } from '../../state/review';
import type { DocumentCopy } from '../../types';
import { useCopyBytes } from './useCopyBytes';
import { ViewerTools } from './ViewerTools';

/**
 * An image copy: a Blob URL of its bytes (img-src allows blob:; revoked when done), fitted to the
 * viewer's width at 100 % (small scans enlarged up to 4×), zoomed and rotated by setting sizes and the transform through the
 * CSSOM (no style attributes: strict CSP). The box around it takes the rotated size, so a
 * zoomed image scrolls to every edge.
 */
export function ImageView({ draftId, copy, label }: { draftId: string; copy: DocumentCopy; label: string }) {
  const bytes = useCopyBytes(draftId, copy);
  const [url, setUrl] = useState<string | null>(null);
  const [natural, setNatural] = useState<{ w: number; h: number } | null>(null);
  const stage = useRef<HTMLDivElement>(null);
  const box = useRef<HTMLDivElement>(null);
  const img = useRef<HTMLImageElement>(null);

  useEffect(() => {
    if (bytes.state !== 'ready' || typeof URL.createObjectURL !== 'function') return;
    const u = URL.createObjectURL(new Blob([bytes.bytes], { type: copy.media_type }));
    setUrl(u);
    setNatural(null);
    return () => {
      URL.revokeObjectURL(u);
      setUrl(null);
    };
  }, [bytes]);

  const z = zoom.value;
  const r = rotation.value;
  useLayoutEffect(() => {
    const b = box.current;
    const i = img.current;
    if (!b || !i) return;
    if (!natural || natural.w === 0 || natural.h === 0) {
      b.style.removeProperty('width');
      b.style.removeProperty('height');
      i.style.transform = `rotate(${r}deg)`;
      return;
    }
    const turned = r % 180 !== 0;
    const room = Math.max(120, (stage.current?.clientWidth ?? 0) - 40);
    // 100 % = the whole image across the viewer: a small scan is enlarged (up to 4×) so its
    // details can be read; a large one is shrunk to fit.
    const fit = Math.min(4, room / (turned ? natural.h : natural.w));
    const w = natural.w * fit * z;
    const h = natural.h * fit * z;
    b.style.width = `${turned ? h : w}px`;
    b.style.height = `${turned ? w : h}px`;
    i.style.width = `${w}px`;
    i.style.height = `${h}px`;
    i.style.transform = `translate(-50%, -50%) rotate(${r}deg)`;
  }, [natural, z, r, url]);

  return (
    <>
      <ViewerTools />
      <div class="viewer__stage" ref={stage} tabIndex={0} aria-label={`${label}: image, scroll to pan`}>
        {bytes.state === 'loading' && <p class="loading">Opening the local copy…</p>}
        {bytes.state === 'error' && <ErrorBox error={bytes.error} testid="viewer-error" />}
        {url && (
          <div class="viewer__box" ref={box}>
            <img
              ref={img}
              class={`viewer__image${natural ? ' viewer__image--sized' : ''}`}
              data-testid="viewer-image"
              data-zoom={z}
              data-rotation={r}
              src={url}
              alt={`${label} (${copy.file_name})`}
              onLoad={(e) => setNatural({ w: e.currentTarget.naturalWidth, h: e.currentTarget.naturalHeight })}
            />
          </div>
        )}
      </div>
    </>
  );
}
