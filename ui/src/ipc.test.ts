import { beforeEach, describe, expect, it, vi } from 'vitest';

const invoke = vi.fn();
vi.mock('@tauri-apps/api/core', () => ({ invoke: (...a: unknown[]) => invoke(...a), isTauri: () => true }));

const ipc = await import('./ipc');

describe('toCommandError', () => {
  it('keeps the contract shape and its extras', () => {
    const e = ipc.toCommandError({
      kind: 'rejected',
      message: 'the partner API rejected the record',
      retryable: false,
      status: 400,
      errors: [{ field: 'business_details.website', code: 'bad', message: 'Bad.' }],
    });
    expect(e).toBeInstanceOf(ipc.CommandError);
    expect(e.kind).toBe('rejected');
    expect(e.errors).toHaveLength(1);
    expect(e.status).toBe(400);
    expect(e.retryable).toBe(false);
    expect(e.isKnownKind).toBe(true);
  });
  it('reads field, issues, retry_after_secs, code, environment', () => {
    const e = ipc.toCommandError({ kind: 'insecure_url', message: 'm', field: 'base_url', retryable: false });
    expect(e.field).toBe('base_url');
    const r = ipc.toCommandError({ kind: 'rate_limited', message: 'm', retry_after_secs: 7, retryable: true });
    expect(r.retryAfterSecs).toBe(7);
    const c = ipc.toCommandError({ kind: 'conflict', message: 'm', code: 'customer_suspended', retryable: false });
    expect(c.code).toBe('customer_suspended');
    const m = ipc.toCommandError({ kind: 'credentials_missing', message: 'm', environment: 'Prod', retryable: false });
    expect(m.environment).toBe('Prod');
    const u = ipc.toCommandError({ kind: 'unresolved_conflicts', message: 'm', paths: ['a.b'], retryable: false });
    expect(u.paths).toEqual(['a.b']);
    expect(u.isKnownKind).toBe(true);
    const d = ipc.toCommandError({ kind: 'draft_not_found', message: 'm', id: 'u-1', retryable: false });
    expect(d.id).toBe('u-1');
    const i = ipc.toCommandError({ kind: 'invalid_record', message: 'm', issues: [{ path: 'a', code: 'required', message: 'x' }], retryable: false });
    expect(i.issues).toHaveLength(1);
  });
  it('turns a plain string (Tauri’s own errors) and Errors into internal', () => {
    expect(ipc.toCommandError('missing required key customer_id').kind).toBe('internal');
    expect(ipc.toCommandError(new Error('x')).message).toBe('x');
    expect(ipc.toCommandError(42).kind).toBe('internal');
  });
  it('keeps an unknown kind as is', () => {
    const e = ipc.toCommandError({ kind: 'brand_new', message: 'm' });
    expect(e.kind).toBe('brand_new');
    expect(e.isKnownKind).toBe(false);
  });
});

