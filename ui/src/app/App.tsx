import { useEffect, useRef } from 'preact/hooks';
import { focusPath } from '../widgets/focus';
import { AuditTrail } from '../screens/AuditTrail';
import { ConflictResolution } from '../screens/ConflictResolution';
import { CustomerEditor } from '../screens/CustomerEditor';
import { DocumentReview } from '../screens/DocumentReview';
import { DraftsLibrary } from '../screens/DraftsLibrary';
import { NeedsReview } from '../screens/NeedsReview';
import { OpenCustomer } from '../screens/OpenCustomer';
import { Outbox } from '../screens/Outbox';
import { ProfileChooser } from '../screens/ProfileChooser';
import { Review } from '../screens/Review';
import { Settings } from '../screens/Settings';
import { Submission } from '../screens/Submission';
import { Team } from '../screens/Team';
import { installFlushTriggers } from '../state/drafts';
import { startApp } from '../state/startup';
import { summaryAlert } from '../state/editor';
import { focusOnArrival, screen } from '../state/navigation';
import { activeEnvironment, reference, session, startupError } from '../state/session';
import { ErrorBox } from '../widgets/ErrorBox';
import { Header } from './Header';
import { ToastHost } from '../widgets/Toast';

/** The shell: header, then the current screen. Focus goes to the screen's heading on change. */
export function App() {
  const env = activeEnvironment.value;
  const main = useRef<HTMLElement>(null);
  const current = screen.value;
  const ready = session.value !== null && reference.value !== null;

  useEffect(() => installFlushTriggers(), []);

  useEffect(() => {
    // "Jump to field" from the documents screen: that field takes focus.
    const path = focusOnArrival.peek();
    if (path !== null) {
      focusOnArrival.value = null;
      if (current === 'editor' && focusPath(path)) return;
    }
    // Back in the editor with problems to fix, the error summary takes focus instead.
    if (current === 'editor' && summaryAlert.peek()) return;
    // A screen whose first job is typing (Open a customer, Who is working?) marks its first
    // input with data-autofocus; any other starts at its heading.
    const h = main.current?.querySelector<HTMLElement>('[data-autofocus]') ?? main.current?.querySelector<HTMLElement>('h1');
    if (h) h.focus();
    // Also once the first screen replaces "Loading…" (a start with the last profile resumed
    // shows Open a customer without a screen change).
  }, [current, ready]);

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
            <ErrorBox error={startupError.value} onRetry={() => void startApp()} testid="startup-error" />
          </section>
        ) : !ready ? (
          <p class="loading" aria-live="polite">
            Loading…
          </p>
        ) : (
          <Screen name={current} />
        )}
      </main>
      <ToastHost />
    </div>
  );
}

function Screen({ name }: { name: string }) {
  switch (name) {
    case 'settings':
      return <Settings />;
    case 'editor':
      return <CustomerEditor />;
    case 'review':
      return <Review />;
    case 'submission':
      return <Submission />;
    case 'conflict':
      return <ConflictResolution />;
    case 'drafts':
      return <DraftsLibrary />;
    case 'needs-review':
      return <NeedsReview />;
    case 'outbox':
      return <Outbox />;
    case 'profile':
      return <ProfileChooser />;
    case 'documents':
      return <DocumentReview />;
    case 'audit':
      return <AuditTrail />;
    case 'team':
      return <Team />;
    default:
      return <OpenCustomer />;
  }
}
