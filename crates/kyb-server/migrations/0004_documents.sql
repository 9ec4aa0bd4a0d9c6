-- Documents behind drafts: the bytes once per content (SHA-256), sealed by the server; which
-- draft uses which partner file id, of which type, uploaded by whom.

CREATE TABLE documents (
    sha256     BYTEA       PRIMARY KEY CHECK (length(sha256) = 32),
    nonce      BYTEA       NOT NULL CHECK (length(nonce) = 24),
    ciphertext BYTEA       NOT NULL,
    size       BIGINT      NOT NULL CHECK (size >= 0),
    stored_at  TIMESTAMPTZ NOT NULL
);

CREATE TABLE draft_documents (
    draft_id    UUID        NOT NULL REFERENCES drafts (id) ON DELETE CASCADE,
    file_id     TEXT        NOT NULL,
    sha256      BYTEA       NOT NULL REFERENCES documents (sha256),
    file_type   TEXT        NOT NULL,
    file_name   TEXT        NOT NULL,
    uploaded_by TEXT        NOT NULL,
    uploaded_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (draft_id, file_id)
);

GRANT SELECT, INSERT ON documents, draft_documents TO kyb_desk_server;
