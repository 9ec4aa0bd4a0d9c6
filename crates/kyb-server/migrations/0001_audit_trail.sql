-- The team's audit trail: append-only and hash-chained. The server appends through the
-- kyb_desk_server role, which may only read and insert; a trigger refuses UPDATE, DELETE and
-- TRUNCATE for every role, so even the owner must drop the trigger first (and that is visible).

-- Roles are shared by the cluster's databases: another database may create it at the same time.
DO $$
BEGIN
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'kyb_desk_server') THEN
        CREATE ROLE kyb_desk_server NOLOGIN;
    END IF;
EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL;
END
$$;

CREATE TABLE audit_entries (
    seq        BIGINT      PRIMARY KEY CHECK (seq >= 1),
    at         TIMESTAMPTZ NOT NULL,
    actor      TEXT        NOT NULL,
    action     TEXT        NOT NULL,
    -- The exact JSON text that was hashed (JSONB would reorder keys and reformat numbers).
    detail     TEXT        NOT NULL,
    prev_hash  BYTEA       NOT NULL CHECK (length(prev_hash) = 32),
    hash       BYTEA       NOT NULL UNIQUE CHECK (length(hash) = 32)
);

CREATE FUNCTION audit_entries_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'the audit trail is append-only: % refused', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END
$$;

CREATE TRIGGER audit_entries_append_only
    BEFORE UPDATE OR DELETE ON audit_entries
    FOR EACH ROW EXECUTE FUNCTION audit_entries_refuse_change();

CREATE TRIGGER audit_entries_no_truncate
    BEFORE TRUNCATE ON audit_entries
    FOR EACH STATEMENT EXECUTE FUNCTION audit_entries_refuse_change();

-- Signed checkpoints: the newest (seq, hash) of the chain, signed with the server's Ed25519 key,
-- so a desktop that kept one can tell a rewritten or rolled-back history.
CREATE TABLE audit_checkpoints (
    seq        BIGINT      PRIMARY KEY REFERENCES audit_entries (seq),
    hash       BYTEA       NOT NULL CHECK (length(hash) = 32),
    signed_at  TIMESTAMPTZ NOT NULL,
    public_key BYTEA       NOT NULL CHECK (length(public_key) = 32),
    signature  BYTEA       NOT NULL CHECK (length(signature) = 64)
);

CREATE TRIGGER audit_checkpoints_append_only
    BEFORE UPDATE OR DELETE ON audit_checkpoints
    FOR EACH ROW EXECUTE FUNCTION audit_entries_refuse_change();

CREATE TRIGGER audit_checkpoints_no_truncate
    BEFORE TRUNCATE ON audit_checkpoints
    FOR EACH STATEMENT EXECUTE FUNCTION audit_entries_refuse_change();

GRANT SELECT, INSERT ON audit_entries, audit_checkpoints TO kyb_desk_server;
