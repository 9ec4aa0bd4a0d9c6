/**
 * The only module that talks to the Rust side (docs/desktop-ipc.md). One typed function per
 * command; every rejection becomes a {@link CommandError}. Components never import
 * `@tauri-apps/*`; they branch on `error.kind`, never on `error.message` (which is for people).
 */

import { invoke, isTauri, type InvokeArgs, type InvokeOptions } from '@tauri-apps/api/core';
import type {
  AuditFilter,
  AuditView,
  Choice,
  Decision,
  DecisionReason,
  DocumentCopy,
  ProfilesView,
  ReviewView,
  CommandErrorBody,
  CustomerLookup,
  Draft,
  DraftLibraryView,
  DraftSave,
  ExportedDraft,
  ImportReport,
  LoadedCustomer,
  OutboxEntry,
  OutboxStatus,
  EnvironmentInput,
  ErrorKind,
  DiffView,
  FileType,
  FileUploadResponse,
  Issue,
  ReferenceData,
  ServerFieldError,
  Session,
  UpdateCustomerRequest,
} from './types';
import type { ConnectionTest } from './bindings/ConnectionTest';
import type { PartnerProfileImport } from './bindings/PartnerProfileImport';
import type { ProfileSummary } from './bindings/ProfileSummary';
import type { StagedUpload } from './bindings/StagedUpload';
import type { CustomerSearch } from './bindings/CustomerSearch';
import type { StartInfo } from './bindings/StartInfo';
import type { TeamConflictView } from './bindings/TeamConflictView';
import type { TeamDraftRow } from './bindings/TeamDraftRow';
import type { TeamDraftSummary } from './bindings/TeamDraftSummary';
import type { TeamQueue } from './bindings/TeamQueue';
import type { TeamStatus } from './bindings/TeamStatus';
import type { TeamSubmissionView } from './bindings/TeamSubmissionView';
import type { TeamTrailEntry } from './bindings/TeamTrailEntry';

/** The `kind`s of docs/desktop-ipc.md (generated), plus `unavailable` when the page runs outside the app. */
export type CommandErrorKind = ErrorKind | 'unavailable';

const KNOWN_KINDS: ReadonlySet<string> = new Set<CommandErrorKind>([
  'invalid_record', 'rejected', 'network', 'timeout', 'unauthorized', 'not_found', 'rate_limited',
  'server', 'malformed_response', 'unexpected_status', 'conflict', 'insecure_url', 'invalid_url',
  'credentials_missing', 'keychain_unavailable', 'confirmation_required', 'invalid_input',
  'internal', 'unavailable', 'draft_not_found', 'draft_unreadable', 'draft_exists', 'outbox_busy',
  'unresolved_conflicts', 'no_profile', 'self_approval', 'approval_required', 'checklist_incomplete',
  'approval_refused', 'document_copy_missing', 'team_not_connected', 'team_not_signed_in',
  'team_unreachable', 'team_refused', 'team_stale', 'team_trail_broken',
] satisfies CommandErrorKind[]);

export class CommandError extends Error {
  /** What went wrong, for code to branch on. A kind this UI does not know is kept as is. */
  readonly kind: CommandErrorKind | (string & {});
  /** The argument or record field at fault, when the Rust side names one. */
  readonly field?: string;
  /** `invalid_record`: every validation issue. */
  readonly issues?: Issue[];
  /** `rejected`: the partner's field errors. */
  readonly errors?: ServerFieldError[];
  readonly status?: number;
  readonly retryAfterSecs?: number;
  readonly retryable?: boolean;
  /** `conflict` / `unexpected_status`: the partner's code (e.g. `customer_suspended`). */
  readonly code?: string;
  /** `credentials_missing` / `confirmation_required`: the environment concerned. */
  readonly environment?: string;
  /** `draft_not_found` / `draft_unreadable` / `draft_exists`: the draft; `outbox_busy`: the outbox entry. */
  readonly id?: string;
  /** `unresolved_conflicts`: the conflicting fields still without a choice. */
  readonly paths?: string[];
  /** The whole object as received (for details this module does not type). */
  readonly data: Record<string, unknown>;

  constructor(kind: string, message: string, data: Record<string, unknown> = {}) {
    super(message);
    this.name = 'CommandError';
    this.kind = kind;
    this.data = data;
    if (typeof data.field === 'string') this.field = data.field;
    if (Array.isArray(data.issues)) this.issues = data.issues as Issue[];
    if (Array.isArray(data.errors)) this.errors = data.errors as ServerFieldError[];
    if (typeof data.status === 'number') this.status = data.status;
    if (typeof data.retry_after_secs === 'number') this.retryAfterSecs = data.retry_after_secs;
    if (typeof data.retryable === 'boolean') this.retryable = data.retryable;
    if (typeof data.code === 'string') this.code = data.code;
    if (typeof data.environment === 'string') this.environment = data.environment;
    if (typeof data.id === 'string') this.id = data.id;
    if (Array.isArray(data.paths)) this.paths = data.paths.filter((p): p is string => typeof p === 'string');
  }

