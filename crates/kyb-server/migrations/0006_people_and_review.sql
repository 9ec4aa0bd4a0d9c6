-- Who people are (so lists show names, while every other table keeps subjects), who a draft is
-- assigned to, who is working on it now, and a reviewer's decision on each of its documents.

-- Refreshed from the identity provider's token when a signed-in request arrives.
CREATE TABLE people (
    subject      TEXT        PRIMARY KEY,
    name         TEXT        NOT NULL,
    roles        TEXT[]      NOT NULL DEFAULT '{}',
    last_seen_at TIMESTAMPTZ NOT NULL
);

ALTER TABLE drafts ADD COLUMN assigned_to TEXT;

-- "Working on it now": the last time each person said so (not audited; shown for two minutes).
CREATE TABLE draft_presence (
    draft_id UUID        NOT NULL REFERENCES drafts (id) ON DELETE CASCADE,
    subject  TEXT        NOT NULL,
    seen_at  TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (draft_id, subject)
);

-- The current decision on a document of a draft (each decision is also in the audit trail).
CREATE TABLE document_decisions (
    draft_id   UUID        NOT NULL,
    file_id    TEXT        NOT NULL,
    decision   TEXT        NOT NULL CHECK (decision IN ('verified', 'needs_reupload', 'rejected')),
    reason     TEXT,
    note       TEXT,
    decided_by TEXT        NOT NULL,
    decided_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (draft_id, file_id),
    FOREIGN KEY (draft_id, file_id) REFERENCES draft_documents (draft_id, file_id) ON DELETE CASCADE
);

GRANT SELECT, INSERT, UPDATE ON people, draft_presence, document_decisions TO kyb_desk_server;
