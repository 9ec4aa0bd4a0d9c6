/**
 * DEV ONLY: finding a customer, "Open folder" after an export and the start-up facts, for the
 * dev mock. Answers recorded from the real back end (recorded/search.json) are replayed; a query
 * that was not recorded gets the recorded answer's words and demo customers with a deliberately
 * naive stand-in for the matching (NOT the real ranking, which lives in kyb-app's search).
 */

import type { CustomerMatch } from '../bindings/CustomerMatch';
import type { CustomerSearch } from '../bindings/CustomerSearch';
import type { RecordedCall } from './recorded';
import { sameValue } from './recorded';
import search from './recorded/search.json';

const calls = (search as { calls: RecordedCall[] }).calls;

function recorded(command: string, args: Record<string, unknown>): RecordedCall['answer'] | null {
  const call = calls.find((c) => c.command === command && sameValue(c.args, args));
  return call ? (JSON.parse(JSON.stringify(call.answer)) as RecordedCall['answer']) : null;
}

function answerOf(answer: RecordedCall['answer']): unknown {
  if ('error' in answer) throw answer.error;
  return answer.ok;
}

export interface MockSearch {
  handle(cmd: string, args: Record<string, unknown>): { handled: true; value: unknown } | { handled: false };
  /** Paths "Open folder" was asked to show. */
  revealed: string[];
  /** What `start_info` answers: whether the last run crashed. */
  setLastRunCrashed(crashed: boolean): void;
}

export function createMockSearch(opts: { lastRunCrashed?: boolean } = {}): MockSearch {
  let crashed = opts.lastRunCrashed ?? true;
  const revealed: string[] = [];
  const standIn = (query: string): CustomerSearch => {
    const skeleton = answerOf(recorded('search_customers', { query: '' })!) as CustomerSearch;
    const q = query.trim().toLowerCase();
    const matches: CustomerMatch[] = skeleton.demo_customers
      .filter((d) => q !== '' && [d.business_name, d.customer_id, d.partner_customer_id].some((v) => v?.toLowerCase().includes(q)))
      .map((d) => ({ ...d, sources: ['sandbox_demo'], matched: 'business_name', demo_purpose: d.purpose }));
    return { ...skeleton, query: query.trim(), matches };
  };
  return {
    revealed,
    setLastRunCrashed(value) {
      crashed = value;
    },
    handle(cmd, args) {
      switch (cmd) {
        case 'search_customers': {
          const answer = recorded(cmd, { query: String(args.query ?? '').trim() });
          return { handled: true, value: answer ? answerOf(answer) : standIn(String(args.query ?? '')) };
        }
        case 'start_info':
          return { handled: true, value: { last_run_crashed: crashed } };
        case 'reveal_export': {
          const path = String(args.path ?? '');
          const refused = recorded(cmd, { path });
          if (refused) return { handled: true, value: answerOf(refused) };
          revealed.push(path);
          return { handled: true, value: null };
        }
        default:
          return { handled: false };
      }
    },
  };
}
