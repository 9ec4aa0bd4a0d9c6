// DEV ONLY entry (mock.html): the page against the mock backend, e.g. /mock.html?production
//   ?reject     sending is rejected with a field error
//   ?offline    the partner cannot be reached (drafts and queueing still work)
//   ?nokeychain drafts cannot be stored
//   ?conflict   the server's website of cus_demo_0001 changes after you open it (edit the website too)
//   ?many       10,000 drafts in the library
//   ?noprofile  nobody chosen yet: "Who is working?" at start
//   ?approval   the Sandbox requires approval before submitting (Production always does)
//   ?brokenchain the audit chain check reports problems
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
