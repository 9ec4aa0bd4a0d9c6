/**
 * The IPC value types, in one place.
 *
 * The Rust side generates them with ts-rs into `src/bindings/` (one file per type, never edited
 * by hand). The rest of the UI imports types only from here, so a type whose binding does not
 * exist yet is described below from docs/desktop-ipc.md, and switching it to the generated one
 * is a change to this file alone.
 *
 * Optional fields are `T | null` or absent: the UI treats `null` and a missing key the same way.
 */

// Generated from Rust (kyb-core's model and validation) by ts-rs.
export type { AccountUsage } from './bindings/AccountUsage';
export type { BasicInfo } from './bindings/BasicInfo';
export type { BusinessDetails } from './bindings/BusinessDetails';
export type { BusinessPerson } from './bindings/BusinessPerson';
export type { Customer } from './bindings/Customer';
export type { CustomerStatus } from './bindings/CustomerStatus';
export type { FieldError as ServerFieldError } from './bindings/FieldError';
export type { FileType } from './bindings/FileType';
export type { FileUploadResponse } from './bindings/FileUploadResponse';
export type { Identification } from './bindings/Identification';
export type { Issue } from './bindings/Issue';
export type { IssueCode } from './bindings/IssueCode';
export type { PrimaryContact } from './bindings/PrimaryContact';
export type { RegistrationAddress } from './bindings/RegistrationAddress';
export type { ResidentialAddress } from './bindings/ResidentialAddress';
export type { UpdateCustomerRequest } from './bindings/UpdateCustomerRequest';
export type { CodeName } from './bindings/CodeName';
export type { EnvironmentInput } from './bindings/EnvironmentInput';
export type { EnvironmentView } from './bindings/EnvironmentView';
export type { FieldChange } from './bindings/FieldChange';
export type { RecentCustomer } from './bindings/RecentCustomer';
export type { ReferenceData } from './bindings/ReferenceData';

import type { Customer } from './bindings/Customer';
import type { UpdateCustomerRequest } from './bindings/UpdateCustomerRequest';
import type { EnvironmentView } from './bindings/EnvironmentView';
import type { RecentCustomer } from './bindings/RecentCustomer';

// Desktop-shell types (src-tauri), written from docs/desktop-ipc.md until their bindings exist.

export interface LoadedCustomer {
  customer: Customer;
  record: UpdateCustomerRequest;
}

export interface Session {
  environments: EnvironmentView[];
  active: string;
  recent: RecentCustomer[];
}

export type LookupBy = 'customer_id' | 'partner_customer_id';

export interface CustomerLookup {
  by: LookupBy;
  value: string;
}


/**
 * An issue as the editor shows it: from `validate_record` (code is an IssueCode) or from the
 * partner's answer to a submit (any code the partner uses).
 */
export interface ShownIssue {
  path: string;
  code: string;
  message: string;
  source: 'validation' | 'partner';
}
