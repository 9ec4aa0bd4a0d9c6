-- The team's partner environments. Credentials are sealed by the server (XChaCha20-Poly1305,
-- key from its configuration, the environment's name as associated data) and never leave it.

CREATE TABLE environments (
    name                   TEXT        PRIMARY KEY CHECK (length(name) BETWEEN 1 AND 100),
    base_url               TEXT        NOT NULL,
    requires_approval      BOOLEAN     NOT NULL DEFAULT TRUE,
    is_production          BOOLEAN     NOT NULL DEFAULT FALSE,
    credentials_nonce      BYTEA       CHECK (credentials_nonce IS NULL OR length(credentials_nonce) = 24),
    credentials_ciphertext BYTEA,
    updated_at             TIMESTAMPTZ NOT NULL,
    CHECK ((credentials_nonce IS NULL) = (credentials_ciphertext IS NULL))
);

GRANT SELECT, INSERT, UPDATE, DELETE ON environments TO kyb_desk_server;
