-- Drafts, their preparers, approvals and the outbox: what the server needs to enforce four-eyes
-- and send each change exactly once, whichever instance sends it.

CREATE TABLE drafts (
    id          UUID        PRIMARY KEY,
    environment TEXT        NOT NULL REFERENCES environments (name),
    target      JSONB       NOT NULL,  -- {"kind":"update","customer_id":…} | {"kind":"create","partner_customer_id":…}
    base_record JSONB       NOT NULL,  -- the record as the partner had it when the draft began
    record      JSONB       NOT NULL,  -- as the preparers have it now
    version     BIGINT      NOT NULL CHECK (version >= 1),
    created_by  TEXT        NOT NULL,
    created_at  TIMESTAMPTZ NOT NULL,
    updated_by  TEXT        NOT NULL,
    updated_at  TIMESTAMPTZ NOT NULL
);

-- Whoever changed the record (opening or viewing never adds anyone).
CREATE TABLE draft_preparers (
    draft_id UUID NOT NULL REFERENCES drafts (id) ON DELETE CASCADE,
    subject  TEXT NOT NULL,
    PRIMARY KEY (draft_id, subject)
);

-- A push carries a key: the same push again answers what the first one did.
CREATE TABLE draft_pushes (
    idempotency_key TEXT        PRIMARY KEY CHECK (length(idempotency_key) BETWEEN 8 AND 200),
    draft_id        UUID        NOT NULL REFERENCES drafts (id) ON DELETE CASCADE,
    version         BIGINT      NOT NULL,
    pushed_by       TEXT        NOT NULL,
    pushed_at       TIMESTAMPTZ NOT NULL
);

-- An approval is of one version's exact change (its hash); any edit makes a new version.
CREATE TABLE approvals (
    draft_id    UUID        NOT NULL REFERENCES drafts (id) ON DELETE CASCADE,
    version     BIGINT      NOT NULL,
    change_hash BYTEA       NOT NULL CHECK (length(change_hash) = 32),
    approved_by TEXT        NOT NULL,
    approved_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (draft_id, version, approved_by)
);

CREATE TABLE outbox (
    id              UUID        PRIMARY KEY,
    draft_id        UUID        NOT NULL REFERENCES drafts (id),
    version         BIGINT      NOT NULL,
    environment     TEXT        NOT NULL REFERENCES environments (name),
    target          JSONB       NOT NULL,
    base_record     JSONB       NOT NULL,
    record          JSONB       NOT NULL,
    state           TEXT        NOT NULL CHECK (state IN ('queued', 'sending', 'sent', 'rejected', 'conflict', 'failed')),
    attempts        INTEGER     NOT NULL DEFAULT 0,
    -- An attempt may have reached the partner (its instance stopped mid-send, or the answer was
    -- lost): the next attempt first asks the partner whether the change is there.
    outcome_unknown BOOLEAN     NOT NULL DEFAULT FALSE,
    not_before      TIMESTAMPTZ NOT NULL,
    claimed_by      TEXT,
    claimed_until   TIMESTAMPTZ,
    customer_id     TEXT,
    last_error      JSONB,
    queued_by       TEXT        NOT NULL,
    queued_at       TIMESTAMPTZ NOT NULL,
    settled_at      TIMESTAMPTZ,
    UNIQUE (draft_id, version)
);
CREATE INDEX outbox_due ON outbox (not_before) WHERE state IN ('queued', 'sending');

GRANT SELECT, INSERT, UPDATE, DELETE ON drafts, draft_preparers, draft_pushes, approvals, outbox TO kyb_desk_server;
