/**
 * DEV ONLY: profiles, document review, four-eyes approval, local document copies and the audit
 * trail of docs/review-audit.md as the mock back end plays them (mock.html and the page tests).
 * A small stand-in for `kyb_core::{profiles, review, vault, audit}`, not their rules: hashes
 * here are not SHA-256, the checklist has the same items but simpler texts.
 */

import type {
  Approval,
  ApprovalState,
  AuditEntry,
  AuditEvent,
  AuditFilter,
  AuditView,
  ChainReport,
  Checklist,
  ChecklistItem,
  CommandErrorBody,
  Decision,
  DecisionReason,
  DocumentCopy,
  DocumentDecision,
  DocumentRef,
  Draft,
  DraftSave,
  EnvironmentView,
  FieldChange,
  IdentifierMatch,
  OutboxEntry,
  Profile,
  ProfilesView,
  ReviewView,
  UpdateCustomerRequest,
} from '../types';
import { recordedEventTypes, recordedSummary } from './recorded';

const clone = <T>(v: T): T => JSON.parse(JSON.stringify(v)) as T;
const now = () => new Date().toISOString();

export interface MockReviewOptions {
  /** No profile is active at start (the chooser shows). */
  noProfile?: boolean;
  /** Profiles that exist at start (default: Alex Morgan, Blake Chen; the last one is Alex Morgan). */
  profileNames?: string[];
  /** The built-in Sandbox requires approval too (Production always does). */
  sandboxRequiresApproval?: boolean;
  /** The audit chain check reports a broken chain. */
  brokenChain?: boolean;
  /** No environment requires approval (tests of other things in Production). */
  approvalOff?: boolean;
}

interface MockReviewState {
  editors: string[];
  decisions: Record<string, DocumentDecision>;
  matches: Record<string, IdentifierMatch>;
  approval?: Approval;
}

interface Copy {
  copy: DocumentCopy;
  bytes: Uint8Array;
}

export interface MockReview {
  clear(): void;
  profile(): string | null;
  /** Before a save: remember the record, to add the active profile as a preparer when it changed. */
  beforeSave(input: DraftSave): string | null;
  afterSave(saved: Draft, before: string | null): void;
  /** Refuse to queue without a profile or without a valid approval where one is required. */
  checkQueue(draftId: string): void;
  afterQueue(entry: OutboxEntry): void;
  /** Who prepared a draft (seeding demo reviews). */
  setEditors(draftId: string, editors: string[]): void;
  /** Keep an uploaded file as a local copy. */
  keepUpload(environment: string, fileId: string, fileName: string, bytes: Uint8Array): void;
  handle(cmd: string, args: Record<string, unknown>): { handled: true; value: unknown } | { handled: false };
}

// ---------------------------------------------------------------------------------------------
// Documents a record references (like kyb_core::review::referenced_documents)

const BUSINESS_SUPPORTS = [
  'business_name_english',
  'business_name',
  'business_identifier_type',
  'business_identifier_number',
  'business_identifier_country_code',
  'business_identifier_start_date',
  'business_identifier_expiry_date',
];
const BASIC_SUPPORTS = ['first_name_english', 'last_name_english', 'first_name', 'last_name', 'birth_date', 'nationality'];
const ID_SUPPORTS = ['id_type', 'id_number', 'id_issuing_country_code', 'id_issue_date', 'id_expiration_date'];

const text = (v: unknown) => (typeof v === 'string' && v.trim() !== '' ? v.trim() : null);

