-- 行政执法证: the certificate registry (SPEC C14).

CREATE TABLE certificates (
    id {{id}},
    number TEXT NOT NULL UNIQUE,
    holder_id BIGINT NOT NULL REFERENCES users(id),
    issuer TEXT NOT NULL,
    scope_org_id BIGINT NOT NULL REFERENCES orgs(id),
    scope_text TEXT NOT NULL,
    valid_from TEXT NOT NULL,
    valid_until TEXT NOT NULL,
    status TEXT NOT NULL,
    reminded BIGINT NOT NULL DEFAULT 0,
    version BIGINT NOT NULL DEFAULT 1,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX certificates_holder ON certificates (holder_id);
CREATE INDEX certificates_expiry ON certificates (status, valid_until);
