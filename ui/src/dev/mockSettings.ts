/**
 * DEV ONLY: Settings' partner profile and Test connection for the dev mock, replayed from the
 * recorded Settings scenario (./recorded/settings.json). Which profile each environment uses is
 * remembered from the import and reset answers, so the page sees its own change.
 */

import type { PartnerProfileImport } from '../bindings/PartnerProfileImport';
import type { ProfileSummary } from '../bindings/ProfileSummary';
import { replay } from './recorded';

export type Handled = { handled: true; value: unknown } | { handled: false };

export interface MockSettings {
  handle(cmd: string, args: Record<string, unknown>): Handled;
  clear(): void;
}

export function createMockSettings(): MockSettings {
  const profiles = new Map<string, ProfileSummary>();
  const handled = (value: unknown): Handled => ({ handled: true, value });
  return {
    clear: () => profiles.clear(),
    handle(cmd, args) {
      const environment = String(args.environment);
      switch (cmd) {
        case 'partner_profile':
          return handled(profiles.get(environment) ?? replay(cmd, { environment }));
        case 'import_partner_profile': {
          const answer = replay(cmd, { environment, text: args.text }) as PartnerProfileImport;
          if (answer.accepted) profiles.set(environment, answer.active);
          return handled({ ...answer, active: answer.accepted ? answer.active : (profiles.get(environment) ?? answer.active) });
        }
        case 'reset_partner_profile': {
          const summary = replay(cmd, { environment }) as ProfileSummary;
          profiles.set(environment, summary);
          return handled(summary);
        }
        case 'test_connection':
          return handled(replay(cmd, { environment }));
        default:
          return { handled: false };
      }
    },
  };
}
