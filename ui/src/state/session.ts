/**
 * The session: the environments (which one is active), the reference data for pickers, and
 * whether start-up could read them. Who is working is in state/profiles.ts, whether the partner
 * can be reached in state/outbox.ts.
 */

import { batch, computed, signal } from '@preact/signals';
import * as ipc from '../ipc';
import { CommandError, toCommandError } from '../ipc';
import type { EnvironmentView, ReferenceData, Session } from '../types';

export const session = signal<Session | null>(null);
export const reference = signal<ReferenceData | null>(null);
export const startupError = signal<CommandError | null>(null);

export const activeEnvironment = computed<EnvironmentView | null>(() => {
  const s = session.value;
  if (!s) return null;
  return s.environments.find((e) => e.name === s.active) ?? null;
});

export const isProduction = computed(() => activeEnvironment.value?.is_production === true);

export async function start() {
  startupError.value = null;
  try {
    const [s, r] = await Promise.all([ipc.getSession(), ipc.referenceData()]);
    batch(() => {
      session.value = s;
      reference.value = r;
    });
  } catch (e) {
    startupError.value = toCommandError(e);
  }
}

/** The session as Rust answered it; when the active environment changed, the pickers follow its partner profile. */
export function setSession(s: Session) {
  const switched = session.value !== null && session.value.active !== s.active;
  session.value = s;
  if (switched) void refreshReference();
}

/**
 * The reference data again (the active environment or its partner profile changed). A failure
 * keeps the values shown: the next validation still uses the right profile, as Rust applies it.
 */
export async function refreshReference() {
  try {
    reference.value = await ipc.referenceData();
  } catch (e) {
    console.warn('reference data not refreshed', toCommandError(e).kind);
  }
}
