-- A reviewer decides on every document the draft's record references, including those already at
-- the partner that nobody uploaded through the team (their bytes are not on the server): a
-- decision is of a draft's file id, not only of an uploaded document.
ALTER TABLE document_decisions DROP CONSTRAINT document_decisions_draft_id_file_id_fkey;
ALTER TABLE document_decisions ADD CONSTRAINT document_decisions_draft_id_fkey
    FOREIGN KEY (draft_id) REFERENCES drafts (id) ON DELETE CASCADE;
