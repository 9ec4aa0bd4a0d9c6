/**
 * DEV ONLY: team mode for the dev mock. Solo unless a test (or `?team` in mock.html) connects
 * it: then a fixture team server with one environment ("Team · Sandbox"), a few team drafts, a
 * trail, a conflict and a submission that goes Queued → Sent (Processing) → Succeeded over the
 * next asks. Which drafts each queue lists is a fixture's stand-in, NOT the server's rules
 * (those live in crates/kyb-server).
 */

import type { TeamConflictView } from '../bindings/TeamConflictView';
import type { TeamDraftRow } from '../bindings/TeamDraftRow';
import type { TeamDraftSummary } from '../bindings/TeamDraftSummary';
import type { TeamPerson } from '../bindings/TeamPerson';
import type { TeamStatus } from '../bindings/TeamStatus';
import type { TeamSubmissionView } from '../bindings/TeamSubmissionView';
import type { TeamTrailEntry } from '../bindings/TeamTrailEntry';
import type { Draft } from '../types';
import type { Handled } from './mockSettings';

export const MOCK_TEAM_ENVIRONMENT = 'Team · Sandbox';

export interface MockTeam {
  handle(cmd: string, args: Record<string, unknown>): Handled;
  clear(): void;
  /** Connected to the fixture server, signed in as `person` (or not signed in with `null`). */
  connect(person?: TeamPerson | null): void;
  /** `team_sign_in` signs in as this person, after `signInDelayMs`. */
  signInAs: TeamPerson;
  signInDelayMs: number;
  /** The server's drafts (edit them in tests). */
  drafts: TeamDraftRow[];
  /** Shown as the status's `problem` (the server cannot be used). */
  problem: string | null;
}

const clone = <T>(v: T): T => JSON.parse(JSON.stringify(v)) as T;

function summary(id: string, customerId: string, version: number, extra: Partial<TeamDraftSummary>): TeamDraftSummary {
  return {
    id,
    environment: 'Sandbox',
    target: { kind: 'update', customer_id: customerId },
    version,
    preparers: ['Olivia Officer'],
    approved_by: [],
    requires_approval: true,
    assigned_to: null,
    working_now: [],
    updated_by: 'Olivia Officer',
    updated_at: '2025-03-14T09:21:00Z',
    submission: null,
    ...extra,
  };
}

function fixtureDrafts(): TeamDraftRow[] {
  return [
    { summary: summary('td-0001', 'cus_demo_0001', 3, { working_now: ['Olivia Officer'] }), environment: MOCK_TEAM_ENVIRONMENT, unpushed: false, conflict: false },
    { summary: summary('td-0002', 'cus_demo_0002', 2, { preparers: ['Rita Reviewer'], updated_by: 'Rita Reviewer' }), environment: MOCK_TEAM_ENVIRONMENT, local_id: 'u-team-0002', unpushed: true, conflict: false },
    {
      summary: summary('td-0003', 'cus_demo_0003', 5, { approved_by: ['Rex Reviewer'], assigned_to: 'Oscar Officer', updated_by: 'Oscar Officer' }),
      environment: MOCK_TEAM_ENVIRONMENT,
      local_id: 'u-team-0003',
      unpushed: true,
      conflict: true,
    },
  ];
}

