/**
 * DEV ONLY: the drafts store, outbox and workspace of docs/drafts-outbox.md as the mock back end
 * plays them (mock.html and the page tests). Entries move one step per `outbox_status` call while
 * online (queued → sending → sent / conflict / rejected / failed / waiting_retry; Processing →
 * Succeeded two calls later), so tests drive them deterministically by polling. The three-way
 * merge here is a small stand-in for `kyb_core::merge` (leaf by leaf), not its rules.
 */

import type {
  AttemptError,
  Choice,
  Customer,
  Draft,
  DraftBase,
  DraftListItem,
  DraftSave,
  DraftTarget,
  EnvironmentView,
  FieldConflict,
  ImportReport,
  Issue,
  OutboxEntry,
  OutboxStatus,
  UnreadableDraft,
  UpdateCustomerRequest,
} from '../types';
import { setAt } from '../state/paths';

const clone = <T>(v: T): T => JSON.parse(JSON.stringify(v)) as T;
const now = () => new Date().toISOString();

export interface MockOutboxOptions {
  /** `outbox_status.online`; while false nothing is sent and `open_customer` fails with `network`. */
  online?: boolean;
  /** `save_draft` fails with `keychain_unavailable`. */
  noKeychain?: boolean;
  /** The next N attempts fail with a network error (→ Retrying at …). */
  transientFailures?: number;
  /** Sending fails for good with this error (→ Failed). */
  failWith?: AttemptError;
  /** Listed as unreadable drafts. */
  unreadable?: UnreadableDraft[];
}

export interface MockOutbox {
  clear(): void;
  isOnline(): boolean;
  draftFor(environment: string, customerId: string): Draft | null;
  /** Change a customer at the "partner" (someone else's edit, for conflicts). */
  editServer(customerId: string, path: string, value: unknown): void;
  /** Many drafts at once (the library with 10,000). */
  seedDrafts(n: number): void;
  drafts: Map<string, Draft>;
  entries: Map<string, OutboxEntry>;
  workspace(): string | null;
  handle(cmd: string, args: Record<string, unknown>): { handled: true; value: unknown } | { handled: false };
}

/** `u-` + 32 hex, stable per environment and customer (like `update_draft_id`, not the same hash). */
export function mockUpdateId(environment: string, customerId: string): string {
  let out = '';
  for (let round = 0; round < 4; round++) {
    let h = 0x811c9dc5 ^ round;
    for (const ch of `${environment}\u0000${customerId}`) {
      h ^= ch.charCodeAt(0);
      h = Math.imul(h, 0x01000193) >>> 0;
    }
    out += h.toString(16).padStart(8, '0');
  }
  return `u-${out}`;
}

let createSeq = 0;
const createId = () => `c-${(++createSeq).toString(16).padStart(8, '0')}${'0'.repeat(24)}`;

/** Leaf paths and their values (as JSON text) of a record. */
function leaves(v: unknown, path = '', out = new Map<string, string>()): Map<string, string> {
  if (v === null || v === undefined) return out;
  if (Array.isArray(v)) v.forEach((x, i) => leaves(x, `${path}[${i}]`, out));
  else if (typeof v === 'object') for (const [k, x] of Object.entries(v)) leaves(x, path ? `${path}.${k}` : k, out);
  else out.set(path, JSON.stringify(v));
  return out;
}

const text = (json: string | undefined) => (json === undefined ? undefined : String(JSON.parse(json)));

export function mockMerge(base: unknown, theirs: unknown, mine: unknown, choices: Record<string, Choice> = {}) {
  const b = leaves(base);
  const t = leaves(theirs);
  const m = leaves(mine);
  const conflicts: FieldConflict[] = [];
  let merged = clone(theirs ?? {}) as UpdateCustomerRequest;
  for (const p of new Set([...b.keys(), ...t.keys(), ...m.keys()])) {
    const [bv, tv, mv] = [b.get(p), t.get(p), m.get(p)];
    if (mv === bv) continue; // only they changed it (or nobody): theirs stays
    if (tv !== bv && tv !== mv) {
      const c: FieldConflict = { path: p };
      if (bv !== undefined) c.base = text(bv);
      if (tv !== undefined) c.theirs = text(tv);
      if (mv !== undefined) c.mine = text(mv);
      conflicts.push(c);
      if (choices[p] !== 'mine') continue;
    }
    merged = setAt(merged, p, mv === undefined ? undefined : JSON.parse(mv));
  }
  return { merged, conflicts };
}

