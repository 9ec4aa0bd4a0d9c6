// DEV ONLY entry (mock.html): the page against the mock backend, e.g. /mock.html?production
//   ?reject     sending is rejected with a field error
//   ?offline    the partner cannot be reached (drafts and queueing still work)
//   ?nokeychain drafts cannot be stored
//   ?conflict   the server's website of cus_demo_0001 changes after you open it (edit the website too)
//   ?many       10,000 drafts in the library
//   ?noprofile  nobody chosen yet: "Who is working?" at start
//   ?approval   the Sandbox requires approval before submitting (Production always does)
//   ?brokenchain the audit chain check reports problems
//   ?review=cus_demo_0001  the documents screen of a draft Blake Chen prepared (you are Alex Morgan)
//   ?audit      the audit trail, after a few decisions on such a draft
import { installMockBackend } from './mockBackend';

const q = new URLSearchParams(location.search);
const mock = installMockBackend({
  production: q.has('production'),
  online: !q.has('offline'),
  noKeychain: q.has('nokeychain'),
  noProfile: q.has('noprofile'),
  sandboxRequiresApproval: q.has('approval'),
  brokenChain: q.has('brokenchain'),
  rejectWith: q.has('reject')
    ? [{ field: 'business_person_list[0].identification.id_number', code: 'id_mismatch', message: 'The ID number does not match the document.' }]
    : undefined,
});
if (q.has('many')) mock.store.seedDrafts(10_000);
if (q.has('conflict')) setTimeout(() => mock.store.editServer('cus_demo_0001', 'business_details.website', 'https://acme.example.org'), 3000);
await import('../main');
const reviewOf = q.get('review') || (q.has('audit') ? 'cus_demo_0001' : null);
if (reviewOf) {
  const id = mock.seedReviewDraft(reviewOf, 'Blake Chen');
  const { openDocumentsReview } = await import('../state/review');
  const { openAudit } = await import('../state/audit');
  if (q.has('audit')) {
    mock.review.handle('decide_document', { id, file_id: 'file_demo_acme_doe_passport', decision: 'verified', reasons: [], note: '' });
    mock.review.handle('decide_document', { id, file_id: 'file_demo_acme_ein_letter', decision: 'rejected', reasons: ['illegible'], note: 'Scan is blurred' });
    mock.review.handle('confirm_identifier', { id, path: 'business_details.business_identifier_number', confirmed: true });
  }
  setTimeout(() => (q.has('audit') ? openAudit() : openDocumentsReview(id)), 400);
}
