/**
 * DEV ONLY: a stand-in for the Rust side so the page can be looked at in a plain browser
 * (`npm run dev`, then open /mock.html) and driven by component tests. It is never part of the
 * build (`index.html` does not import it). Its "validation" is a deliberately tiny fixture that
 * flags the demo record's planted problems; the real rules live only in kyb-core. The reference
 * data is the real back end's answer, recorded (./recorded.ts).
 */

import { mockIPC } from '@tauri-apps/api/mocks';
import type { Customer, DiffGroup, DiffView, Draft, FieldChange, Issue, OutboxEntry, Session, UpdateCustomerRequest } from '../types';
import demo from './demoCustomers.json';
import { createMockOutbox, type MockOutboxOptions, type MockOutbox } from './mockOutbox';
import { replay } from './recorded';
import { createMockReview, type MockReview, type MockReviewOptions } from './mockReview';
import { createMockSearch, type MockSearch } from './mockSearch';
import { createMockSettings } from './mockSettings';
import { createMockTeam, type MockTeam } from './mockTeam';

const clone = <T>(v: T): T => JSON.parse(JSON.stringify(v)) as T;

function flatten(v: unknown, path: string, out: Map<string, string>) {
  if (v === null || v === undefined) return;
  if (Array.isArray(v)) v.forEach((x, i) => flatten(x, `${path}[${i}]`, out));
  else if (typeof v === 'object') for (const [k, x] of Object.entries(v)) flatten(x, path ? `${path}.${k}` : k, out);
  else out.set(path, String(v));
}

export function mockDiff(base: unknown, edited: unknown): FieldChange[] {
  const a = new Map<string, string>();
  const b = new Map<string, string>();
  flatten(base, '', a);
  flatten(edited, '', b);
  const out: FieldChange[] = [];
  for (const k of new Set([...a.keys(), ...b.keys()])) {
    if (a.get(k) !== b.get(k)) {
      const c: FieldChange = { path: k };
      if (a.has(k)) c.before = a.get(k)!;
      if (b.has(k)) c.after = b.get(k)!;
      out.push(c);
    }
  }
  return out;
}

/**
 * The fixture's diff as `diff_record` answers (NOT the real grouping, order or labels, which
 * live in kyb-core): one group per section or person, rows named by their paths.
 */
export function mockDiffView(base: unknown, edited: unknown): DiffView {
  const groups: DiffGroup[] = [];
  for (const c of mockDiff(base, edited)) {
    const key = /^[a-z_]+(\[\d+\])?/.exec(c.path)?.[0] ?? c.path;
    let group = groups.find((g) => g.key === key);
    if (!group) groups.push((group = { key, label: key, change: 'changed', rows: [] }));
    group.rows.push({ ...c, label: c.path, kind: 'text' });
  }
  return { groups, field_count: groups.reduce((n, g) => n + g.rows.length, 0), files: [], changes: mockDiff(base, edited) };
}

/** The fixture's checks (NOT the rules): just enough to show issues in the page. */
export function mockValidate(record: UpdateCustomerRequest): Issue[] {
  const issues: Issue[] = [];
  const flat = new Map<string, string>();
  flatten(record, '', flat);
  if (!flat.get('business_details.business_name_english')?.trim())
    issues.push({ path: 'business_details.business_name_english', code: 'required', source: 'policy', message: 'KYB Desk policy: Business name (English) is required.' });
  for (const [path, v] of flat) {
    if (path.endsWith('website') && v.startsWith('http:'))
      issues.push({ path, code: 'not_https', source: 'policy', message: 'KYB Desk policy: Website must use https.' });
    if (/(country_code|nationality|operating_country)$/.test(path) && /^[a-z]{2}$/.test(v))
      issues.push({ path, code: 'lowercase_country', source: 'standard', message: `Country code "${v}" must be upper case: use "${v.toUpperCase()}".` });
    if (path.endsWith('id_expiration_date') && v < '2025-01-01')
      issues.push({ path, code: 'expired', source: 'policy', message: `KYB Desk policy: The ID expired on ${v.slice(0, 10)}; upload a current ID.` });
  }
  return issues;
}

