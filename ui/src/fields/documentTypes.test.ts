import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { replay } from '../dev/recorded';
import { reference } from '../state/session';
import type { ReferenceData } from '../types';
import { allowedFileTypes, sizeRefusal } from './documentTypes';

describe('document slots and the upload limit, as Rust serves them', () => {
  beforeEach(() => {
    reference.value = replay('reference_data') as ReferenceData;
  });
  afterEach(() => {
    reference.value = null;
  });

  it('offer each slot only the types it takes', () => {
    expect(allowedFileTypes('business_details.business_identifier_document_list[3]')).toEqual(['Business Registration', 'Article of Association']);
    expect(allowedFileTypes('business_person_list[0].identification.id_document_front_file_id')).toEqual(['Main page']);
    expect(allowedFileTypes('business_person_list[12].identification.id_document_back_file_id')).toEqual(['Back page']);
    expect(allowedFileTypes('business_person_list[0].identification.id_number')).toEqual([]);
  });

  it('refuse a file over the limit by its size, before reading it', () => {
    const limit = reference.value!.max_upload_bytes;
    expect(limit).toBe(10 * 1024 * 1024);
    // A file that cannot be read: only its size may be looked at.
    const unreadable = (size: number) =>
      ({ name: 'scan.pdf', size, arrayBuffer: () => { throw new Error('read'); } }) as unknown as Blob & { name: string };
    expect(sizeRefusal(unreadable(limit))).toBeNull();
    const message = sizeRefusal(unreadable(limit + 1));
    expect(message).toContain('scan.pdf');
    expect(message).toContain('10.0 MB');
    expect(message).toContain('not read');
  });

  it('refuse nothing before the reference data has arrived', () => {
    reference.value = null;
    expect(allowedFileTypes('business_person_list[0].identification.id_document_front_file_id')).toEqual([]);
    expect(sizeRefusal({ name: 'a', size: 1e12 } as unknown as Blob & { name: string })).toBeNull();
  });
});
