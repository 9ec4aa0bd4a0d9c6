import { useState } from 'preact/hooks';
import { testConnection } from '../../ipc';
import type { ConnectionTest } from '../../bindings/ConnectionTest';
import { ErrorBox } from '../../widgets/ErrorBox';
import { useAction } from '../../widgets/useAction';

/**
 * "Test connection": one harmless authenticated request to the environment (Rust's
 * `use_cases::connection`); its answer in words in a status region that is always there, so a
 * screen reader reads each new result.
 */
export function ConnectionCheck({ environment }: { environment: string }) {
  const [result, setResult] = useState<ConnectionTest | null>(null);
  const check = useAction(async () => {
    setResult(null);
    setResult(await testConnection(environment));
  });
  const tone = result ? (result.outcome === 'credentials_accepted' ? 'notice--ok' : 'notice--error') : '';
  return (
    <div class="connection-check" data-testid={`connection-${environment}`}>
      <div class="button-row">
        <button type="button" class="btn btn--small" data-testid="connection-test" disabled={check.busy} aria-label={`Test connection to ${environment}`} onClick={() => void check.run()}>
          {check.busy ? 'Testing…' : 'Test connection'}
        </button>
      </div>
      <div role="status" data-testid="connection-result" data-outcome={result?.outcome}>
        {check.busy && <p>Testing the connection to {environment}…</p>}
        {result && (
          <p class={`notice ${tone}`}>
            <span aria-hidden="true">{result.outcome === 'credentials_accepted' ? '✓ ' : '⚠ '}</span>
            {result.message}
          </p>
        )}
      </div>
      {check.error && <ErrorBox error={check.error} testid="connection-error" />}
    </div>
  );
}