  /** Whether this UI knows the kind (an unknown one is shown with its message). */
  get isKnownKind(): boolean {
    return KNOWN_KINDS.has(this.kind);
  }
}

/**
 * Any rejection as a CommandError: the contract's `{kind, message, ...}` (`CommandErrorBody`), or
 * `internal` for anything else (Tauri rejects a page bug such as a missing argument with a plain
 * string).
 */
export function toCommandError(e: unknown): CommandError {
  if (e instanceof CommandError) return e;
  if (typeof e === 'object' && e !== null && typeof (e as Partial<CommandErrorBody>).kind === 'string') {
    const obj = e as Record<string, unknown>;
    const text = obj.message;
    const message = typeof text === 'string' && text.length > 0 ? text : String(obj.kind);
    return new CommandError(obj.kind as string, message, obj);
  }
  if (typeof e === 'string') return new CommandError('internal', e);
  if (e instanceof Error) return new CommandError('internal', e.message);
  return new CommandError('internal', 'Unexpected error from the application.');
}

type ErrorListener = (e: CommandError, command: string) => void;
const errorListeners = new Set<ErrorListener>();

/**
 * Be told of every command that fails (after the caller's promise rejects with it), e.g. to send
 * the officer to the profile chooser on `no_profile` whatever screen made the call.
 */
export function onCommandError(fn: ErrorListener): () => void {
  errorListeners.add(fn);
  return () => errorListeners.delete(fn);
}

async function call<T>(command: string, args?: InvokeArgs, options?: InvokeOptions): Promise<T> {
  if (!isTauri()) {
    throw new CommandError('unavailable', 'KYB Desk’s back end is not available: this page only works inside the desktop app.');
  }
  try {
    // Argument names are the contract's snake_case ones (the commands use rename_all = "snake_case").
    return await (options === undefined ? invoke<T>(command, args) : invoke<T>(command, args, options));
  } catch (e) {
    const err = toCommandError(e);
    for (const fn of errorListeners) {
      try {
        fn(err, command);
      } catch {
        // A listener's bug must not replace the command's own error.
      }
    }
    throw err;
  }
}

/**
 * A document's bytes go as the raw IPC body (never a JSON array of numbers: about 65 bytes of
 * JSON and parsed values per byte of file); its other arguments go in headers, percent-encoded so
 * any file name fits (the Rust side decodes them, see src-tauri/src/commands/documents.rs).
 */
function documentCall<T>(command: string, bytes: Uint8Array, headers: Record<string, string>): Promise<T> {
  const encoded: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) encoded[name] = encodeURIComponent(value);
  return call<T>(command, bytes, { headers: encoded });
}

/** Raw bytes from a command answering Tauri's `ipc::Response` (an ArrayBuffer; the dev mock may answer an array). */
function asArrayBuffer(v: unknown): ArrayBuffer {
  // By its tag, not instanceof: the buffer may come from another realm (the IPC bridge, a test DOM).
  if (Object.prototype.toString.call(v) === '[object ArrayBuffer]') return v as ArrayBuffer;
  if (ArrayBuffer.isView(v)) return v.buffer.slice(v.byteOffset, v.byteOffset + v.byteLength) as ArrayBuffer;
  if (Array.isArray(v)) return new Uint8Array(v as number[]).buffer;
  throw new CommandError('internal', 'The document copy did not arrive as bytes.');
}

export const getSession = () => call<Session>('get_session');
export const selectEnvironment = (name: string) => call<Session>('select_environment', { name });
export const saveEnvironment = (environment: EnvironmentInput) => call<Session>('save_environment', { environment });
export const deleteEnvironment = (name: string) => call<Session>('delete_environment', { name });
/** Write-only: the secret is passed through and never read back. */
export const setCredentials = (environment: string, apiKey: string, apiSecret: string) =>
  call<Session>('set_credentials', { environment, api_key: apiKey, api_secret: apiSecret });
export const clearCredentials = (environment: string) => call<Session>('clear_credentials', { environment });
/** The pickers' values, from the active environment's partner profile. */
export const referenceData = () => call<ReferenceData>('reference_data');
// Settings: each environment's partner profile, and Test connection (docs/VALIDATION.md).
export const partnerProfile = (environment: string) => call<ProfileSummary>('partner_profile', { environment });
/** `text`: the file as read; a refused file is an answer listing its problems, not an error. */
export const importPartnerProfile = (environment: string, text: string) =>
  call<PartnerProfileImport>('import_partner_profile', { environment, text });