export interface MockOptions extends MockOutboxOptions, MockReviewOptions {
  production?: boolean;
  /** Make sending from the outbox end `rejected` with these field errors. */
  rejectWith?: { field?: string; code: string; message: string }[];
}

export interface MockControl extends MockOptions {
  /** Put the demo customers back as they were, and empty the drafts and the outbox (tests run one after another). */
  reset(): void;
  /** Drafts, outbox, workspace and server-side edits (docs/drafts-outbox.md). */
  store: MockOutbox;
  /** Profiles, review, approval, local copies and the audit trail (docs/review-audit.md). */
  review: MockReview;
  /** Customer search, "Open folder" and the start-up facts (./mockSearch.ts). */
  search: MockSearch;
  /**
   * The recorded review scenario's draft (cus_demo_0001 in the Sandbox, a new website and the
   * first representative's ID back, prepared by the recording's officer), stored as Rust
   * answered its save; answers its id. Its review is replayed from the recording (./mockReview.ts).
   */
  seedReviewDraft(): string;
  /** Team mode: solo until `team.connect()` (./mockTeam.ts). */
  team: MockTeam;
}

/** Returns the options object; changing it later changes the mock's behaviour (for tests). */
export function installMockBackend(options: MockOptions = {}): MockControl {
  const customers = new Map<string, Customer>();
  const settings = createMockSettings();
  // eslint-disable-next-line prefer-const
  let store: MockOutbox;
  // eslint-disable-next-line prefer-const
  let review: MockReview;
  const opts = {
    ...options,
    reset() {
      customers.clear();
      for (const c of demo as Customer[]) customers.set(c.customer_id, clone(c));
      store?.clear();
      review?.clear();
      opts.team?.clear();
      settings.clear();
    },
  } as MockControl;
  const session: Session = {
    environments: [
      { name: 'Sandbox', base_url: 'http://127.0.0.1:8083', host: '127.0.0.1:8083', colour: '#7a4cc2', is_production: false, requires_approval: false, has_credentials: true, built_in: true, team: false },
      { name: 'Production', base_url: 'https://partner.example.com', host: 'partner.example.com', colour: '#c81e1e', is_production: true, requires_approval: true, has_credentials: false, built_in: false, team: false },
    ],
    active: opts.production ? 'Production' : 'Sandbox',
    recent: [{ environment: 'Sandbox', customer_id: 'cus_demo_0004', partner_customer_id: 'P-1004', business_name_english: 'Thames Valley Textiles Ltd', opened_at: '2025-03-14T09:21:00Z' }],
  };
  const sections = (c: Customer): UpdateCustomerRequest => {
    const { customer_id: _a, partner_customer_id: _b, status: _c, created_at: _d, ...rest } = clone(c);
    return rest;
  };
  const fail = (kind: string, message: string, extra: Record<string, unknown> = {}) => {
    throw { kind, message, ...extra };
  };
  store = createMockOutbox({
    opts,
    customers,
    activeEnvironment: () => session.environments.find((x) => x.name === session.active)!,
    sections,
    validate: mockValidate,
    fail,
    beforeQueue: (d) =>
      review.checkQueue(d, session.environments.find((e) => e.name === d.environment)?.requires_approval === true || (d.environment === 'Sandbox' && opts.sandboxRequiresApproval === true)),
  });
  opts.store = store;
  review = createMockReview({ opts, drafts: store.drafts, fail });
  opts.review = review;
  opts.search = createMockSearch();
  opts.team = createMockTeam({
    fail,
    localCopy: (environment, customerId) => {
      // A customer the demo set lacks starts from a record with just its name.
      const c = customers.get(customerId);
      const record: UpdateCustomerRequest = c ? sections(c) : { business_details: { business_name_english: `Team customer ${customerId}` } } as UpdateCustomerRequest;
      const existing = store.draftFor(environment, customerId);
      const answer = store.handle('save_draft', {
        draft: {
          ...(existing ? { id: existing.id } : {}),
          environment,
          target: { kind: 'update', customer_id: customerId },
          base: { record, ...(c ? { partner_customer_id: c.partner_customer_id, status: c.status } : {}), fetched_at: new Date().toISOString() },
          record: existing?.record ?? record,
        },
      });
      return (answer.handled ? answer.value : fail('internal', 'mock: no draft store')) as Draft;
    },
  });
  opts.seedReviewDraft = () => {
    const d = review.recordedDraft();
    store.drafts.set(d.id, d);
    return d.id;
  };
  opts.reset();
  (globalThis as { isTauri?: boolean }).isTauri = true;
  // A document call is a raw body with its arguments in headers (ipc.ts); mockIPC hands its
  // callback the body only, so the headers are kept here for the call they belong to.
  let documentHeaders: Record<string, string> = {};
  const staged = new Map<string, { cmd: string; args: Record<string, unknown>; chunks: Uint8Array[]; received: number }>();
  let stagedCount = 0;
  const documentArgs = (bytes: Uint8Array): Record<string, unknown> => {
    const names: Record<string, string> = { 'kyb-file-name': 'file_name', 'kyb-file-type': 'file_type', 'kyb-draft-id': 'id', 'kyb-file-id': 'file_id', 'kyb-upload-id': 'upload_id', 'kyb-upload-offset': 'offset' };
    const args: Record<string, unknown> = { bytes };
    for (const [header, value] of Object.entries(documentHeaders)) if (names[header]) args[names[header]] = decodeURIComponent(value);
    documentHeaders = {};
    return args;
  };
  mockIPC(async (cmd, raw) => {
    const args = (raw instanceof Uint8Array ? documentArgs(raw) : (raw ?? {})) as Record<string, unknown>;
    await new Promise((r) => setTimeout(r, 20));
    switch (cmd) {
      case 'get_session':
        return clone(session);
      case 'reference_data':
        return replay('reference_data');
      case 'select_environment':
        session.active = String(args.name);
        return clone(session);
      case 'save_environment': {
        const e = args.environment as { name: string; base_url: string; colour: string; is_production: boolean; requires_approval?: boolean };
        if (e.base_url.startsWith('http://') && !e.base_url.includes('127.0.0.1') && !e.base_url.includes('localhost'))
          fail('insecure_url', `refusing to send credentials over plain http to ${e.base_url}; use https`, { field: 'base_url' });
        const existing = session.environments.find((x) => x.name === e.name);
        const view = { ...e, host: hostOf(e.base_url), requires_approval: e.requires_approval ?? e.is_production, has_credentials: existing?.has_credentials ?? false, built_in: false, team: false };
        session.environments = existing ? session.environments.map((x) => (x.name === e.name ? view : x)) : [...session.environments, view];
        return clone(session);
      }
      case 'delete_environment':
        session.environments = session.environments.filter((x) => x.name !== args.name);
        return clone(session);
      case 'set_credentials':
      case 'clear_credentials': {
        const env = session.environments.find((x) => x.name === args.environment);
        if (env) env.has_credentials = cmd === 'set_credentials';
        return clone(session);
      }
      case 'open_customer': {
        const lookup = args.lookup as { by: string; value: string };
        const c = [...customers.values()].find((x) => (lookup.by === 'customer_id' ? x.customer_id : x.partner_customer_id) === lookup.value);
        if (!c) return fail('not_found', `the partner API has no customer ${lookup.value}`, { status: 404 });
        if (!store.isOnline()) return fail('network', 'cannot reach the partner API (offline)', { retryable: true });
        const draft = store.draftFor(session.active, c.customer_id);
        return { customer: clone(c), record: sections(c), fetched_at: new Date().toISOString(), ...(draft ? { draft } : {}) };
      }
      case 'validate_record': {
        const issues = mockValidate(args.record as UpdateCustomerRequest);
        const pid = args.partner_customer_id as string | null | undefined;
        if (pid != null && pid.trim() === '')
          issues.unshift({ path: 'partner_customer_id', code: 'required', source: 'partner', message: 'Partner customer ID is required.' });
        return issues;
      }
      case 'diff_record':
        return mockDiffView(args.base, args.edited);
      // Documents sent in chunks (ipc.ts): gathered here, then finished as the whole-file
      // commands the recording made.
      case 'begin_document_upload':
      case 'begin_document_copy': {
        const uploadId = `up-${++stagedCount}`;
        staged.set(uploadId, { cmd, args: { ...args }, chunks: [], received: 0 });
        return { upload_id: uploadId, max_chunk_bytes: 256 * 1024 };
      }
      case 'append_document_chunk': {
        const upload = staged.get(String(args.upload_id));
        if (!upload) return fail('invalid_input', `no upload ${String(args.upload_id)} is in progress`, { field: 'upload_id' });
        if (Number(args.offset) !== upload.received) return fail('invalid_input', `the next chunk starts at byte ${upload.received}`, { field: 'offset' });
        const chunk = args.bytes as Uint8Array;
        upload.chunks.push(chunk);
        upload.received += chunk.length;
        return upload.received;
      }
      case 'cancel_document_upload':
        staged.delete(String(args.upload_id));
        return null;
      case 'finish_document_upload':
      case 'finish_document_copy': {
        const upload = staged.get(String(args.upload_id));
        if (!upload) return fail('invalid_input', `no upload ${String(args.upload_id)} is in progress`, { field: 'upload_id' });
        staged.delete(String(args.upload_id));
        const bytes = new Uint8Array(upload.received);
        let at = 0;
        for (const chunk of upload.chunks) {
          bytes.set(chunk, at);
          at += chunk.length;
        }
        if (cmd === 'finish_document_copy') {
          const reviewed = review.handle('attach_document_copy', { ...upload.args, bytes });
          return reviewed.handled ? reviewed.value : fail('internal', 'mock: attach_document_copy not handled');
        }
        const file_id = `file_${String(upload.args.file_name).replace(/[^A-Za-z0-9]/g, '_')}`;
        review.keepUpload(file_id, bytes);
        return { file_id };
      }
      case 'upload_document': {
        const file_id = `file_${String(args.file_name).replace(/[^A-Za-z0-9]/g, '_')}`;
        review.keepUpload(file_id, new Uint8Array((args.bytes ?? []) as number[]));
        return { file_id };
      }
      case 'save_draft': {
        const handled = store.handle(cmd, args);
        if (handled.handled) review.afterSave(handled.value as Draft);
        return handled.handled ? handled.value : undefined;
      }
      case 'queue_draft': {
        const handled = store.handle(cmd, args);
        if (handled.handled) review.afterQueue(handled.value as OutboxEntry);
        return handled.handled ? handled.value : undefined;
      }
      default: {
        const configured = settings.handle(cmd, args);
        if (configured.handled) return configured.value;
        const found = opts.search.handle(cmd, args);
        if (found.handled) return found.value;
        const reviewed = review.handle(cmd, args);
        if (reviewed.handled) return reviewed.value;
        const team = opts.team.handle(cmd, args);
        if (team.handled) return team.value;
        const handled = store.handle(cmd, args);
        if (handled.handled) return handled.value;
        return fail('internal', `mock: unknown command ${cmd}`);
      }
    }
  });
  const internals = (window as unknown as { __TAURI_INTERNALS__: { invoke: (cmd: string, args?: unknown, options?: { headers?: Record<string, string> }) => Promise<unknown> } }).__TAURI_INTERNALS__;
  const mocked = internals.invoke;
  internals.invoke = (cmd, args, options) => {
    if (args instanceof Uint8Array) documentHeaders = { ...(options?.headers ?? {}) };
    return mocked(cmd, args, options);
  };
  return opts;
}

/** The dev mock's stand-in for the host Rust derives from an environment's URL. */
function hostOf(baseUrl: string): string {
  try {
    return new URL(baseUrl).host;
  } catch {
    return baseUrl;
  }
}
