-- Time and procedures: the State Council holiday notices, statutory time limits, reminders,
-- background job leases, the procedure versions records run under, and the first procedure's
-- records: government information disclosure requests (政府信息公开条例).

CREATE TABLE calendar_notices (
    year BIGINT PRIMARY KEY,
    number TEXT NOT NULL,
    published TEXT NOT NULL,
    body TEXT NOT NULL,
    version BIGINT NOT NULL DEFAULT 1,
    updated_at BIGINT NOT NULL
);

-- Every procedure file version ever used; records point at (name, version), so a record keeps
-- the procedure it started under even after the file changes.
CREATE TABLE procedure_versions (
    name TEXT NOT NULL,
    version BIGINT NOT NULL,
    source TEXT NOT NULL,
    sha256 TEXT NOT NULL,
    loaded_at BIGINT NOT NULL,
    PRIMARY KEY (name, version)
);

CREATE TABLE time_limits (
    id {{id}},
    subject_type TEXT NOT NULL,
    subject_id BIGINT NOT NULL,
    limit_key TEXT NOT NULL,
    title TEXT NOT NULL,
    org_id BIGINT NOT NULL REFERENCES orgs(id),
    responsible_user_id BIGINT REFERENCES users(id),
    spec TEXT NOT NULL,
    due_date TEXT,
    provisional BIGINT NOT NULL DEFAULT 0,
    state TEXT NOT NULL,
    met_on TEXT,
    reminded BIGINT NOT NULL DEFAULT 0,
    alerted BIGINT NOT NULL DEFAULT 0,
    version BIGINT NOT NULL DEFAULT 1,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    UNIQUE (subject_type, subject_id, limit_key)
);
CREATE INDEX time_limits_open ON time_limits (state, due_date);
CREATE INDEX time_limits_org ON time_limits (org_id, state);

CREATE TABLE notifications (
    id {{id}},
    user_id BIGINT NOT NULL REFERENCES users(id),
    kind TEXT NOT NULL,
    subject_type TEXT NOT NULL,
    subject_id BIGINT NOT NULL,
    message TEXT NOT NULL,
    link TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    read_at BIGINT
);
CREATE INDEX notifications_user ON notifications (user_id, read_at, id);

CREATE TABLE job_leases (
    name TEXT PRIMARY KEY,
    holder TEXT NOT NULL,
    expires_at BIGINT NOT NULL
);

CREATE TABLE disclosure_requests (
    id {{id}},
    tracking_no TEXT NOT NULL UNIQUE,
    query_code_hash TEXT NOT NULL,
    org_id BIGINT NOT NULL REFERENCES orgs(id),
    procedure_name TEXT NOT NULL,
    procedure_version BIGINT NOT NULL,
    stage TEXT NOT NULL,
    requester_kind TEXT NOT NULL,
    requester_name TEXT NOT NULL,
    requester_id_no TEXT NOT NULL,
    contact TEXT NOT NULL,
    description TEXT NOT NULL,
    received_on TEXT NOT NULL,
    clarification_request TEXT,
    clarification_reply TEXT,
    answer_kind TEXT,
    answer_text TEXT,
    answered_on TEXT,
    handler_id BIGINT REFERENCES users(id),
    extended BIGINT NOT NULL DEFAULT 0,
    version BIGINT NOT NULL DEFAULT 1,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX disclosure_requests_org ON disclosure_requests (org_id, stage, id);
