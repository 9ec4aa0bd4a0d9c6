import { dismissToast, toast, undoToast } from '../state/toast';

/** The undo toast ("Draft deleted. Undo"): a polite status at the bottom of the window. */
export function ToastHost() {
  const t = toast.value;
  return (
    <div class="toast-host" role="status" aria-live="polite" aria-atomic="true">
      {t && (
        <div class="toast" data-testid="toast">
          <span class="toast__message">{t.message}</span>
          {t.error && (
            <span class="toast__error" data-testid="toast-error" data-kind={t.error.kind}>
              Undo failed: {t.error.message}
            </span>
          )}
          {t.undo && (
            <button type="button" class="btn btn--small" data-testid="undo-button" onClick={() => void undoToast()}>
              Undo
            </button>
          )}
          <button type="button" class="btn btn--small btn--quiet" aria-label="Dismiss" data-testid="toast-dismiss" onClick={dismissToast}>
            ✕
          </button>
        </div>
      )}
    </div>
  );
}
