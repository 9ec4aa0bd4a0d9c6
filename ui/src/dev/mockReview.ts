/**
 * DEV ONLY: profiles, document review, four-eyes approval, local document copies and the audit
 * trail as the dev mock plays them (mock.html and the page tests). The review back end is not
 * re-implemented: its answers are the real back end's, recorded in one scenario
 * (src-tauri/tests/recorded_answers.rs, ./recorded.ts), and replayed step by step. The mock only
 * keeps what picks the next answer: the scenario's cursor, who is working, and the documents'
 * bytes for the viewer. A call the scenario never made at that point throws.
 */

import type { Draft, DocumentCopy, OutboxEntry, Profile, ProfilesView, ReviewView } from '../types';
import { recordedActors, recordedScenario, sameValue, type RecordedCall } from './recorded';

const clone = <T>(v: T): T => JSON.parse(JSON.stringify(v)) as T;
const now = () => new Date().toISOString();

export interface MockReviewOptions {
  /** No profile is active at start (the chooser shows). */
  noProfile?: boolean;
  /** Profiles that exist at start, the first one active (default: the recording's reviewer, then its officer). */
  profileNames?: string[];
  /** The built-in Sandbox requires approval too (Production always does). */
  sandboxRequiresApproval?: boolean;
  /** No environment requires approval (tests of other things in Production). */
  approvalOff?: boolean;
}

/** The recording's two people: the officer who prepares the change, the reviewer who approves it. */
export const RECORDED_OFFICER = 'Olivia Officer';
export const RECORDED_REVIEWER = 'Rita Reviewer';

export interface MockReview {
  clear(): void;
  profile(): string | null;
  /** The recorded draft (cus_demo_0001, prepared by the officer) as stored after her save; the scenario goes on from there. */
  recordedDraft(): Draft;
  /**
   * Play the scenario on to the `nth` (1-based) recorded call of `command` made by anyone, as
   * if the page had made the calls before it (tests of later screens); `end` plays all of it,
   * including the audit file edited by someone after the last call but one.
   */
  playThrough(command: string | 'end', nth?: number): void;
  /** After a save of the recorded draft: the officer's recorded edit, when it comes next. */
  afterSave(saved: Draft): void;
  /** Refuse to queue without a profile; queueing where approval is required was not recorded (throws). */
  checkQueue(draft: Draft, requiresApproval: boolean): void;
  afterQueue(entry: OutboxEntry): void;
  /** Keep an uploaded file's bytes for the viewer. */
  keepUpload(fileId: string, bytes: Uint8Array): void;
  handle(cmd: string, args: Record<string, unknown>): { handled: true; value: unknown } | { handled: false };
}

/** The arguments that pick a recorded answer (the rest, e.g. a document's bytes, may differ). */
const SIGNIFICANT: Record<string, readonly string[]> = {
  review_status: ['id'],
  decide_document: ['id', 'file_id', 'decision', 'reasons', 'note'],
  confirm_identifier: ['id', 'path', 'confirmed'],
  approve_draft: ['id'],
  attach_document_copy: ['id', 'file_id'],
  audit_log: ['filter'],
  queue_draft: ['id'],
  save_draft: [],
};
/** Calls that change nothing: the recorded ones right after a step show the state that step left. */
const READS = new Set(['review_status', 'audit_log', 'get_profiles', 'choose_profile']);
/** Commands that answer the review view. */
const VIEWS = new Set(['review_status', 'decide_document', 'confirm_identifier', 'approve_draft']);

function notRecorded(cmd: string, args: Record<string, unknown>, why: string): never {
  throw new Error(`dev mock: no recorded answer for ${cmd} ${JSON.stringify(args)} ${why} (src-tauri/tests/recorded_answers.rs records them)`);
}