describe('commands', () => {
  beforeEach(() => {
    invoke.mockReset();
  });

  it('send the contract’s snake_case argument names', async () => {
    invoke.mockResolvedValue({});
    await ipc.queueDraft('u-1', 'Acme');
    expect(invoke).toHaveBeenLastCalledWith('queue_draft', { id: 'u-1', confirmation: 'Acme' });
    await ipc.queueDraft('u-1');
    expect(invoke).toHaveBeenLastCalledWith('queue_draft', { id: 'u-1' });
    const save = { environment: 'Sandbox', target: { kind: 'update' as const, customer_id: 'cus_1' }, record: {} };
    await ipc.saveDraft(save);
    expect(invoke).toHaveBeenLastCalledWith('save_draft', { draft: save });
    await ipc.importDraft('a.json', '{}');
    expect(invoke).toHaveBeenLastCalledWith('import_draft', { file_name: 'a.json', text: '{}' });
    await ipc.resolveConflict('o-1', { 'business_details.website': 'mine' });
    expect(invoke).toHaveBeenLastCalledWith('resolve_conflict', { id: 'o-1', choices: { 'business_details.website': 'mine' } });
    await ipc.setOpenDraft('u-1');
    expect(invoke).toHaveBeenLastCalledWith('set_open_draft', { id: 'u-1' });
    await ipc.setOpenDraft(null);
    expect(invoke).toHaveBeenLastCalledWith('set_open_draft', {});
    for (const [fn, cmd] of [
      [ipc.openDraft, 'open_draft'],
      [ipc.deleteDraft, 'delete_draft'],
      [ipc.restoreDraft, 'restore_draft'],
      [ipc.exportDraft, 'export_draft'],
      [ipc.retryOutboxEntry, 'retry_outbox_entry'],
      [ipc.cancelOutboxEntry, 'cancel_outbox_entry'],
    ] as const) {
      await fn('x-1');
      expect(invoke).toHaveBeenLastCalledWith(cmd, { id: 'x-1' });
    }
    for (const [fn, cmd] of [
      [ipc.listDrafts, 'list_drafts'],
      [ipc.outboxStatus, 'outbox_status'],
      [ipc.restoreWorkspace, 'restore_workspace'],
    ] as const) {
      await fn();
      expect(invoke).toHaveBeenLastCalledWith(cmd, undefined);
    }
    await ipc.setCredentials('Prod', 'k', 's');
    expect(invoke).toHaveBeenLastCalledWith('set_credentials', { environment: 'Prod', api_key: 'k', api_secret: 's' });
    await ipc.openCustomer({ by: 'partner_customer_id', value: 'P-1001' });
    expect(invoke).toHaveBeenLastCalledWith('open_customer', { lookup: { by: 'partner_customer_id', value: 'P-1001' } });
  });

  it('reject with a CommandError', async () => {
    invoke.mockImplementation(() => Promise.reject({ kind: 'not_found', message: 'no such customer', status: 404, retryable: false }));
    const e = await ipc.openCustomer({ by: 'customer_id', value: 'x' }).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(ipc.CommandError);
    expect((e as InstanceType<typeof ipc.CommandError>).kind).toBe('not_found');
    expect((e as InstanceType<typeof ipc.CommandError>).status).toBe(404);
  });
});

describe('review commands (docs/review-audit.md)', () => {
  beforeEach(() => {
    invoke.mockReset();
  });

  it('send the contract’s argument names', async () => {
    invoke.mockResolvedValue({});
    await ipc.getProfiles();
    expect(invoke).toHaveBeenLastCalledWith('get_profiles', undefined);
    await ipc.chooseProfile('Dana');
    expect(invoke).toHaveBeenLastCalledWith('choose_profile', { name: 'Dana' });
    await ipc.reviewStatus('u-1');
    expect(invoke).toHaveBeenLastCalledWith('review_status', { id: 'u-1' });
    await ipc.decideDocument('u-1', 'f-1', 'rejected', ['expired', 'other'], 'old');
    expect(invoke).toHaveBeenLastCalledWith('decide_document', { id: 'u-1', file_id: 'f-1', decision: 'rejected', reasons: ['expired', 'other'], note: 'old' });
    await ipc.confirmIdentifier('u-1', 'business_details.business_identifier_number', true);
    expect(invoke).toHaveBeenLastCalledWith('confirm_identifier', { id: 'u-1', path: 'business_details.business_identifier_number', confirmed: true });
    await ipc.approveDraft('u-1');
    expect(invoke).toHaveBeenLastCalledWith('approve_draft', { id: 'u-1' });
    await ipc.exportCaseReport('u-1');
    expect(invoke).toHaveBeenLastCalledWith('export_case_report', { id: 'u-1' });
    await ipc.auditLog({ customer: 'cus_1', types: ['document_decided'] });
    expect(invoke).toHaveBeenLastCalledWith('audit_log', { filter: { customer: 'cus_1', types: ['document_decided'] } });
    await ipc.exportAudit({});
    expect(invoke).toHaveBeenLastCalledWith('export_audit', { filter: {} });
  });

  it('read_document_copy answers an ArrayBuffer (also from a typed array or a number array)', async () => {
    const bytes = new Uint8Array([1, 2, 3]);
    invoke.mockResolvedValue(bytes.buffer);
    expect(new Uint8Array(await ipc.readDocumentCopy('u-1', 'f-1'))).toEqual(bytes);
    expect(invoke).toHaveBeenLastCalledWith('read_document_copy', { id: 'u-1', file_id: 'f-1' });
    invoke.mockResolvedValue(new Uint8Array([9, 1, 2, 3]).subarray(1));
    expect(new Uint8Array(await ipc.readDocumentCopy('u-1', 'f-1'))).toEqual(bytes);
    invoke.mockResolvedValue([1, 2, 3]);
    expect(new Uint8Array(await ipc.readDocumentCopy('u-1', 'f-1'))).toEqual(bytes);
    invoke.mockRejectedValue({ kind: 'document_copy_missing', message: 'no copy', field: 'f-1', retryable: false });
    const e = await ipc.readDocumentCopy('u-1', 'f-1').catch((x: unknown) => x);
    expect((e as InstanceType<typeof ipc.CommandError>).kind).toBe('document_copy_missing');
    expect((e as InstanceType<typeof ipc.CommandError>).isKnownKind).toBe(true);
  });

  it('tells the error listeners of every failure (no_profile routing)', async () => {
    const seen: string[] = [];
    const off = ipc.onCommandError((e, cmd) => seen.push(`${cmd}:${e.kind}`));
    invoke.mockRejectedValue({ kind: 'no_profile', message: 'choose a profile', retryable: false });
    await ipc.approveDraft('u-1').catch(() => undefined);
    off();
    await ipc.approveDraft('u-1').catch(() => undefined);
    expect(seen).toEqual(['approve_draft:no_profile']);
  });
});

