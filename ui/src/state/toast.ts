/** One short-lived message at the bottom of the window, optionally with an "Undo" (~10 s). */

import { signal } from '@preact/signals';
import { toCommandError, type CommandError } from '../ipc';

export const UNDO_WINDOW_MS = 10_000;

export interface Toast {
  id: number;
  message: string;
  /** Offered as an "Undo" button until the toast goes. */
  undo?: () => Promise<void>;
  /** The undo itself failed. */
  error?: CommandError;
}

export const toast = signal<Toast | null>(null);

let seq = 0;
let timer: ReturnType<typeof setTimeout> | null = null;

export function showToast(message: string, undo?: () => Promise<void>, ms = UNDO_WINDOW_MS) {
  if (timer) clearTimeout(timer);
  const t: Toast = { id: ++seq, message, ...(undo ? { undo } : {}) };
  toast.value = t;
  timer = setTimeout(() => {
    if (toast.value?.id === t.id) toast.value = null;
  }, ms);
}

export function dismissToast() {
  if (timer) clearTimeout(timer);
  timer = null;
  toast.value = null;
}

/** Run the toast's undo; on failure the toast stays and says why. */
export async function undoToast() {
  const t = toast.value;
  if (!t?.undo) return;
  toast.value = { id: t.id, message: 'Undoing…' };
  try {
    await t.undo();
    if (toast.value?.id === t.id) dismissToast();
  } catch (e) {
    toast.value = { id: t.id, message: t.message, error: toCommandError(e) };
  }
}