export function createMockReview(ctx: {
  opts: MockReviewOptions;
  drafts: Map<string, Draft>;
  fail: (kind: string, message: string, extra?: Record<string, unknown>) => never;
}): MockReview {
  const { opts, drafts, fail } = ctx;
  const calls = recordedScenario();
  const actors = recordedActors();
  const firstSave = calls.findIndex((c) => c.command === 'save_draft' && 'ok' in c.answer);
  const recordedDraft = (calls[firstSave]!.answer as { ok: Draft }).ok;
  const recordedProfiles = (calls.filter((c) => c.command === 'choose_profile' && 'ok' in c.answer).at(-1)!.answer as { ok: ProfilesView }).ok.profiles;

  let profiles: Profile[] = [];
  let last: string | undefined;
  let active: string | undefined;
  /** Index of the last recorded step the page has played (the scenario's state). */
  let cursor = -1;
  const bytes = new Map<string, Uint8Array>();

  /**
   * The scenario is at recorded call `at`, and at the reads recorded right after it. The last
   * call is not such a read: it was made after someone edited the audit file (only `end` plays it).
   */
  const moveTo = (at: number) => {
    cursor = at;
    while (cursor + 2 < calls.length && READS.has(calls[cursor + 1]!.command)) cursor++;
  };
  const pick = (cmd: string, args: Record<string, unknown>) => Object.fromEntries((SIGNIFICANT[cmd] ?? []).map((k) => [k, args[k]]));
  const matches = (c: RecordedCall, cmd: string, args: Record<string, unknown>) => c.command === cmd && sameValue(pick(cmd, c.args), pick(cmd, args));
  const answerOf = (call: RecordedCall): unknown => {
    const answer = clone(call.answer);
    if ('error' in answer) throw answer.error;
    return answer.ok;
  };
  /** The view the real back end last answered this profile at the scenario's state. */
  const latestView = (args: Record<string, unknown>): ReviewView => {
    for (let i = cursor; i >= 0; i--) {
      const c = calls[i]!;
      if (VIEWS.has(c.command) && 'ok' in c.answer && c.args.id === args.id && actors[i] === active) return clone(c.answer.ok as ReviewView);
    }
    return notRecorded('review_status', args, `for ${active ?? 'nobody'} at step ${cursor}`);
  };
  /**
   * The active profile's next recorded step must be this call: the scenario is played in its
   * order, skipping only refused calls the page did not make (and reads, and other profiles'
   * calls). An accepted one moves the scenario on.
   */
  const nextStep = (cmd: string, args: Record<string, unknown>): number => {
    for (let i = cursor + 1; i < calls.length; i++) {
      const c = calls[i]!;
      if (READS.has(c.command) || actors[i] !== active) continue;
      if (matches(c, cmd, args)) return i;
      if (!('error' in c.answer)) break;
    }
    return -1;
  };
  const step = (cmd: string, args: Record<string, unknown>): unknown => {
    const at = nextStep(cmd, args);
    if (at < 0) return notRecorded(cmd, args, `for ${active ?? 'nobody'} after step ${cursor}`);
    const call = calls[at]!;
    if ('ok' in call.answer) moveTo(at);
    const value = answerOf(call);
    // The stored draft follows the back end's revision (each decision saves the draft).
    const stored = drafts.get(String(args.id));
    if (VIEWS.has(cmd) && stored) stored.revision = (value as ReviewView).revision;
    return value;
  };

  const clear = () => {
    const names = opts.profileNames ?? [RECORDED_REVIEWER, RECORDED_OFFICER];
    profiles = names.map((name) => ({ name, created_at: recordedProfiles.find((p) => p.name === name)?.created_at ?? '2025-03-14T09:00:00Z' }));
    last = names[0];
    active = opts.noProfile ? undefined : names[0];
    cursor = -1;
    bytes.clear();
    // The officer's upload, as the recording sent it.
    for (const c of calls) {
      if (c.command === 'upload_document' && 'ok' in c.answer)
        bytes.set((c.answer.ok as { file_id: string }).file_id, new Uint8Array(c.args.bytes as number[]));
    }
  };

  const profilesView = (): ProfilesView => ({ profiles: clone(profiles), ...(last ? { last } : {}), ...(active ? { active } : {}) });
  const requireProfile = (): string => active ?? fail('no_profile', 'choose who is working first: this action records who did it', { retryable: false });
  const choose = (name: string) => {
    if (!profiles.some((p) => p.name === name)) profiles.push({ name, created_at: now() });
    last = name;
    active = name;
  };

  const handle: MockReview['handle'] = (cmd, args) => {
    const ok = (value: unknown) => ({ handled: true as const, value });
    switch (cmd) {
      case 'get_profiles':
        return ok(profilesView());
      case 'choose_profile': {
        // A name the recording tried is answered as Rust answered it (a refusal throws).
        const tried = calls.find((c) => c.command === 'choose_profile' && c.args.name === args.name);
        if (tried) choose((answerOf(tried) as ProfilesView).active!);
        else choose(String(args.name ?? '').trim().split(/\s+/).join(' '));
        return ok(profilesView());
      }
      case 'review_status':
        return ok(latestView(args));
      case 'decide_document':
      case 'confirm_identifier':
      case 'approve_draft':
        requireProfile();
        return ok(step(cmd, args));
      case 'attach_document_copy': {
        requireProfile();
        const copy = step(cmd, args) as DocumentCopy;
        bytes.set(copy.file_id, new Uint8Array((args.bytes ?? []) as number[]));
        return ok(copy);
      }
      case 'read_document_copy': {
        const kept = bytes.get(String(args.file_id));
        if (!kept) return fail('document_copy_missing', `KYB Desk has no copy of file ${String(args.file_id)}`, { field: String(args.file_id), retryable: false });
        return ok(kept.slice().buffer);
      }
      case 'audit_log': {
        for (let i = cursor; i >= 0; i--) if (matches(calls[i]!, cmd, args)) return ok(answerOf(calls[i]!));
        return notRecorded(cmd, args, `at step ${cursor}`);
      }
      case 'export_case_report': {
        requireProfile();
        return ok({ path: '/home/officer/Downloads/kyb-case-report-cus_demo_0001.html', file_name: 'kyb-case-report-cus_demo_0001.html' });
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
    recordedDraft() {
      // The scenario as the officer left it: saved, and her look at its review.
      moveTo(Math.max(cursor, firstSave));
      return clone(recordedDraft);
    },
    playThrough(command, nth = 1) {
      const at = command === 'end' ? calls.length - 1 : calls.map((c, i) => (c.command === command ? i : -1)).filter((i) => i >= 0)[nth - 1];
      if (at === undefined) throw new Error(`dev mock: the recording has no call ${nth} of ${command}`);
      moveTo(at);
    },
    afterSave(saved) {
      if (saved.id !== recordedDraft.id) return;
      const at = calls.findIndex((c, i) => i > cursor && c.command === 'save_draft' && actors[i] === active);
      if (at >= 0) moveTo(at);
    },
    checkQueue(draft, requiresApproval) {
      requireProfile();
      if (!requiresApproval || opts.approvalOff) return;
      // Whether and how Rust refuses it there is not in the recording (its Sandbox needs no approval).
      notRecorded('queue_draft', { id: draft.id }, `in ${draft.environment}, which requires approval`);
    },
    afterQueue(entry) {
      const at = calls.findIndex((c, i) => i > cursor && c.command === 'queue_draft' && c.args.id === entry.draft_id);
      if (at >= 0) moveTo(at);
    },
    keepUpload(fileId, data) {
      bytes.set(fileId, data);
    },
    handle,
  };
}
