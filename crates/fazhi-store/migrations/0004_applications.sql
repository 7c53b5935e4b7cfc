-- Online applications for application-based items (网上办理), their uploaded materials, and the
-- published results.

CREATE TABLE applications (
    id {{id}},
    tracking_no TEXT NOT NULL UNIQUE,
    query_code_hash TEXT NOT NULL,
    item_code TEXT NOT NULL,
    item_name TEXT NOT NULL,
    org_id BIGINT NOT NULL REFERENCES orgs(id),
    procedure_name TEXT NOT NULL,
    procedure_version BIGINT NOT NULL,
    stage TEXT NOT NULL,
    channel TEXT NOT NULL,
    applicant_kind TEXT NOT NULL,
    applicant_name TEXT NOT NULL,
    applicant_id_no TEXT NOT NULL,
    contact TEXT NOT NULL,
    statement TEXT NOT NULL,
    received_on TEXT NOT NULL,
    accepted_on TEXT,
    decided_on TEXT,
    decision TEXT,
    decision_text TEXT,
    certificate_no TEXT,
    supplement_request TEXT,
    review_opinion TEXT,
    decision_days BIGINT NOT NULL,
    extended BIGINT NOT NULL DEFAULT 0,
    handler_id BIGINT REFERENCES users(id),
    version BIGINT NOT NULL DEFAULT 1,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX applications_org ON applications (org_id, stage, id);
CREATE INDEX applications_item ON applications (item_code, received_on);

CREATE TABLE application_files (
    id {{id}},
    application_id BIGINT NOT NULL REFERENCES applications(id),
    material TEXT NOT NULL,
    file_name TEXT NOT NULL,
    content_type TEXT NOT NULL,
    size BIGINT NOT NULL,
    sha256 TEXT NOT NULL,
    uploaded_at BIGINT NOT NULL
);
CREATE INDEX application_files_app ON application_files (application_id, id);