describe('documents sent in chunks (src-tauri/src/commands/documents.rs)', () => {
  beforeEach(() => {
    invoke.mockReset();
  });

  /** Answers like Rust: begin gives an id and a chunk size of 4 bytes; a chunk answers the bytes received. */
  const answerLikeRust = (finished: unknown) => {
    let received = 0;
    invoke.mockImplementation((cmd: string, args: unknown) => {
      if (cmd.startsWith('begin_')) return Promise.resolve({ upload_id: 'up-1', max_chunk_bytes: 4 });
      if (cmd === 'append_document_chunk') return Promise.resolve((received += (args as Uint8Array).length));
      if (cmd.startsWith('finish_')) return Promise.resolve(finished);
      return Promise.resolve(null);
    });
  };

  it('send each chunk as the raw body at its offset, report progress, then finish', async () => {
    answerLikeRust({ file_id: 'file_1' });
    const file = new File([new Uint8Array([1, 2, 3, 4, 5, 6, 7, 8, 9, 255])], 'Überweisung 1.png');
    const progress: number[] = [];
    expect(await ipc.uploadDocument(file, 'Main page', (sent) => progress.push(sent))).toEqual({ file_id: 'file_1' });
    expect(invoke.mock.calls[0]).toEqual(['begin_document_upload', { file_name: 'Überweisung 1.png', file_type: 'Main page', size: 10 }]);
    const chunks = invoke.mock.calls.filter((c) => c[0] === 'append_document_chunk');
    expect(chunks.map((c) => Array.from(c[1] as Uint8Array))).toEqual([[1, 2, 3, 4], [5, 6, 7, 8], [9, 255]]);
    expect(chunks.every((c) => c[1] instanceof Uint8Array)).toBe(true);
    expect(chunks.map((c) => (c[2] as { headers: Record<string, string> }).headers)).toEqual(
      ['0', '4', '8'].map((offset) => ({ 'kyb-upload-id': 'up-1', 'kyb-upload-offset': offset })),
    );
    expect(progress).toEqual([4, 8, 10]);
    expect(invoke).toHaveBeenLastCalledWith('finish_document_upload', { upload_id: 'up-1' });
  });

  it('send a reviewer’s copy the same way', async () => {
    answerLikeRust({ file_id: 'f-1', file_name: 'a.pdf' });
    await ipc.attachDocumentCopy('u-1', 'f-1', new File([new Uint8Array([37, 80])], 'a.pdf'));
    expect(invoke.mock.calls[0]).toEqual(['begin_document_copy', { id: 'u-1', file_id: 'f-1', file_name: 'a.pdf', size: 2 }]);
    expect(invoke).toHaveBeenLastCalledWith('finish_document_copy', { upload_id: 'up-1' });
  });

  it('cancel the staged upload when a chunk is refused, and throw the refusal', async () => {
    invoke.mockImplementation((cmd: string) => {
      if (cmd === 'begin_document_upload') return Promise.resolve({ upload_id: 'up-2', max_chunk_bytes: 4 });
      if (cmd === 'append_document_chunk') return Promise.reject({ kind: 'invalid_input', message: 'too big', field: 'bytes', retryable: false });
      return Promise.resolve(null);
    });
    const e = await ipc.uploadDocument(new File([new Uint8Array(6)], 'a.pdf'), 'Invoice').catch((x: unknown) => x);
    expect((e as InstanceType<typeof ipc.CommandError>).kind).toBe('invalid_input');
    expect(invoke).toHaveBeenLastCalledWith('cancel_document_upload', { upload_id: 'up-2' });
  });
});
