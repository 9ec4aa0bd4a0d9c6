/**
 * The parts of a customer the partner's answer did not contain (Rust lists them when the
 * customer is opened: `LoadedCustomer.missing_parts`), kept for the editor's notice.
 */

import { signal } from '@preact/signals';
import type { LoadedCustomer, MissingPart } from '../types';

export interface MissingParts {
  customerId: string;
  parts: MissingPart[];
}

export const missingParts = signal<MissingParts | null>(null);

/** Remember what the partner left out of the customer just opened. */
export function rememberMissingParts(loaded: Pick<LoadedCustomer, 'customer'> & Partial<Pick<LoadedCustomer, 'missing_parts'>>) {
  missingParts.value = { customerId: loaded.customer.customer_id, parts: loaded.missing_parts ?? [] };
}

/** What the partner left out of `customerId`, when it was the customer opened last. */
export function missingPartsOf(customerId: string | null): MissingPart[] {
  const known = missingParts.value;
  return customerId !== null && known?.customerId === customerId ? known.parts : [];
}
