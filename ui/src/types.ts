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
export type { DiffFile } from './bindings/DiffFile';
export type { DiffGroup } from './bindings/DiffGroup';
export type { DiffRow } from './bindings/DiffRow';
export type { DiffView } from './bindings/DiffView';
export type { FieldLabels } from './bindings/FieldLabels';
export type { RecentCustomer } from './bindings/RecentCustomer';
export type { ReferenceData } from './bindings/ReferenceData';
export type { ReviewVocabulary } from './bindings/ReviewVocabulary';
export type { Labelled } from './bindings/Labelled';

export type { LoadedCustomer } from './bindings/LoadedCustomer';
export type { Session } from './bindings/Session';
export type { CustomerLookup } from './bindings/CustomerLookup';
export type { LookupBy } from './bindings/LookupBy';
export type { MissingPart } from './bindings/MissingPart';
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

export type { DraftSave } from './bindings/DraftSave';
export type { DraftSummary } from './bindings/DraftSummary';
export type { DraftListItem } from './bindings/DraftListItem';
export type { DraftLibraryView } from './bindings/DraftLibraryView';
export type { UnreadableDraft } from './bindings/UnreadableDraft';
export type { UnreadableCause } from './bindings/UnreadableCause';
export type { ExportedDraft } from './bindings/ExportedDraft';
export type { ImportReport } from './bindings/ImportReport';
export type { OutboxStatus } from './bindings/OutboxStatus';

// Profiles, document review, approval and the audit trail (docs/review-audit.md), generated.
export type { ProfilesView } from './bindings/ProfilesView';
export type { Profile } from './bindings/Profile';
export type { ReviewView } from './bindings/ReviewView';
export type { DraftState } from './bindings/DraftState';
export type { SubmitReadiness } from './bindings/SubmitReadiness';
export type { ReviewBlocker } from './bindings/ReviewBlocker';
export type { ReviewDocument } from './bindings/ReviewDocument';
export type { DocumentRef } from './bindings/DocumentRef';
export type { DocumentKind } from './bindings/DocumentKind';
export type { DocumentCopy } from './bindings/DocumentCopy';
export type { CopyOrigin } from './bindings/CopyOrigin';
export type { Preview } from './bindings/Preview';
export type { DocumentDecision } from './bindings/DocumentDecision';
export type { Decision } from './bindings/Decision';
export type { DecisionReason } from './bindings/DecisionReason';
export type { IdentifierMatch } from './bindings/IdentifierMatch';
export type { Approval } from './bindings/Approval';
export type { ApprovalState } from './bindings/ApprovalState';
export type { Checklist } from './bindings/Checklist';
export type { ChecklistItem } from './bindings/ChecklistItem';
export type { ItemState } from './bindings/ItemState';
export type { AuditView } from './bindings/AuditView';
export type { AuditEntry } from './bindings/AuditEntry';
export type { AuditEvent } from './bindings/AuditEvent';
export type { AuditFilter } from './bindings/AuditFilter';
export type { ChainReport } from './bindings/ChainReport';
export type { ChainProblem } from './bindings/ChainProblem';
export type { ChainProblemKind } from './bindings/ChainProblemKind';

// UI-only types.

/**
 * An issue as the editor shows it: from `validate_record` (code is an IssueCode) or from the
 * partner's answer to a submit (any code the partner uses).
 */
export interface ShownIssue {
  path: string;
  code: string;
  message: string;
  /** `review`: what the review checklist will need (a document, a representative), where approval is required. */
  source: 'validation' | 'partner' | 'local' | 'review';
}

/** One choice of a searchable picker (state/options.ts builds them from reference data). */
export interface PickerOption {
  /** What goes into the record (`US`, `Director`). */
  value: string;
  /** A name shown next to it (`United States`), when the value is a code. */
  name?: string;
}
