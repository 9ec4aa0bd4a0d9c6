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
