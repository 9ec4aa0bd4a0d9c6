/** Picker options from `reference_data()`. */

import { computed } from '@preact/signals';
import type { PickerOption } from '../types';
import { reference } from './session';

const plain = (list: readonly string[] | undefined): PickerOption[] => (list ?? []).map((value) => ({ value }));

export const countryOptions = computed<PickerOption[]>(() =>
  (reference.value?.countries ?? []).map((c) => ({ value: c.code, name: c.name })),
);
export const currencyOptions = computed<PickerOption[]>(() =>
  (reference.value?.currencies ?? []).map((c) => ({ value: c.code, name: c.name })),
);
export const businessTypeOptions = computed(() => plain(reference.value?.business_types));
export const businessIdentifierTypeOptions = computed(() => plain(reference.value?.business_identifier_types));
export const productReferenceOptions = computed(() => plain(reference.value?.product_references));
export const roleTypeOptions = computed(() => plain(reference.value?.role_types));
export const idTypeOptions = computed(() => plain(reference.value?.id_types));