export const resetPartnerProfile = (environment: string) => call<ProfileSummary>('reset_partner_profile', { environment });
export const testConnection = (environment: string) => call<ConnectionTest>('test_connection', { environment });
/** With `draft` when a draft of this customer exists in the active environment. */
export const openCustomer = (lookup: CustomerLookup) => call<LoadedCustomer>('open_customer', { lookup });
/** `partnerCustomerId`: a new customer's id, checked with the record (Rust owns that rule). */
export const validateRecord = (record: UpdateCustomerRequest, partnerCustomerId?: string) =>
  call<Issue[]>('validate_record', { record, partner_customer_id: partnerCustomerId ?? null });
export const diffRecord = (base: UpdateCustomerRequest, edited: UpdateCustomerRequest) =>
  call<DiffView>('diff_record', { base, edited });
/** Bytes of a document sent so far, and its size (for a progress bar). */
export type SendProgress = (sent: number, size: number) => void;

/**
 * Send `file` to a staged upload begun by `begin`, one chunk at a time (at most the size Rust
 * answers): the page holds one chunk, never the whole file, and the IPC bridge carries one at a
 * time. Each chunk is the raw body, its upload id and offset in headers. On any failure the
 * staged upload is cancelled (best effort) and the error is thrown.
 */
async function sendInChunks<T>(begin: Promise<StagedUpload>, finish: (uploadId: string) => Promise<T>, file: File, onProgress?: SendProgress): Promise<T> {
  const { upload_id: uploadId, max_chunk_bytes: chunkBytes } = await begin;
  try {
    for (let offset = 0; offset < file.size; offset += chunkBytes) {
      const chunk = new Uint8Array(await readBlob(file.slice(offset, offset + chunkBytes)));
      const received = await documentCall<number>('append_document_chunk', chunk, { 'kyb-upload-id': uploadId, 'kyb-upload-offset': String(offset) });
      onProgress?.(received, file.size);
    }
    return await finish(uploadId);
  } catch (e) {
    await call<null>('cancel_document_upload', { upload_id: uploadId }).catch(() => undefined);
    throw e;
  }
}

/** A blob's bytes (`Blob.arrayBuffer`, or FileReader where a test DOM lacks it). */
function readBlob(blob: Blob): Promise<ArrayBuffer> {
  if (typeof blob.arrayBuffer === 'function') return blob.arrayBuffer();
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(reader.result as ArrayBuffer);
    reader.onerror = () => reject(reader.error ?? new Error('the file could not be read'));
    reader.readAsArrayBuffer(blob);
  });
}

/** The page checks the size against `ReferenceData.max_upload_bytes` before reading the file; Rust checks it again at the start. */
export const uploadDocument = (file: File, fileType: FileType, onProgress?: SendProgress) =>
  sendInChunks(
    call<StagedUpload>('begin_document_upload', { file_name: file.name, file_type: fileType, size: file.size }),
    (uploadId) => call<FileUploadResponse>('finish_document_upload', { upload_id: uploadId }),
    file,
    onProgress,
  );

// Drafts and outbox (docs/drafts-outbox.md, "Desktop commands").

export const listDrafts = () => call<DraftLibraryView>('list_drafts');
export const openDraft = (id: string) => call<Draft>('open_draft', { id });
/** Autosave: create (no `id`) or update; answers the draft as stored (id, revision, issue_count). */
export const saveDraft = (draft: DraftSave) => call<Draft>('save_draft', { draft });
/** To the trash; {@link restoreDraft} undoes it. */
export const deleteDraft = (id: string) => call<null>('delete_draft', { id });
export const restoreDraft = (id: string) => call<Draft>('restore_draft', { id });
export const exportDraft = (id: string) => call<ExportedDraft>('export_draft', { id });
/** The page reads the file (`<input type=file>`) and passes its name and text. */
export const importDraft = (fileName: string, text: string) => call<ImportReport>('import_draft', { file_name: fileName, text });
/** Production needs `confirmation` (the typed business name), as submitting did. */
export const queueDraft = (id: string, confirmation?: string) =>
  call<OutboxEntry>('queue_draft', { id, ...(confirmation !== undefined ? { confirmation } : {}) });
export const outboxStatus = () => call<OutboxStatus>('outbox_status');
export const retryOutboxEntry = (id: string) => call<OutboxEntry>('retry_outbox_entry', { id });
export const cancelOutboxEntry = (id: string) => call<null>('cancel_outbox_entry', { id });
export const resolveConflict = (id: string, choices: Record<string, Choice>) => call<OutboxEntry>('resolve_conflict', { id, choices });
/** Which draft is open (kept in workspace.json); `null` when none is. */
export const setOpenDraft = (id: string | null) => call<null>('set_open_draft', id !== null ? { id } : {});
/** The draft that was open when the app last stopped, if any. */
export const restoreWorkspace = () => call<Draft | null>('restore_workspace');

