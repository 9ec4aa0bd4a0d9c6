/**
 * Who is working (docs/review-audit.md, "Profiles"): the profiles from `get_profiles`, the
 * chooser screen ("Who is working?") at start when none is active, the header's "Switch", and
 * any command failing with kind `no_profile` sends the officer to the chooser, then back.
 */

import { batch, computed, signal } from '@preact/signals';
import * as ipc from '../ipc';
import { onCommandError, toCommandError, type CommandError } from '../ipc';
import type { ProfilesView } from '../types';
import { go, screen, type ScreenName } from './navigation';

/** The last `get_profiles` / `choose_profile` answer; `null` before the first (or when it failed). */
export const profiles = signal<ProfilesView | null>(null);
/** The active profile's name, or `null` when nobody is chosen yet (or not known). */
export const activeProfile = computed(() => profiles.value?.active ?? null);

/** Why the chooser is shown: at start, from "Switch", or because a command needed a profile. */
export type ChooserReason = 'start' | 'switch' | 'required';
export const chooserReason = signal<ChooserReason | null>(null);
/** `get_profiles` failed when the chooser needed it. */
export const profilesError = signal<CommandError | null>(null);

/** Where the chooser goes back to once a profile is chosen (or on Cancel). */
let returnTo: ScreenName = 'open';
/** What start-up does after the choice (reopen the draft that was open). */
let then: (() => Promise<void>) | null = null;

export async function loadProfiles(): Promise<ProfilesView | null> {
  try {
    const view = await ipc.getProfiles();
    batch(() => {
      profiles.value = view;
      profilesError.value = null;
    });
    return view;
  } catch (e) {
    profilesError.value = toCommandError(e);
    return null;
  }
}

/** Show "Who is working?"; after a choice the app goes back to where it was (or runs `next`). */
export function openProfileChooser(reason: ChooserReason, opts: { returnTo?: ScreenName; next?: () => Promise<void> } = {}) {
  const current = screen.value;
  returnTo = opts.returnTo ?? (current === 'profile' ? returnTo : current);
  if (opts.next) then = opts.next;
  chooserReason.value = reason;
  go('profile');
}

/** Choose an existing profile or create one by name; rejects with the command's error (`invalid_input` on `name`). */
export async function chooseProfile(name: string): Promise<ProfilesView> {
  const view = await ipc.chooseProfile(name);
  const next = then;
  then = null;
  batch(() => {
    profiles.value = view;
    profilesError.value = null;
    chooserReason.value = null;
  });
  go(returnTo);
  if (next) await next();
  return view;
}

/** Leave the chooser without choosing (only offered while a profile is active). */
export function cancelChooser() {
  chooserReason.value = null;
  go(returnTo);
}

/** Test hook: forget the chooser's return screen and continuation. */
export function resetProfiles() {
  returnTo = 'open';
  then = null;
  batch(() => {
    profiles.value = null;
    profilesError.value = null;
    chooserReason.value = null;
  });
}

// Any action that needs to know who acts and found nobody: ask, then come back.
onCommandError((e) => {
  if (e.kind !== 'no_profile') return;
  const p = profiles.value;
  if (p) profiles.value = { profiles: p.profiles, ...(p.last ? { last: p.last } : {}) };
  openProfileChooser('required');
});