export function mockReferencedDocuments(record: UpdateCustomerRequest): DocumentRef[] {
  const out: DocumentRef[] = [];
  (record.business_details?.business_identifier_document_list ?? []).forEach((f, i) => {
    const file_id = text(f);
    if (file_id)
      out.push({
        file_id,
        kind: 'business_registration',
        path: `business_details.business_identifier_document_list[${i}]`,
        supports: BUSINESS_SUPPORTS.map((k) => `business_details.${k}`),
      });
  });
  (record.business_person_list ?? []).forEach((p, i) => {
    const supports = [
      ...BASIC_SUPPORTS.map((k) => `business_person_list[${i}].basic_info.${k}`),
      ...ID_SUPPORTS.map((k) => `business_person_list[${i}].identification.${k}`),
    ];
    const id = (p as { identification?: Record<string, unknown> }).identification ?? {};
    for (const [field, kind] of [
      ['id_document_front_file_id', 'id_front'],
      ['id_document_back_file_id', 'id_back'],
    ] as const) {
      const file_id = text(id[field]);
      if (file_id) out.push({ file_id, kind, path: `business_person_list[${i}].identification.${field}`, person: i, supports });
    }
  });
  return out;
}

function valueAt(record: unknown, path: string): unknown {
  let cur: unknown = record;
  for (const part of path.replace(/\[(\d+)\]/g, '.$1').split('.')) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string, unknown>)[part];
  }
  return cur;
}

function flatten(v: unknown, path: string, out: Map<string, string>) {
  if (v === null || v === undefined) return;
  if (Array.isArray(v)) v.forEach((x, i) => flatten(x, `${path}[${i}]`, out));
  else if (typeof v === 'object') for (const [k, x] of Object.entries(v)) flatten(x, path ? `${path}.${k}` : k, out);
  else out.set(path, String(v));
}

function changesOf(d: Draft): FieldChange[] {
  const a = new Map<string, string>();
  const b = new Map<string, string>();
  flatten(d.base?.record ?? {}, '', a);
  flatten(d.record, '', b);
  const out: FieldChange[] = [];
  for (const k of new Set([...a.keys(), ...b.keys()])) {
    if (a.get(k) === b.get(k)) continue;
    out.push({ path: k, ...(a.has(k) ? { before: a.get(k)! } : {}), ...(b.has(k) ? { after: b.get(k)! } : {}) });
  }
  return out;
}

