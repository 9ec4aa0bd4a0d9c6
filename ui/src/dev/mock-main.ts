// DEV ONLY entry (mock.html): the page against the mock backend, e.g. /mock.html?production
//   ?reject     sending is rejected with a field error
//   ?offline    the partner cannot be reached (drafts and queueing still work)
//   ?nokeychain drafts cannot be stored
//   ?conflict   the server's website of cus_demo_0001 changes after you open it (edit the website too)
//   ?many       10,000 drafts in the library
//   ?noprofile  nobody chosen yet: "Who is working?" at start
//   ?approval   the Sandbox requires approval: queueing there throws, its refusal was not recorded
//   ?review     the documents screen of the recorded draft Olivia Officer prepared (you are Rita Reviewer)
//   ?audit      the audit trail after the recorded review (approved)
//   ?brokenchain the audit trail after someone edited the audit file (the recording's last answer)
//   ?team       connected to a fixture team server, signed in as Rita Reviewer (./mockTeam.ts)
// The review and the audit trail replay the real back end's recorded answers (./recorded.ts).
import { installMockBackend } from './mockBackend';

const q = new URLSearchParams(location.search);
const mock = installMockBackend({
  production: q.has('production'),
  online: !q.has('offline'),
  noKeychain: q.has('nokeychain'),
  noProfile: q.has('noprofile'),
  sandboxRequiresApproval: q.has('approval'),
  rejectWith: q.has('reject')
    ? [{ field: 'business_person_list[0].identification.id_number', code: 'id_mismatch', message: 'The ID number does not match the document.' }]
    : undefined,
});
if (q.has('many')) mock.store.seedDrafts(10_000);
if (q.has('team')) mock.team.connect();
if (q.has('conflict')) setTimeout(() => mock.store.editServer('cus_demo_0001', 'business_details.website', 'https://acme.example.org'), 3000);
await import('../main');
if (q.has('review') || q.has('audit') || q.has('brokenchain')) {
  const id = mock.seedReviewDraft();
  // The recording starts with the officer's calls; the reviewer's first look comes after them.
  if (q.has('review') && mock.review.profile() === 'Rita Reviewer') mock.review.playThrough('review_status', 2);
  const { openDocumentsReview } = await import('../state/review');
  const { openAudit } = await import('../state/audit');
  if (q.has('brokenchain')) mock.review.playThrough('end');
  else if (q.has('audit')) mock.review.playThrough('approve_draft', 2);
  setTimeout(() => (q.has('review') ? openDocumentsReview(id) : openAudit()), 400);
}
