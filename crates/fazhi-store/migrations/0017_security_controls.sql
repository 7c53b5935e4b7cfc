-- The security controls of issue 16: audit proofs, the second factor, sessions and passwords.

-- A checkpoint signs the Merkle root of the entries it covers (RFC 6962 shape); checkpoints
-- signed before keep no root and stay verifiable with the message they were signed with.
ALTER TABLE audit_checkpoints ADD COLUMN tree_root TEXT;

-- Cached hashes of complete subtrees of 256 leaves and above (level 8 up): level L, index i
-- covers entries i·2^L+1 … (i+1)·2^L. Below level 8 hashes are recomputed from the entries'
-- own hashes; every row can be recomputed from audit_log, and a missing one is.
CREATE TABLE audit_merkle (
    level BIGINT NOT NULL,
    idx BIGINT NOT NULL,
    hash TEXT NOT NULL,
    PRIMARY KEY (level, idx)
);

-- The second factor (TOTP, RFC 6238): one secret per person; it takes effect when a first code
-- confirms it (confirmed_at). last_step is the last time step accepted, so that a code is used
-- only once.
CREATE TABLE user_totp (
    user_id BIGINT PRIMARY KEY REFERENCES users(id),
    secret TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    confirmed_at BIGINT,
    last_step BIGINT NOT NULL DEFAULT 0
);

-- Sessions end after a time without use (idle_until, moved on by use) as well as at their
-- absolute end (expires_at); a session waiting for the second factor (pending_factor = 1)
-- opens nothing but the code page.
ALTER TABLE sessions ADD COLUMN idle_until BIGINT NOT NULL DEFAULT 0;
ALTER TABLE sessions ADD COLUMN pending_factor BIGINT NOT NULL DEFAULT 0;
UPDATE sessions SET idle_until = expires_at;

-- Earlier password hashes, so that a new password cannot be one of the last ones.
CREATE TABLE password_history (
    id {{id}},
    user_id BIGINT NOT NULL REFERENCES users(id),
    password_hash TEXT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE INDEX password_history_user ON password_history (user_id, id);

-- 商用密码: each entry names its hash function (sha256, every entry before; or sm3) and each
-- checkpoint its signature algorithm (NULL for ed25519, as before; or sm2), so that a chain
-- can change algorithm without breaking the verification of what came before. The head holds
-- the algorithm of the next entry (configuration, written at start; the change is an entry).
ALTER TABLE audit_log ADD COLUMN alg TEXT NOT NULL DEFAULT 'sha256';
ALTER TABLE audit_checkpoints ADD COLUMN sig_alg TEXT;
ALTER TABLE audit_head ADD COLUMN alg TEXT NOT NULL DEFAULT 'sha256';