/** Not SHA-256: 64 hex digits from FNV-1a rounds (enough for a mock's links). */
export function mockHash(input: string): string {
  let out = '';
  for (let round = 0; round < 8; round++) {
    let h = 0x811c9dc5 ^ (round * 0x9e3779b9);
    for (let i = 0; i < input.length; i++) {
      h ^= input.charCodeAt(i);
      h = Math.imul(h, 0x01000193) >>> 0;
    }
    out += h.toString(16).padStart(8, '0');
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Demo copies: SVG "scans" for ID sides, a one-page PDF for a business document

const enc = (s: string) => new TextEncoder().encode(s);

function svgCard(title: string, fileId: string): Uint8Array {
  const safe = (s: string) => s.replace(/[<>&"]/g, '');
  return enc(
    `<svg xmlns="http://www.w3.org/2000/svg" width="640" height="400" viewBox="0 0 640 400">` +
      `<rect width="640" height="400" rx="24" fill="#e8eef7" stroke="#1f5fbf" stroke-width="6"/>` +
      `<rect x="40" y="90" width="160" height="200" rx="8" fill="#b8c7dc"/>` +
      `<text x="40" y="60" font-family="sans-serif" font-size="30" font-weight="700" fill="#1b1f24">${safe(title)}</text>` +
      `<text x="230" y="130" font-family="sans-serif" font-size="22" fill="#1b1f24">SPECIMEN — mock copy</text>` +
      `<text x="230" y="170" font-family="monospace" font-size="18" fill="#57606a">${safe(fileId)}</text>` +
      `</svg>`,
  );
}

export function mockPdf(title: string): Uint8Array {
  const content = `BT /F1 24 Tf 72 760 Td (${title.replace(/[()\\]/g, '')}) Tj ET\nBT /F1 14 Tf 72 720 Td (Mock copy for KYB Desk development) Tj ET`;
  const objects = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>',
    `<< /Length ${content.length} >>\nstream\n${content}\nendstream`,
    '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>',
  ];
  let out = '%PDF-1.4\n';
  const offsets: number[] = [];
  objects.forEach((o, i) => {
    offsets.push(out.length);
    out += `${i + 1} 0 obj\n${o}\nendobj\n`;
  });
  const xref = out.length;
  out += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`;
  for (const o of offsets) out += `${String(o).padStart(10, '0')} 00000 n \n`;
  out += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return enc(out);
}

/** From the bytes, never the name (like the vault). */
function mediaTypeOf(bytes: Uint8Array): { media_type: string; preview: DocumentCopy['preview'] } {
  const head = new TextDecoder().decode(bytes.slice(0, 64));
  if (head.startsWith('%PDF')) return { media_type: 'application/pdf', preview: 'pdf' };
  if (bytes[0] === 0x89 && head.slice(1, 4) === 'PNG') return { media_type: 'image/png', preview: 'image' };
  if (bytes[0] === 0xff && bytes[1] === 0xd8) return { media_type: 'image/jpeg', preview: 'image' };
  if (head.startsWith('<svg') || head.startsWith('<?xml')) return { media_type: 'image/svg+xml', preview: 'image' };
  return { media_type: 'application/octet-stream', preview: 'none' };
}

// ---------------------------------------------------------------------------------------------

export function createMockReview(ctx: {
  opts: MockReviewOptions;
  drafts: Map<string, Draft>;
  environments: () => EnvironmentView[];
  fail: (kind: string, message: string, extra?: Record<string, unknown>) => never;
}): MockReview {
  const { opts, drafts, fail } = ctx;
  let profiles: Profile[] = [];
  let last: string | undefined;
  let active: string | undefined;
  const reviews = new Map<string, MockReviewState>();
  const copies = new Map<string, Copy>();
  const log: AuditEntry[] = [];

  const key = (environment: string, fileId: string) => `${environment}\u0000${fileId}`;

  const put = (environment: string, fileId: string, fileName: string, bytes: Uint8Array, origin: DocumentCopy['origin'], by: string, at = now()) => {
    const copy: DocumentCopy = {
      environment,
      file_id: fileId,
      file_name: fileName,
      ...mediaTypeOf(bytes),
      size: bytes.length,
      sha256: mockHash(Array.from(bytes.slice(0, 4096)).join(',') + bytes.length),
      origin,
      added_by: by,
      added_at: at,
    };
    copies.set(key(environment, fileId), { copy, bytes });
    return copy;
  };

  const seed = () => {
    const at = '2025-03-10T10:00:00Z';
    for (const env of ['Sandbox', 'Production']) {
      put(env, 'file_demo_acme_doe_passport', 'doe-passport.svg', svgCard('Passport — Jane Doe', 'file_demo_acme_doe_passport'), 'uploaded', 'Alex Morgan', at);
      put(env, 'file_demo_acme_mendes_passport', 'mendes-passport.svg', svgCard('Passport — R. Mendes', 'file_demo_acme_mendes_passport'), 'uploaded', 'Alex Morgan', at);
      put(env, 'file_demo_thames_incorporation', 'certificate.pdf', mockPdf('Certificate of Incorporation'), 'uploaded', 'Alex Morgan', at);
      put(env, 'file_demo_thames_bennett_passport', 'bennett-passport.svg', svgCard('Passport — Bennett', 'file_demo_thames_bennett_passport'), 'attached', 'Blake Chen', at);
      // file_demo_acme_ein_letter has no copy: the viewer offers "Attach local copy".
    }
  };

  const clear = () => {
    const names = opts.profileNames ?? ['Alex Morgan', 'Blake Chen'];
    profiles = names.map((name) => ({ name, created_at: '2025-01-06T09:00:00Z' }));
    last = names[0];
    active = opts.noProfile ? undefined : names[0];
    reviews.clear();
    copies.clear();
    log.length = 0;
    seed();
  };

  const profilesView = (): ProfilesView => ({ profiles: clone(profiles), ...(last ? { last } : {}), ...(active ? { active } : {}) });
  const requireProfile = (): string => active ?? fail('no_profile', 'choose who is working first: this action records who did it', { retryable: false });
  const reviewOf = (id: string): MockReviewState => {
    let r = reviews.get(id);
    if (!r) {
      r = { editors: [], decisions: {}, matches: {} };
      reviews.set(id, r);
    }
    return r;
  };
  const need = (id: unknown): Draft => drafts.get(String(id)) ?? fail('draft_not_found', `no draft ${String(id)}`, { id: String(id), retryable: false });
  const requiresApproval = (environment: string) =>
    !opts.approvalOff &&
    (ctx.environments().find((e) => e.name === environment)?.requires_approval === true || (environment === 'Sandbox' && opts.sandboxRequiresApproval === true));

  const customerOf = (d: Draft) => (d.target.kind === 'update' ? d.target.customer_id : `new:${d.target.partner_customer_id}`);
  const diffHash = (d: Draft) => mockHash(JSON.stringify({ environment: d.environment, target: d.target, changes: changesOf(d) }));
  const sameName = (a: string, b: string) => a.trim().toLowerCase() === b.trim().toLowerCase();

  const append = (d: Draft | null, actor: string, event: AuditEvent, extra: { environment?: string; customer?: string } = {}) => {
    const prev = log.at(-1)?.hash ?? '0'.repeat(64);
    const base = {
      seq: log.length + 1,
      at: now(),
      actor,
      environment: extra.environment ?? d?.environment ?? '',
      customer: extra.customer ?? (d ? customerOf(d) : ''),
      ...(d ? { draft_id: d.id } : {}),
      event,
      prev_hash: prev,
    };
    log.push({ ...base, hash: mockHash(prev + JSON.stringify(base)) });
  };

  const approvalState = (d: Draft): ApprovalState => {
    const a = reviewOf(d.id).approval;
    if (!a) return { state: 'none' };
    const current = diffHash(d);
    return a.diff_hash === current && a.environment === d.environment ? { state: 'valid', approval: clone(a) } : { state: 'void', approval: clone(a), current_hash: current };
  };

  const checklist = (d: Draft): Checklist => {
    const r = reviewOf(d.id);
    const docs = mockReferencedDocuments(d.record);
    const items: ChecklistItem[] = [];
    const undecided = docs.filter((x) => !r.decisions[x.file_id]);
    items.push({
      id: 'documents_decided',
      label: 'Every document has a decision',
      state: undecided.length ? 'missing' : 'done',
      detail: docs.length === 0 ? 'No documents referenced' : undecided.length ? `${undecided.length} of ${docs.length} documents have no decision yet.` : `All ${docs.length} documents have a decision.`,
      ...(undecided[0] ? { field: undecided[0].path } : {}),
    });
    const bad = docs.filter((x) => r.decisions[x.file_id] && r.decisions[x.file_id]!.decision !== 'verified');
    items.push({
      id: 'documents_acceptable',
      label: 'No document is rejected or needs re-upload',
      state: bad.length ? 'failed' : 'done',
      detail: bad.length ? `${bad.length} document(s) rejected or needing re-upload; replace the file or change the decision.` : 'None of the documents decided so far is rejected or needs re-upload.',
      ...(bad[0] ? { field: bad[0].path } : {}),
    });
    const identifier = (path: string, label: string) => {
      const v = text(valueAt(d.record, path));
      if (!v) return;
      const m = r.matches[path];
      const ok = m && m.value.trim() === v;
      items.push({
        id: `identifier_matches:${path}`,
        label,
        state: ok ? 'done' : 'missing',
        detail: ok ? `Confirmed by ${m.confirmed_by} on ${m.confirmed_at.slice(0, 10)}.` : `Not confirmed yet: compare "${v}" with the document.`,
        field: path,
      });
    };
    identifier('business_details.business_identifier_number', 'Business identifier number matches the registration document');
    (d.record.business_person_list ?? []).forEach((p, i) => {
      identifier(`business_person_list[${i}].identification.id_number`, `Representative ${i + 1}: ID number matches the ID document`);
      const exp = text((p as { identification?: { id_expiration_date?: string } }).identification?.id_expiration_date);
      const today = now().slice(0, 10);
      const state: ChecklistItem['state'] = !exp ? 'missing' : exp.slice(0, 10) > today ? 'done' : 'failed';
      items.push({
        id: `id_not_expired:${i}`,
        label: `Representative ${i + 1}: ID is not expired`,
        state,
        detail: !exp ? 'The ID has no expiration date yet.' : state === 'done' ? `Valid until ${exp.slice(0, 10)}.` : `The ID expired on ${exp.slice(0, 10)} (today is ${today}).`,
        field: `business_person_list[${i}].identification.id_expiration_date`,
      });
    });
    return { items, complete: items.every((x) => x.state === 'done') };
  };

  /** Why `who` cannot approve now (like `approve`'s refusals), or null. */
  const blocker = (d: Draft, who: string | undefined): CommandErrorBody | null => {
    const body = (kind: string, message: string, extra: Record<string, unknown> = {}) => ({ kind, message, retryable: false, ...extra }) as unknown as CommandErrorBody;
    const r = reviewOf(d.id);
    if (!who) return body('no_profile', 'Choose who is working first: an approval records who approved.');
    if (r.editors.some((e) => sameName(e, who))) return body('self_approval', `${who} prepared this change, so another profile must approve it.`);
    if (r.editors.length === 0) return body('approval_refused', 'Nobody is recorded as having prepared this change.');
    if (changesOf(d).length === 0) return body('approval_refused', 'Nothing changed: there is nothing to approve.');
    const c = checklist(d);
    const left = c.items.filter((x) => x.state !== 'done');
    if (left.length) return body('checklist_incomplete', `The checklist is not complete: ${left.length} item(s) left.`, { paths: left.map((x) => x.id) });
    return null;
  };

  const view = (d: Draft): ReviewView => {
    const r = reviewOf(d.id);
    const b = blocker(d, active);
    return {
      draft_id: d.id,
      environment: d.environment,
      customer: customerOf(d),
      ...(d.record.business_details?.business_name_english ? { business_name: d.record.business_details.business_name_english } : {}),
      requires_approval: requiresApproval(d.environment),
      ...(active ? { profile: active } : {}),
      revision: d.revision,
      record: clone(d.record),
      documents: mockReferencedDocuments(d.record).map((reference) => {
        const copy = copies.get(key(d.environment, reference.file_id))?.copy;
        const decision = r.decisions[reference.file_id];
        return { reference, ...(copy ? { copy: clone(copy) } : {}), ...(decision ? { decision: clone(decision) } : {}) };
      }),
      checklist: checklist(d),
      matches: clone(r.matches),
      approval: approvalState(d),
      editors: [...r.editors],
      changes: changesOf(d),
      diff_hash: diffHash(d),
      ...(b ? { approve_blocker: b } : {}),
    };
  };

  const refusePreparer = (d: Draft, who: string) => {
    if (reviewOf(d.id).editors.some((e) => sameName(e, who)))
      fail('self_approval', `${who} prepared this change, so another profile must review its documents`, { retryable: false });
  };

  const chain = (): ChainReport => {
    if (opts.brokenChain) {
      return {
        intact: false,
        entries: log.length,
        problems: [
          { line: 2, seq: 2, kind: 'edited', message: 'entry 2 does not match its hash: it was changed after it was written' },
          { line: 3, seq: 3, kind: 'broken_link', message: 'entry 3 does not link to entry 2' },
        ],
      };
    }
    return { intact: true, entries: log.length, ...(log.length ? { head: log.at(-1)!.hash } : {}), problems: [] };
  };

  const matchesFilter = (f: AuditFilter, e: AuditEntry) =>
    (!f.customer || f.customer === e.customer) && (!f.environment || f.environment === e.environment) && (!f.types?.length || f.types.includes(e.event.type));

  const handle: MockReview['handle'] = (cmd, args) => {
    const ok = (value: unknown) => ({ handled: true as const, value });
    switch (cmd) {
      case 'get_profiles':
        return ok(profilesView());
      case 'choose_profile': {
        const raw = String(args.name ?? '');
        const name = raw.trim().split(/\s+/).filter(Boolean).join(' ');
        if (!name) fail('invalid_input', 'A profile name cannot be empty; type the name of the person using this app.', { field: 'name', retryable: false });
        // eslint-disable-next-line no-control-regex
        if (/[\u0000-\u001f\u007f]/.test(raw.trim())) fail('invalid_input', 'A profile name cannot contain control characters; type it on one line.', { field: 'name', retryable: false });
        if ([...name].length > 64) fail('invalid_input', `A profile name can have at most 64 characters; this one has ${[...name].length}.`, { field: 'name', retryable: false });
        let p = profiles.find((x) => sameName(x.name, name));
        if (!p) {
          p = { name, created_at: now() };
          profiles.push(p);
        }
        last = p.name;
        active = p.name;
        return ok(profilesView());
      }
      case 'review_status':
        return ok(view(need(args.id)));
      case 'decide_document': {
        const d = need(args.id);
        const who = requireProfile();
        const decision = args.decision as Decision;
        let reasons = [...new Set((args.reasons ?? []) as DecisionReason[])].sort();
        const note = String(args.note ?? '').trim();
        if (note.length > 2000) fail('invalid_input', 'the note is longer than 2000 characters', { field: 'note', retryable: false });
        if (decision === 'verified') reasons = [];
        else if (reasons.length === 0) fail('invalid_input', 'choose at least one reason for this decision', { field: 'reasons', retryable: false });
        if (reasons.includes('other') && !note) fail('invalid_input', 'describe the reason in the note (reason "Other" was chosen)', { field: 'note', retryable: false });
        const ref =
          mockReferencedDocuments(d.record).find((x) => x.file_id === String(args.file_id).trim()) ??
          fail('invalid_input', `this draft does not reference file "${String(args.file_id)}"`, { field: 'file_id', retryable: false });
        refusePreparer(d, who);
        reviewOf(d.id).decisions[ref.file_id] = { file_id: ref.file_id, decision, reasons, note, decided_by: who, decided_at: now() };
        d.revision += 1;
        append(d, who, { type: 'document_decided', file_id: ref.file_id, path: ref.path, decision, reasons, note });
        return ok(view(d));
      }
      case 'confirm_identifier': {
        const d = need(args.id);
        const who = requireProfile();
        const path = String(args.path).trim();
        if (!/^(business_details\.business_identifier_number|business_person_list\[\d{1,3}\]\.identification\.id_number)$/.test(path))
          fail('invalid_input', `"${path}" is not an identifier number field`, { field: 'path', retryable: false });
        refusePreparer(d, who);
        const value = text(valueAt(d.record, path)) ?? '';
        const r = reviewOf(d.id);
        if (args.confirmed) {
          if (!value) fail('invalid_input', 'this field is empty, so there is nothing to confirm', { field: path, retryable: false });
          r.matches[path] = { value, confirmed_by: who, confirmed_at: now() };
        } else {
          delete r.matches[path];
        }
        d.revision += 1;
        append(d, who, { type: 'identifier_confirmed', path, value, confirmed: Boolean(args.confirmed) });
        return ok(view(d));
      }
      case 'approve_draft': {
        const d = need(args.id);
        const who = requireProfile();
        const b = blocker(d, who);
        if (b) {
          append(d, who, { type: 'approval_refused', reason: b.message });
          throw b;
        }
        const r = reviewOf(d.id);
        r.approval = { approver: who, preparers: [...r.editors], diff_hash: diffHash(d), environment: d.environment, approved_at: now() };
        d.revision += 1;
        append(d, who, { type: 'approval_granted', diff_hash: r.approval.diff_hash, preparers: [...r.editors], changes: changesOf(d) });
        return ok(view(d));
      }
      case 'read_document_copy': {
        const d = need(args.id);
        const c =
          copies.get(key(d.environment, String(args.file_id))) ??
          fail('document_copy_missing', `KYB Desk has no copy of file ${String(args.file_id)}`, { field: String(args.file_id), retryable: false });
        return ok(c.bytes.slice().buffer);
      }
      case 'attach_document_copy': {
        const who = requireProfile();
        const d = need(args.id);
        const fileId = String(args.file_id);
        if (!mockReferencedDocuments(d.record).some((x) => x.file_id === fileId))
          fail('invalid_input', `draft ${d.id} does not reference file "${fileId}"`, { field: 'file_id', retryable: false });
        const bytes = new Uint8Array((args.bytes ?? []) as number[]);
        if (bytes.length === 0) fail('invalid_input', 'the file is empty', { field: 'bytes', retryable: false });
        const copy = put(d.environment, fileId, String(args.file_name).split(/[/\\]/).pop() ?? 'file', bytes, 'attached', who);
        append(d, who, { type: 'document_attached', file_id: fileId, file_name: copy.file_name, sha256: copy.sha256, origin: 'attached' });
        return ok(clone(copy));
      }
      case 'export_case_report': {
        requireProfile();
        const d = need(args.id);
        const file_name = `kyb-case-report-${customerOf(d).replace(/[^A-Za-z0-9_-]/g, '_')}.html`;
        return ok({ path: `/home/officer/Downloads/${file_name}`, file_name });
      }
      case 'audit_log': {
        const f = (args.filter ?? {}) as AuditFilter;
        const entries = log.filter((e) => matchesFilter(f, e)).reverse().map(clone);
        const out: AuditView = {
          entries,
          summaries: entries.map((e) => recordedSummary(e.event)),
          chain: chain(),
          customers: [...new Set(log.map((e) => e.customer))].sort(),
          event_types: recordedEventTypes(),
        };
        return ok(out);
      }
      case 'export_audit': {
        requireProfile();
        return ok({ path: '/home/officer/Downloads/kyb-audit.json', file_name: 'kyb-audit.json' });
      }
      default:
        return { handled: false };
    }
  };

  clear();
  return {
    clear,
    profile: () => active ?? null,
    beforeSave: (input) => JSON.stringify((input.id ? drafts.get(input.id)?.record : undefined) ?? input.base?.record ?? null),
    afterSave(saved, before) {
      if (before === JSON.stringify(saved.record)) return;
      const r = reviewOf(saved.id);
      if (active && !r.editors.some((e) => sameName(e, active!))) r.editors.push(active);
      if (r.approval && r.approval.diff_hash !== diffHash(saved)) {
        append(saved, active ?? 'KYB Desk', { type: 'approval_voided', diff_hash: r.approval.diff_hash, reason: 'the change was edited after approval' });
        delete r.approval;
      }
    },
    checkQueue(draftId) {
      const who = requireProfile();
      const d = need(draftId);
      if (!requiresApproval(d.environment)) return;
      const a = approvalState(d);
      if (a.state !== 'valid' || reviewOf(d.id).editors.some((e) => sameName(e, a.approval.approver)))
        fail('approval_required', `${d.environment} requires an approval by another profile before submitting`, { environment: d.environment, retryable: false });
      void who;
    },
    afterQueue(entry) {
      const d = drafts.get(entry.draft_id);
      if (!d) return;
      const a = approvalState(d);
      append(d, active ?? 'KYB Desk', {
        type: 'submission_queued',
        outbox_entry: entry.id,
        changes: changesOf(d),
        ...(a.state === 'valid' ? { approval_hash: a.approval.diff_hash } : {}),
      });
    },
    setEditors(draftId, editors) {
      reviewOf(draftId).editors = [...editors];
    },
    keepUpload(environment, fileId, fileName, bytes) {
      put(environment, fileId, fileName, bytes, 'uploaded', active ?? 'KYB Desk');
    },
    handle,
  };
}
