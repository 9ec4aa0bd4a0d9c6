/**
 * Team mode as Rust answers it (`team_status`): connected or solo, who is signed in, the team's
 * environments, and what waits on this desktop (unpushed edits, merges). Loaded at start,
 * refreshed every 10 s while connected and after every team action. Which environments are the
 * team's is data from Rust (`environments`), never a rule of the page.
 */

import { computed, signal } from '@preact/signals';
import * as ipc from '../ipc';
import { toCommandError, type CommandError } from '../ipc';
import type { TeamStatus } from '../bindings/TeamStatus';
import { realTimers, type Timers } from './schedule';
import { setSession } from './session';

/** How often the status is asked again while connected. */
export const TEAM_REFRESH_MS = 10_000;

export const teamStatus = signal<TeamStatus | null>(null);
/** The last `team_status` failed (the status shown is the one before). */
export const teamStatusError = signal<CommandError | null>(null);

export const teamConnected = computed(() => teamStatus.value?.server_url !== undefined && teamStatus.value?.server_url !== null);
export const teamSignedIn = computed(() => teamStatus.value?.signed_in ?? null);
/** The signed-in person has the reviewer role (the "Waiting for my review" queue is theirs). */
export const isTeamReviewer = computed(() => teamSignedIn.value?.roles.includes('reviewer') === true);

/** Whether `environment` (a local environment name) is one of the team's, as Rust listed them. */
export function isTeamEnvironment(environment: string | null | undefined): boolean {
  if (!environment) return false;
  return teamStatus.value?.environments.some((e) => e.name === environment) === true;
}

/**
 * The team's environments are environments of the session too (the header's switcher lists them):
 * when they change (connect, sign-in, disconnect, an admin's change), the session is asked again.
 */
function followEnvironments(next: TeamStatus) {
  const names = (s: TeamStatus | null) => (s?.environments ?? []).map((e) => e.name).join('\n');
  if (names(teamStatus.peek()) === names(next)) return;
  ipc.getSession().then(setSession, () => {
    // The session stays as it was; the next change asks again.
  });
}

let timers: Timers = realTimers;
let timer: unknown = null;
let asked = 0;

function schedule() {
  if (timer !== null) timers.clearTimeout(timer);
  timer = null;
  if (teamConnected.peek()) timer = timers.setTimeout(() => void refreshTeamStatus(), TEAM_REFRESH_MS);
}

/** Ask Rust again; the latest answer wins. Never rejects (a failure lands in `teamStatusError`). */
export async function refreshTeamStatus(): Promise<void> {
  const mine = ++asked;
  try {
    const status = await ipc.teamStatus();
    if (mine !== asked) return;
    followEnvironments(status);
    teamStatus.value = status;
    teamStatusError.value = null;
  } catch (e) {
    if (mine !== asked) return;
    teamStatusError.value = toCommandError(e);
  }
  schedule();
}

/** A team action's answer (connect, sign in, sign out, disconnect) is the new status. */
export function setTeamStatus(status: TeamStatus) {
  asked++;
  followEnvironments(status);
  teamStatus.value = status;
  teamStatusError.value = null;
  schedule();
}

/** Stop the refresh (tests); `with` replaces the timers. */
export function stopTeamRefresh(withTimers: Timers = realTimers) {
  if (timer !== null) timers.clearTimeout(timer);
  timer = null;
  timers = withTimers;
}
