/** What to tell people about a CommandError, chosen by `kind` (the message is shown as detail). */

import type { CommandError } from '../ipc';

export interface ErrorText {
  title: string;
  /** Offer a way to fix it: go to Settings, or try again. */
  action?: 'settings' | 'retry';
}

export function describeError(e: CommandError, env?: string): ErrorText {
  const where = env ? ` (${env})` : '';
  switch (e.kind) {
    case 'not_found':
      return { title: 'No such customer' + where };
    case 'unauthorized':
      return { title: `The partner refused the credentials${where}`, action: 'settings' };
    case 'credentials_missing':
      return { title: `No credentials stored for this environment${where}`, action: 'settings' };
    case 'keychain_unavailable':
      return { title: 'The system keychain is not available', action: 'settings' };
    case 'network':
      return { title: `Cannot reach the partner${where}`, action: 'retry' };
    case 'timeout':
      return { title: 'The partner did not answer in time', action: 'retry' };
    case 'rate_limited':
      return {
        title: e.retryAfterSecs ? `Too many requests; try again in ${e.retryAfterSecs} s` : 'Too many requests; try again shortly',
        action: 'retry',
      };
    case 'server':
    case 'malformed_response':
    case 'unexpected_status':
      return { title: 'The partner failed to answer properly', action: 'retry' };
    case 'conflict':
      return { title: 'The partner refused the request as conflicting' };
    case 'insecure_url':
      return { title: 'Insecure URL', action: 'settings' };
    case 'invalid_url':
      return { title: 'Invalid URL', action: 'settings' };
    case 'invalid_record':
      return { title: 'The record has problems to fix' };
    case 'rejected':
      return { title: 'The partner rejected the record' };
    case 'confirmation_required':
      return { title: 'Confirmation required' };
    case 'invalid_input':
      return { title: 'Invalid input' };
    case 'unavailable':
      return { title: 'Not running inside KYB Desk' };
    case 'draft_not_found':
      return { title: 'This draft no longer exists (deleted or already sent)' };
    case 'draft_unreadable':
      return { title: 'This draft cannot be opened: it was sealed with a key that is no longer in the keychain, or it is damaged' };
    case 'draft_exists':
      return { title: 'A newer draft of this customer was saved since; it was not replaced' };
    case 'outbox_busy':
      return { title: 'This submission is being sent right now; try again in a moment', action: 'retry' };
    case 'unresolved_conflicts':
      return { title: 'Choose Theirs or Mine for every conflicting field' };
    case 'no_profile':
      return { title: 'Choose who is working first: this action records who did it' };
    case 'self_approval':
      return { title: 'You prepared this change, so another profile must review its documents and approve it' };
    case 'approval_required':
      return { title: 'This environment requires an approval by another profile before submitting' };
    case 'checklist_incomplete':
      return { title: 'The review checklist is not complete' };
    case 'approval_refused':
      return { title: 'This change cannot be approved' };
    case 'document_copy_missing':
      return { title: 'KYB Desk has no copy of this document' };
    case 'team_not_connected':
      return { title: 'This desktop is not connected to a team server', action: 'settings' };
    case 'team_not_signed_in':
      return { title: 'Sign in to the team first (Settings → Team)', action: 'settings' };
    case 'team_unreachable':
      return { title: 'The team server cannot be reached', action: 'retry' };
    case 'team_refused':
      return { title: 'The team server refused this' };
    case 'team_stale':
      return { title: 'Someone else changed this team draft first', action: 'retry' };
    case 'team_trail_broken':
      return { title: 'The team’s audit trail does not match what this desktop kept: do not trust it, tell your administrator' };
    default:
      return { title: 'Something went wrong' };
  }
}
