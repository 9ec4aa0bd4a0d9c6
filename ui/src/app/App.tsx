import { useEffect, useRef } from 'preact/hooks';
import { CustomerEditor } from '../screens/CustomerEditor';
import { OpenCustomer } from '../screens/OpenCustomer';
import { Review } from '../screens/Review';
import { Settings } from '../screens/Settings';
import { activeEnvironment, reference, screen, session, start, startupError, summaryAlert } from '../state/store';
import { ErrorBox } from './ErrorBox';
import { Header } from './Header';

/** The shell: header, then the current screen. Focus goes to the screen's heading on change. */
export function App() {
  const env = activeEnvironment.value;
  const main = useRef<HTMLElement>(null);
  const current = screen.value;

  useEffect(() => {
    // Back in the editor with problems to fix, the error summary takes focus instead.
    if (current === 'editor' && summaryAlert.peek()) return;
    const h = main.current?.querySelector<HTMLElement>('h1');
    if (h) h.focus();
  }, [current]);

  const ready = session.value !== null && reference.value !== null;
  const envClass = env?.is_production ? 'env-production' : env?.built_in ? 'env-sandbox' : 'env-other';

  return (
    <div class={`app ${envClass}`} data-testid="app" data-screen={current} data-env={env?.name ?? ''}>
      <a class="skip-link" href="#main">
        Skip to content
      </a>
      <Header />
      <main id="main" ref={main} class="app-main" tabIndex={-1}>
        {startupError.value ? (
          <section class="screen">
            <h1 tabIndex={-1}>KYB Desk could not start</h1>
            <ErrorBox error={startupError.value} onRetry={() => void start()} testid="startup-error" />
          </section>
        ) : !ready ? (
          <p class="loading" aria-live="polite">
            Loading…
          </p>
        ) : current === 'settings' ? (
          <Settings />
        ) : current === 'editor' ? (
          <CustomerEditor />
        ) : current === 'review' ? (
          <Review />
        ) : (
          <OpenCustomer />
        )}
      </main>
    </div>
  );
}