/** `localCopy`: the local draft a team draft opens as (stored like a save, so the editor and autosave work on it). */
export function createMockTeam(ctx: {
  fail: (kind: string, message: string, extra?: Record<string, unknown>) => never;
  localCopy: (environment: string, customerId: string) => Draft;
}): MockTeam {
  let connected = false;
  let person: TeamPerson | null = null;
  const submissions = new Map<string, { view: TeamSubmissionView; asked: number }>();
  const ok = (value: unknown): Handled => ({ handled: true, value });
  const need = () => {
    if (!connected) ctx.fail('team_not_connected', 'this desktop is not connected to a team server');
    if (!person) ctx.fail('team_not_signed_in', 'sign in to the team first');
    return person!;
  };
  const status = (): TeamStatus =>
    connected
      ? {
          server_url: 'https://team.example.com',
          issuer: 'https://login.example.com',
          ...(person ? { signed_in: person } : {}),
          environments: [{ name: MOCK_TEAM_ENVIRONMENT, server_name: 'Sandbox', requires_approval: true, is_production: false }],
          ...(team.problem ? { problem: team.problem } : {}),
          unpushed: team.drafts.filter((r) => r.unpushed).length,
          conflicts: team.drafts.filter((r) => r.conflict).length,
          trail: 'Team trail verified: entry 4 is unchanged since this desktop last checked, and the signed trail reaches entry 9.',
          trail_broken: false,
        }
      : { environments: [], unpushed: 0, conflicts: 0, trail: '', trail_broken: false };
  const row = (teamId: unknown) => team.drafts.find((r) => r.summary.id === teamId) ?? ctx.fail('not_found', `no team draft ${String(teamId)}`);
  const rowOfLocal = (id: unknown) => team.drafts.find((r) => r.local_id === id) ?? ctx.fail('invalid_input', 'this draft is not a team draft', { field: 'id' });
  const openCopy = (r: TeamDraftRow): Draft => {
    const customerId = r.summary.target.kind === 'update' ? r.summary.target.customer_id : '';
    const d = ctx.localCopy(MOCK_TEAM_ENVIRONMENT, customerId);
    r.local_id = d.id;
    return d;
  };

  const team: MockTeam = {
    signInAs: { name: 'Rita Reviewer', roles: ['reviewer'] },
    signInDelayMs: 0,
    drafts: fixtureDrafts(),
    problem: null,
    clear() {
      connected = false;
      person = null;
      team.drafts = fixtureDrafts();
      team.problem = null;
      team.signInDelayMs = 0;
      team.signInAs = { name: 'Rita Reviewer', roles: ['reviewer'] };
      submissions.clear();
    },
    connect(p = team.signInAs) {
      connected = true;
      person = p;
    },
    handle(cmd, args) {
      switch (cmd) {
        case 'team_status':
          return ok(status());
        case 'team_connect': {
          const url = String(args.server_url ?? '').trim();
          if (!/^https:\/\/[^/]+/.test(url)) ctx.fail('invalid_input', `no KYB Desk team server answers at ${url}`, { field: 'server_url' });
          connected = true;
          return ok(status());
        }
        case 'team_sign_in':
          if (!connected) ctx.fail('team_not_connected', 'this desktop is not connected to a team server');
          return {
            handled: true,
            value: new Promise((resolve) =>
              setTimeout(() => {
                person = clone(team.signInAs);
                resolve(status());
              }, team.signInDelayMs),
            ),
          };
        case 'team_sign_out':
          person = null;
          return ok(status());
        case 'team_disconnect':
          connected = false;
          person = null;
          return ok(status());
        case 'team_drafts': {
          const me = need().name;
          const rows = team.drafts.filter((r) => {
            const s = r.summary;
            if (args.queue === 'mine') return s.preparers.includes(me) || s.assigned_to === me;
            if (args.queue === 'waiting_for_my_review') return s.requires_approval && !s.preparers.includes(me) && !s.approved_by.includes(me) && s.submission === null;
            return true;
          });
          return ok(clone(rows));
        }
        case 'team_assign_to_me': {
          const r = row(args.team_id);
          r.summary.assigned_to = need().name;
          return ok(clone(r.summary));
        }
        case 'team_open_draft':
          need();
          return ok(openCopy(row(args.team_id)));
        case 'team_start_draft': {
          need();
          if (args.environment !== MOCK_TEAM_ENVIRONMENT) ctx.fail('invalid_input', `${JSON.stringify(args.environment)} is not a team environment`, { field: 'environment' });
          const customerId = String(args.customer_id ?? '').trim();
          if (!customerId) ctx.fail('invalid_input', 'customer_id is required', { field: 'customer_id' });
          const existing = team.drafts.find((r) => r.summary.target.kind === 'update' && r.summary.target.customer_id === customerId);
          const r = existing ?? { summary: summary(`td-${team.drafts.length + 1}`.padEnd(7, '0'), customerId, 1, { preparers: [person!.name], updated_by: person!.name }), environment: MOCK_TEAM_ENVIRONMENT, unpushed: false, conflict: false };
          if (!existing) team.drafts.push(r);
          return ok(openCopy(r));
        }
        case 'team_submit': {
          const me = need();
          const r = rowOfLocal(args.id);
          const view: TeamSubmissionView = {
            submission: { outbox_id: `to-${r.summary.id}`, version: r.summary.version, state: 'queued', customer_id: null, error: null, queued_by: me.name, queued_at: '2025-03-14T10:00:00Z' },
            state_words: 'Queued on the team server',
          };
          submissions.set(String(args.id), { view, asked: 0 });
          r.summary.submission = clone(view.submission);
          return ok(clone(view));
        }
        case 'team_submission': {
          need();
          const s = submissions.get(String(args.id));
          if (!s) return ok(null);
          s.asked++;
          const customerId = rowOfLocal(args.id).summary.target;
          const id = customerId.kind === 'update' ? customerId.customer_id : null;
          if (s.asked >= 1) s.view = { ...s.view, submission: { ...s.view.submission, state: 'sent', customer_id: id }, state_words: 'Sent to the partner', customer_status: s.asked >= 2 ? 'Succeeded' : 'Processing' };
          return ok(clone(s.view));
        }
        case 'team_trail': {
          need();
          const r = rowOfLocal(args.id);
          const entries: TeamTrailEntry[] = [
            { seq: 11, at: '2025-03-14T09:00:00Z', actor: 'Olivia Officer', action: 'draft_created', draft: r.summary.id, details: {}, hash: 'a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8f9' },
            { seq: 14, at: '2025-03-14T09:21:00Z', actor: 'Olivia Officer', action: 'draft_pushed', draft: r.summary.id, details: { version: r.summary.version }, hash: 'f9e8d7c6b5a49382716f5e4d3c2b1a09f9e8d7c6b5a49382716f5e4d3c2b1a09' },
          ];
          return ok(entries);
        }
        case 'team_conflict': {
          need();
          const r = rowOfLocal(args.id);
          if (!r.conflict) ctx.fail('invalid_input', 'this draft has no conflict with the team’s version', { field: 'id' });
          const view: TeamConflictView = {
            id: String(args.id),
            updated_by: r.summary.updated_by,
            conflicts: [
              { path: 'business_details.website', base: 'https://old.example.com', theirs: 'https://theirs.example.com', mine: 'https://mine.example.com' },
              { path: 'primary_contact.email', base: 'a@example.com', theirs: 'b@example.com', mine: 'c@example.com' },
            ],
            taken_from_theirs: ['business_details.business_phone'],
          };
          return ok(view);
        }
        case 'team_resolve_conflict': {
          need();
          const r = rowOfLocal(args.id);
          const choices = (args.choices ?? {}) as Record<string, string>;
          if (Object.keys(choices).length < 2) ctx.fail('unresolved_conflicts', 'choose mine or theirs for every conflicting field', { paths: [] });
          r.conflict = false;
          r.summary.version++;
          const customerId = r.summary.target.kind === 'update' ? r.summary.target.customer_id : '';
          return ok(ctx.localCopy(MOCK_TEAM_ENVIRONMENT, customerId));
        }
        default:
          return { handled: false };
      }
    },
  };
  return team;
}
