// DEV ONLY entry (mock.html): the page against the mock backend, e.g. /mock.html?production
import { installMockBackend } from './mockBackend';

const q = new URLSearchParams(location.search);
installMockBackend({
  production: q.has('production'),
  rejectWith: q.has('reject')
    ? [{ field: 'business_person_list[0].identification.id_number', code: 'id_mismatch', message: 'The ID number does not match the document.' }]
    : undefined,
});
await import('../main');
