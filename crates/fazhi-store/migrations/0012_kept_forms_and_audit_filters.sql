-- A refused form kept for one read: the form's values, errors and refusal, written when an action
-- is refused and read (and deleted) by the record page the browser is sent back to, so that what
-- was typed comes back at the record's own address without travelling in the URL. Keyed by the
-- session (its token's hash) and the page's path; short-lived; bookkeeping of the session, not a
-- record, and not audited.
CREATE TABLE kept_forms (
    token_hash TEXT NOT NULL REFERENCES sessions(token_hash) ON DELETE CASCADE,
    path TEXT NOT NULL,
    body TEXT NOT NULL,
    expires_at BIGINT NOT NULL,
    PRIMARY KEY (token_hash, path)
);
CREATE INDEX kept_forms_expiry ON kept_forms (expires_at);

-- The audit chain browser filters by action and by date as well as by record (audit_log_subject)
-- and person; newest first.
CREATE INDEX audit_log_action ON audit_log (action, seq);
CREATE INDEX audit_log_at ON audit_log (at);
