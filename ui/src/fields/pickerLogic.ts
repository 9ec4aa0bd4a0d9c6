/** The pure part of the searchable picker: option text, filtering and ranking, blur commit. */

import type { PickerOption } from '../types';

/** What the input shows for a value: `US — United States`, or the raw value when unknown. */
export function optionText(o: PickerOption): string {
  return o.name ? `${o.value} — ${o.name}` : o.value;
}

export function displayFor(value: string, options: readonly PickerOption[]): string {
  const o = options.find((x) => x.value === value);
  return o ? optionText(o) : value;
}

/**
 * Options matching a query (case-insensitive, on value and name), best first: exact value,
 * value prefix, name prefix, word prefix, then anywhere. Original order within each rank.
 */
export function filterOptions(options: readonly PickerOption[], query: string): PickerOption[] {
  const q = query.trim().toLowerCase();
  if (q === '') return options.slice();
  const ranked: { o: PickerOption; rank: number; i: number }[] = [];
  options.forEach((o, i) => {
    const v = o.value.toLowerCase();
    const n = (o.name ?? '').toLowerCase();
    const text = optionText(o).toLowerCase();
    let rank = -1;
    if (v === q) rank = 0;
    else if (v.startsWith(q)) rank = 1;
    else if (n.startsWith(q)) rank = 2;
    else if ((' ' + v + ' ' + n).includes(' ' + q)) rank = 3;
    else if (v.includes(q) || n.includes(q) || text === q) rank = 4;
    if (rank >= 0) ranked.push({ o, rank, i });
  });
  ranked.sort((a, b) => a.rank - b.rank || a.i - b.i);
  return ranked.map((r) => r.o);
}

/**
 * The value to keep when the user leaves the input after typing: an option whose value matches
 * exactly, or whose name or display text matches ignoring case, gives that option's value;
 * blank clears; anything else is kept as typed so validation can say what is wrong with it.
 */
export function commitTyped(text: string, options: readonly PickerOption[]): string | undefined {
  const t = text.trim();
  if (t === '') return undefined;
  const exact = options.find((o) => o.value === t);
  if (exact) return exact.value;
  const lower = t.toLowerCase();
  const named = options.find((o) => (o.name && o.name.toLowerCase() === lower) || optionText(o).toLowerCase() === lower);
  if (named) return named.value;
  return text;
}