export function createMockOutbox(ctx: {
  opts: MockOutboxOptions & { rejectWith?: { field?: string; code: string; message: string }[] };
  customers: Map<string, Customer>;
  activeEnvironment: () => EnvironmentView;
  sections: (c: Customer) => UpdateCustomerRequest;
  validate: (r: UpdateCustomerRequest) => Issue[];
  fail: (kind: string, message: string, extra?: Record<string, unknown>) => never;
  /** After the production confirmation, before anything is queued (profile and approval checks). */
  beforeQueue?: (d: Draft) => void;
}): MockOutbox {
  const { opts, customers, fail } = ctx;
  const drafts = new Map<string, Draft>();
  const trash = new Map<string, Draft>();
  const entries = new Map<string, OutboxEntry>();
  const resolved = new Set<string>();
  const settleIn = new Map<string, number>();
  let workspace: string | null = null;
  let sequence = 0;
  let newCustomers = 0;

  const online = () => opts.online !== false;

  const issuesOf = (target: DraftTarget, record: UpdateCustomerRequest): Issue[] => {
    const issues = ctx.validate(record);
    if (target.kind === 'create' && target.partner_customer_id.trim() === '')
      issues.unshift({ path: 'partner_customer_id', code: 'required', source: 'policy', message: 'KYB Desk policy: Partner customer ID is required.' });
    return issues;
  };

  const need = (id: unknown): Draft => drafts.get(String(id)) ?? fail('draft_not_found', `no draft ${String(id)}`, { retryable: false });
  const needEntry = (id: unknown): OutboxEntry => entries.get(String(id)) ?? fail('not_found', `no outbox entry ${String(id)}`, { retryable: false });

  const save = (input: DraftSave): Draft => {
    if (opts.noKeychain) fail('keychain_unavailable', 'no Secret Service keychain is available to seal drafts', { retryable: false });
    const id = input.id ?? (input.target.kind === 'update' ? mockUpdateId(input.environment, input.target.customer_id) : createId());
    const before = drafts.get(id);
    const t = now();
    const d: Draft = {
      id,
      environment: input.environment,
      target: clone(input.target),
      ...(input.base ? { base: clone(input.base) } : {}),
      record: clone(input.record),
      revision: (before?.revision ?? 0) + 1,
      created_at: before?.created_at ?? t,
      updated_at: t,
      issue_count: issuesOf(input.target, input.record).length,
    };
    drafts.set(id, d);
    return clone(d);
  };

  const latestEntry = (draftId: string) =>
    [...entries.values()].filter((e) => e.draft_id === draftId).sort((a, b) => b.sequence - a.sequence)[0];

  const summary = (d: Draft): DraftListItem => {
    const e = latestEntry(d.id);
    const name = d.record.business_details?.business_name_english;
    return {
      id: d.id,
      environment: d.environment,
      target: d.target,
      ...(name ? { business_name_english: name } : {}),
      updated_at: d.updated_at,
      issue_count: d.issue_count,
      revision: d.revision,
      // The mock keeps no review: nobody prepared or approved, nothing requires approval. The count
      // of unsent changes is an approximation (changed leaves), not the Rust diff.
      pending_changes: changedLeaves(d.base?.record ?? {}, d.record),
      preparers: [],
      approval: { state: 'none' },
      requires_approval: false,
      state_summary: 'Unsent changes (mock)',
      needs_my_review: false,
      ...(e ? { outbox: clone(e) } : {}),
    };
  };

  const set = (e: OutboxEntry, patch: Partial<OutboxEntry>) => {
    Object.assign(e, patch, { updated_at: now() });
  };

  /** One step for every entry (called by each outbox_status while online). */
  const advance = () => {
    if (!online()) return;
    const blocked = new Set<string>();
    for (const e of [...entries.values()].sort((a, b) => a.sequence - b.sequence)) {
      const key = JSON.stringify(e.target);
      const s = e.state;
      if (s.state === 'conflict' || s.state === 'rejected' || s.state === 'failed') {
        blocked.add(key);
        continue;
      }
      if (blocked.has(key)) continue;
      if (s.state === 'queued' || (s.state === 'waiting_retry' && Date.parse(s.next_attempt_at) <= Date.now())) {
        set(e, { state: { state: 'sending' }, attempts: e.attempts + 1 });
        blocked.add(key);
      } else if (s.state === 'waiting_retry') {
        blocked.add(key);
      } else if (s.state === 'sending') {
        send(e);
        if (e.state.state !== 'sent') blocked.add(key);
      } else if (s.state === 'sent' && s.customer.status === 'Processing') {
        const left = (settleIn.get(e.id) ?? 2) - 1;
        settleIn.set(e.id, left);
        if (left <= 0) {
          const c = customers.get(s.customer.customer_id)!;
          c.status = 'Succeeded';
          set(e, { state: { ...s, customer: clone(c) } });
          for (const d of drafts.values()) {
            if (d.base?.fetched_at === s.sent_at) d.base = { ...d.base, status: 'Succeeded' };
          }
        }
      }
    }
  };

  const send = (e: OutboxEntry) => {
    if (opts.transientFailures && opts.transientFailures > 0) {
      opts.transientFailures--;
      const last_error: AttemptError = { kind: 'network', message: 'connection refused' };
      set(e, { state: { state: 'waiting_retry', next_attempt_at: new Date(Date.now() + 60_000).toISOString() }, last_error });
      return;
    }
    if (opts.failWith) {
      set(e, { state: { state: 'failed', error: clone(opts.failWith) }, last_error: clone(opts.failWith) });
      return;
    }
    let body = e.prepared ?? e.record;
    if (e.target.kind === 'update') {
      const server = customers.get(e.target.customer_id)!;
      const theirs = ctx.sections(server);
      if (!e.prepared && !resolved.has(e.id)) {
        const { merged, conflicts } = mockMerge(e.base?.record ?? theirs, theirs, e.record);
        if (conflicts.length > 0) {
          set(e, { state: { state: 'conflict', conflicts, theirs, theirs_fetched_at: now() } });
          return;
        }
        body = merged;
      }
    }
    if (opts.rejectWith) {
      set(e, { state: { state: 'rejected', problems: opts.rejectWith.map((x) => ({ ...(x.field ? { path: x.field } : {}), code: x.code, message: x.message })) } });
      return;
    }
    let c: Customer;
    if (e.target.kind === 'update') {
      c = { ...customers.get(e.target.customer_id)!, ...clone(body), status: 'Processing' };
    } else {
      c = { customer_id: `cus_new_${String(++newCustomers).padStart(4, '0')}`, partner_customer_id: e.target.partner_customer_id, created_at: now(), ...clone(body), status: 'Processing' };
    }
    customers.set(c.customer_id, c);
    const sentAt = now();
    set(e, { prepared: clone(body), state: { state: 'sent', customer: clone(c), sent_at: sentAt } });
    rebase(e, c, sentAt);
  };

  /** Like src-tauri's drafts_sync: the sent draft's base becomes the partner's record. */
  const rebase = (e: OutboxEntry, c: Customer, sentAt: string) => {
    const d = drafts.get(e.draft_id);
    if (!d) return;
    const record = ctx.sections(c);
    const typedSince = JSON.stringify(d.record) !== JSON.stringify(e.record);
    const next: Draft = {
      ...d,
      base: { record, ...(c.partner_customer_id ? { partner_customer_id: c.partner_customer_id } : {}), status: c.status, fetched_at: sentAt },
      record: typedSince ? d.record : clone(record),
      revision: d.revision + 1,
      updated_at: now(),
    };
    if (d.target.kind === 'create') {
      next.id = mockUpdateId(d.environment, c.customer_id);
      next.target = { kind: 'update', customer_id: c.customer_id };
      drafts.delete(d.id);
      trash.set(d.id, d);
      if (workspace === d.id) workspace = next.id;
    }
    drafts.set(next.id, next);
  };

  const queue = (args: Record<string, unknown>): OutboxEntry => {
    const d = need(args.id);
    const env = ctx.activeEnvironment();
    if (env.is_production) {
      const expected =
        d.target.kind === 'update'
          ? d.base?.record.business_details?.business_name_english || d.target.customer_id
          : d.target.partner_customer_id;
      if (args.confirmation !== expected) fail('confirmation_required', 'type the customer’s English business name exactly to confirm', { environment: env.name });
    }
    ctx.beforeQueue?.(d);
    const issues = issuesOf(d.target, d.record);
    if (issues.length > 0) fail('invalid_record', 'the record does not pass validation', { issues });
    const t = now();
    const e: OutboxEntry = {
      id: `o-${String(++sequence).padStart(8, '0')}`,
      sequence,
      draft_id: d.id,
      environment: d.environment,
      target: clone(d.target),
      record: clone(d.record),
      ...(d.base ? { base: clone(d.base) } : {}),
      idempotency_key: `key-${sequence}`,
      state: { state: 'queued' },
      attempts: 0,
      queued_at: t,
      updated_at: t,
    };
    entries.set(e.id, e);
    return clone(e);
  };

  const importDraft = (fileName: string, textIn: string): ImportReport => {
    let file: { format?: string; version?: number; environment?: string; target?: DraftTarget; base?: DraftBase; record?: UpdateCustomerRequest };
    try {
      file = JSON.parse(textIn);
    } catch (e) {
      return fail('invalid_input', `${fileName}: not JSON (${(e as Error).name})`, { field: 'text' });
    }
    if (file.format !== 'kyb-desk-draft' || !file.target || !file.record)
      return fail('invalid_input', `${fileName}: not a KYB Desk draft file (line 1, column 1)`, { field: 'text' });
    const environment = file.environment ?? ctx.activeEnvironment().name;
    const replaced = file.target.kind === 'update' && drafts.has(mockUpdateId(environment, file.target.customer_id));
    const draft = save({ environment, target: file.target, ...(file.base ? { base: file.base } : {}), record: file.record });
    return {
      draft,
      idempotency_key: `import-${fileName}`,
      issues: issuesOf(draft.target, draft.record),
      notes: replaced ? ['This replaced your existing draft of the same customer (the previous one is in the trash).'] : [],
    };
  };

  const handle: MockOutbox['handle'] = (cmd, args) => {
    const ok = (value: unknown) => ({ handled: true as const, value });
    switch (cmd) {
      case 'list_drafts':
        return ok({
          drafts: [...drafts.values()].sort((a, b) => (a.updated_at < b.updated_at ? 1 : a.updated_at > b.updated_at ? -1 : 0)).map(summary),
          unreadable: clone(opts.unreadable ?? []),
        });
      case 'open_draft':
        return ok(clone(need(args.id)));
      case 'save_draft':
        return ok(save(args.draft as DraftSave));
      case 'delete_draft': {
        const d = need(args.id);
        drafts.delete(d.id);
        trash.set(d.id, d);
        return ok(null);
      }
      case 'restore_draft': {
        const d = trash.get(String(args.id)) ?? fail('draft_not_found', `no draft ${String(args.id)} in the trash`);
        trash.delete(d.id);
        drafts.set(d.id, d);
        return ok(clone(d));
      }
      case 'export_draft': {
        const d = need(args.id);
        const who = d.target.kind === 'update' ? d.target.customer_id : d.target.partner_customer_id || 'new';
        const file_name = `kyb-draft-${who}.json`;
        return ok({ path: `/home/officer/Downloads/${file_name}`, file_name });
      }
      case 'import_draft':
        return ok(importDraft(String(args.file_name), String(args.text)));
      case 'queue_draft':
        return ok(queue(args));
      case 'outbox_status': {
        advance();
        const status: OutboxStatus = {
          online: online(),
          checked_at: now(),
          environment: ctx.activeEnvironment().name,
          entries: [...entries.values()].sort((a, b) => a.sequence - b.sequence).map(clone),
          settled_not_listed: 0,
        };
        return ok(status);
      }
      case 'retry_outbox_entry': {
        const e = needEntry(args.id);
        if (e.state.state !== 'failed' && e.state.state !== 'waiting_retry') fail('invalid_input', 'only a failed or waiting entry can be retried', { field: 'id' });
        set(e, { state: { state: 'queued' } });
        return ok(clone(e));
      }
      case 'cancel_outbox_entry': {
        const e = needEntry(args.id);
        if (e.state.state === 'sending' || e.state.state === 'sent') fail('outbox_busy', 'the entry is being sent', { retryable: true });
        entries.delete(e.id);
        return ok(null);
      }
      case 'resolve_conflict': {
        const e = needEntry(args.id);
        if (e.state.state !== 'conflict') fail('invalid_input', 'the entry has no conflict', { field: 'id' });
        const s = e.state as Extract<OutboxEntry['state'], { state: 'conflict' }>;
        const choices = (args.choices ?? {}) as Record<string, Choice>;
        const missing = s.conflicts.filter((c) => choices[c.path] !== 'mine' && choices[c.path] !== 'theirs').map((c) => c.path);
        if (missing.length) fail('unresolved_conflicts', `no choice for ${missing.join(', ')}`, { retryable: false });
        const { merged } = mockMerge(e.base?.record ?? {}, s.theirs, e.record, choices);
        resolved.add(e.id);
        set(e, { prepared: merged, state: { state: 'queued' } });
        return ok(clone(e));
      }
      case 'set_open_draft':
        workspace = typeof args.id === 'string' ? args.id : null;
        return ok(null);
      case 'restore_workspace':
        return ok(workspace && drafts.has(workspace) ? clone(drafts.get(workspace)!) : null);
      default:
        return { handled: false };
    }
  };

  return {
    clear() {
      drafts.clear();
      trash.clear();
      entries.clear();
      resolved.clear();
      settleIn.clear();
      workspace = null;
    },
    isOnline: online,
    draftFor: (environment, customerId) => {
      const d = drafts.get(mockUpdateId(environment, customerId));
      return d ? clone(d) : null;
    },
    editServer(customerId, path, value) {
      const c = customers.get(customerId)!;
      customers.set(customerId, setAt(c, path, value));
    },
    seedDrafts(n) {
      const base = Date.now();
      for (let i = 0; i < n; i++) {
        const t = new Date(base - i * 60_000).toISOString();
        const customerId = `cus_seed_${String(i).padStart(5, '0')}`;
        const id = mockUpdateId('Sandbox', customerId);
        drafts.set(id, {
          id,
          environment: i % 7 === 0 ? 'Production' : 'Sandbox',
          target: { kind: 'update', customer_id: customerId },
          record: { business_details: { business_name_english: `Seeded Company ${i} Ltd` } },
          revision: 1,
          created_at: t,
          updated_at: t,
          issue_count: i % 3,
        });
      }
    },
    drafts,
    entries,
    workspace: () => workspace,
    handle,
  };
}

/** How many leaf values differ between two JSON values (the mock's stand-in for the diff's count). */
function changedLeaves(a: unknown, b: unknown): number {
  if (a && b && typeof a === 'object' && typeof b === 'object') {
    const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
    let n = 0;
    for (const k of keys) n += changedLeaves((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]);
    return n;
  }
  return JSON.stringify(a ?? null) === JSON.stringify(b ?? null) ? 0 : 1;
}
