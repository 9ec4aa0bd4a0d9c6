import type { CommandError } from '../ipc';
import { go } from '../state/navigation';
import { describeError } from './errors';

/** A command failure: a title chosen by kind, the message, and a way out when there is one. */
export function ErrorBox(p: { error: CommandError; env?: string; onRetry?: () => void; testid?: string; alert?: boolean }) {
  const t = describeError(p.error, p.env);
  return (
    <div class="notice notice--error" role={p.alert === false ? undefined : 'alert'} data-testid={p.testid ?? 'error'} data-kind={p.error.kind}>
      <p class="notice__title">
        <span aria-hidden="true">⚠ </span>
        {t.title}
      </p>
      <p class="notice__detail">{p.error.message}</p>
      {(t.action === 'settings' || (t.action === 'retry' && p.onRetry)) && (
        <p class="notice__actions">
          {t.action === 'settings' && (
            <button type="button" class="btn btn--small" data-testid="error-go-settings" onClick={() => go('settings')}>
              Open Settings
            </button>
          )}
          {t.action === 'retry' && p.onRetry && (
            <button type="button" class="btn btn--small" data-testid="error-retry" onClick={p.onRetry}>
              Try again
            </button>
          )}
        </p>
      )}
    </div>
  );
}
