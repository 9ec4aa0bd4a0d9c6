/**
 * The IPC value types, in one place.
 *
 * The Rust side generates them with ts-rs into `src/bindings/` (one file per type, never edited
 * by hand); the rest of the UI imports them from here only.
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

export type { LoadedCustomer } from './bindings/LoadedCustomer';
export type { Session } from './bindings/Session';
export type { CustomerLookup } from './bindings/CustomerLookup';
export type { LookupBy } from './bindings/LookupBy';
export type { CommandError as CommandErrorBody } from './bindings/CommandError';
export type { ErrorKind } from './bindings/ErrorKind';

// Drafts, outbox and lost-update check (docs/drafts-outbox.md), generated.
export type { Draft } from './bindings/Draft';
export type { DraftBase } from './bindings/DraftBase';
export type { DraftTarget } from './bindings/DraftTarget';
export type { OutboxEntry } from './bindings/OutboxEntry';
export type { OutboxState } from './bindings/OutboxState';
export type { FieldConflict } from './bindings/FieldConflict';
export type { Choice } from './bindings/Choice';
export type { EntryProblem } from './bindings/EntryProblem';
export type { AttemptError } from './bindings/AttemptError';

// The commands' shapes that docs/drafts-outbox.md ("Desktop commands") specifies and src-tauri
// has not generated yet: declared here to the contract, replaced by the generated bindings as
// soon as they land (the generated shapes win).
import type { Draft } from './bindings/Draft';
import type { DraftBase } from './bindings/DraftBase';
import type { DraftTarget } from './bindings/DraftTarget';
import type { Issue } from './bindings/Issue';
import type { LoadedCustomer } from './bindings/LoadedCustomer';
import type { OutboxEntry } from './bindings/OutboxEntry';
import type { UpdateCustomerRequest } from './bindings/UpdateCustomerRequest';

/** `save_draft`'s argument: create (no id) or update the draft of one customer or new customer. */
export interface DraftSave {
  id?: string;
  environment: string;
  target: DraftTarget;
  base?: DraftBase;
  record: UpdateCustomerRequest;
}

/** One row of the drafts library. */
export interface DraftSummary {
  id: string;
  environment: string;
  target: DraftTarget;
  business_name_english?: string;
  updated_at: string;
  issue_count: number;
  revision: number;
}

/** A library row: the summary plus the draft's latest outbox entry, if it was queued. */
export interface DraftListItem extends DraftSummary {
  outbox?: OutboxEntry;
}

/** A draft file that cannot be opened (sealed with a lost key, damaged), set aside. */
export interface UnreadableDraft {
  file: string;
  reason: string;
}

export interface DraftLibraryView {
  drafts: DraftListItem[];
  unreadable: UnreadableDraft[];
}

/** `export_draft`: where the portable file was written. */
export interface ExportedDraft {
  path: string;
  file_name: string;
}

/** `import_draft`: the draft as stored, what validation says about it, and notes. */
export interface ImportReport {
  draft: Draft;
  issues: Issue[];
  notes: string[];
}

/** `outbox_status`: whether the active environment answers, and every entry. */
export interface OutboxStatus {
  online: boolean;
  checked_at?: string;
  environment: string;
  entries: OutboxEntry[];
}

/** `open_customer`'s answer: with `draft` when one exists for the customer (the editor resumes it). */
export type LoadedCustomerWithDraft = LoadedCustomer & { draft?: Draft | null };

/** The error kinds docs/drafts-outbox.md adds (until the generated `ErrorKind` has them). */
export type DraftErrorKind = 'draft_not_found' | 'draft_unreadable' | 'keychain_unavailable' | 'outbox_busy' | 'unresolved_conflicts';

// UI-only types.

/**
 * An issue as the editor shows it: from `validate_record` (code is an IssueCode) or from the
 * partner's answer to a submit (any code the partner uses).
 */
export interface ShownIssue {
  path: string;
  code: string;
  message: string;
  source: 'validation' | 'partner' | 'local';
}