// Profiles, document review, four-eyes approval and the audit trail (docs/review-audit.md).

export const getProfiles = () => call<ProfilesView>('get_profiles');
/** An existing profile by name, or a new one (`invalid_input` on `name` when the name is not acceptable). */
export const chooseProfile = (name: string) => call<ProfilesView>('choose_profile', { name });
/** The local copy's bytes; `document_copy_missing` when KYB Desk has none. */
export const readDocumentCopy = async (id: string, fileId: string) =>
  asArrayBuffer(await call<unknown>('read_document_copy', { id, file_id: fileId }));
/** A reviewer's copy of `fileId`, sent in chunks like an upload (recorded in the trail when finished). */
export const attachDocumentCopy = (id: string, fileId: string, file: File, onProgress?: SendProgress) =>
  sendInChunks(
    call<StagedUpload>('begin_document_copy', { id, file_id: fileId, file_name: file.name, size: file.size }),
    (uploadId) => call<DocumentCopy>('finish_document_copy', { upload_id: uploadId }),
    file,
    onProgress,
  );
export const reviewStatus = (id: string) => call<ReviewView>('review_status', { id });
export const decideDocument = (id: string, fileId: string, decision: Decision, reasons: DecisionReason[], note: string) =>
  call<ReviewView>('decide_document', { id, file_id: fileId, decision, reasons, note });
export const confirmIdentifier = (id: string, path: string, confirmed: boolean) =>
  call<ReviewView>('confirm_identifier', { id, path, confirmed });
export const approveDraft = (id: string) => call<ReviewView>('approve_draft', { id });
/** A printable HTML case report (`.html`), written where exported drafts go. */
export const exportCaseReport = (id: string) => call<ExportedDraft>('export_case_report', { id });
export const auditLog = (filter: AuditFilter) => call<AuditView>('audit_log', { filter });
/** The (filtered) trail as JSON (`.json`). */
export const exportAudit = (filter: AuditFilter) => call<ExportedDraft>('export_audit', { filter });

// Finding a customer, showing an export, start-up facts (search, exports, clean exit).

/** Recent customers, drafts, the outbox and the built-in Sandbox's demo customers matching `query`. */
export const searchCustomers = (query: string) => call<CustomerSearch>('search_customers', { query });
/** Show an exported file in the file manager (only a file this app exported in this session). */
export const revealExport = (path: string) => call<null>('reveal_export', { path });
/** Whether the last run ended without a normal exit (the reopened draft is then restored work). */
export const startInfo = () => call<StartInfo>('start_info');

// Team mode (docs/team.md): a team server holds the partner credentials, enforces four-eyes and
// keeps the trail; team drafts are local copies the background sync pushes.

/** Solo mode answers no `server_url`. */
export const teamStatus = () => call<TeamStatus>('team_status');
/** `invalid_input` on `server_url` when no team server answers there. */
export const teamConnect = (serverUrl: string) => call<TeamStatus>('team_connect', { server_url: serverUrl });
/** Opens the provider's page in the system browser and waits (up to 5 minutes) for the person. */
export const teamSignIn = () => call<TeamStatus>('team_sign_in');
export const teamSignOut = () => call<TeamStatus>('team_sign_out');
/** Back to solo mode; local drafts stay. */
export const teamDisconnect = () => call<TeamStatus>('team_disconnect');
export const teamDrafts = (queue: TeamQueue) => call<TeamDraftRow[]>('team_drafts', { queue });
export const teamAssignToMe = (teamId: string) => call<TeamDraftSummary>('team_assign_to_me', { team_id: teamId });
/** The local copy of a team draft (made or refreshed); it becomes the open draft. */
export const teamOpenDraft = (teamId: string) => call<Draft>('team_open_draft', { team_id: teamId });
/** `environment`: a team environment's local name (`TeamStatus.environments[].name`). */
export const teamStartDraft = (environment: string, customerId: string) =>
  call<Draft>('team_start_draft', { environment, customer_id: customerId });
/** Submit a team draft's local copy through the team server (instead of {@link queueDraft}). */
export const teamSubmit = (id: string) => call<TeamSubmissionView>('team_submit', { id });
/** The latest team submission of local draft `id`, `null` when there is none. */
export const teamSubmission = (id: string) => call<TeamSubmissionView | null>('team_submission', { id });
export const teamTrail = (id: string) => call<TeamTrailEntry[]>('team_trail', { id });
export const teamConflict = (id: string) => call<TeamConflictView>('team_conflict', { id });
export const teamResolveConflict = (id: string, choices: Record<string, Choice>) =>
  call<Draft>('team_resolve_conflict', { id, choices });
