-- Each approval carries the server's Ed25519 signature (and the key that made it), so an
-- exported case's approvals are verifiable offline.
ALTER TABLE approvals ADD COLUMN server_key TEXT NOT NULL DEFAULT '';
ALTER TABLE approvals ADD COLUMN signature TEXT NOT NULL DEFAULT '';
