-- 行政处罚案件 (SPEC C6, C11, C13): leads, cases with their officers, evidence and documents,
-- the document number counters, and the major penalty filing queue.

CREATE TABLE leads (
    id {{id}},
    lead_no TEXT NOT NULL UNIQUE,
    org_id BIGINT NOT NULL REFERENCES orgs(id),
    source TEXT NOT NULL,
    received_on TEXT NOT NULL,
    reporter TEXT NOT NULL,
    party_kind TEXT NOT NULL,
    party_name TEXT NOT NULL,
    description TEXT NOT NULL,
    state TEXT NOT NULL,
    assessment TEXT,
    case_id BIGINT,
    version BIGINT NOT NULL DEFAULT 1,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX leads_org ON leads (org_id, state, id);

CREATE TABLE penalty_cases (
    id {{id}},
    case_no TEXT NOT NULL UNIQUE,
    query_code_hash TEXT NOT NULL,
    org_id BIGINT NOT NULL REFERENCES orgs(id),
    lead_id BIGINT REFERENCES leads(id),
    procedure_name TEXT NOT NULL,
    procedure_version BIGINT NOT NULL,
    stage TEXT NOT NULL,
    summary_procedure BIGINT NOT NULL DEFAULT 0,
    item_code TEXT NOT NULL,
    item_name TEXT NOT NULL,
    benchmark_code TEXT,
    benchmark_version BIGINT,
    party_kind TEXT NOT NULL,
    party_name TEXT NOT NULL,
    party_id_no TEXT NOT NULL,
    party_address TEXT NOT NULL,
    facts TEXT NOT NULL,
    act_ended_on TEXT NOT NULL,
    discovered_on TEXT NOT NULL,
    long_limitation BIGINT NOT NULL DEFAULT 0,
    limitation_basis TEXT,
    opened_on TEXT,
    report TEXT,
    proposed TEXT,
    band TEXT,
    outside_band_reasons TEXT,
    review_reasons TEXT,
    review_passed BIGINT NOT NULL DEFAULT 0,
    review_opinion TEXT,
    hearing_right TEXT,
    notified_on TEXT,
    notified TEXT,
    statement TEXT,
    statement_waived BIGINT NOT NULL DEFAULT 0,
    hearing_on TEXT,
    hearing_record TEXT,
    collective_reason TEXT,
    collective_views TEXT,
    collective_concluded BIGINT NOT NULL DEFAULT 0,
    decided_on TEXT,
    outcome TEXT,
    decided TEXT,
    fine BIGINT NOT NULL DEFAULT 0,
    decision_text TEXT,
    delivered_on TEXT,
    delivery_method TEXT,
    paid_on TEXT,
    paid BIGINT NOT NULL DEFAULT 0,
    surcharge BIGINT NOT NULL DEFAULT 0,
    deferral TEXT,
    published_on TEXT,
    revoked_on TEXT,
    revoke_reason TEXT,
    closed_on TEXT,
    archived_on TEXT,
    extended BIGINT NOT NULL DEFAULT 0,
    handler_id BIGINT REFERENCES users(id),
    version BIGINT NOT NULL DEFAULT 1,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX penalty_cases_org ON penalty_cases (org_id, id);
CREATE INDEX penalty_cases_stage ON penalty_cases (stage, id);
CREATE INDEX penalty_cases_decided ON penalty_cases (decided_on, org_id, item_code);
CREATE INDEX penalty_cases_opened ON penalty_cases (opened_on);

CREATE TABLE case_officers (
    case_id BIGINT NOT NULL REFERENCES penalty_cases(id),
    user_id BIGINT NOT NULL REFERENCES users(id),
    certificate_no TEXT NOT NULL,
    assigned_at BIGINT NOT NULL,
    PRIMARY KEY (case_id, user_id)
);

CREATE TABLE case_evidence (
    id {{id}},
    case_id BIGINT NOT NULL REFERENCES penalty_cases(id),
    kind TEXT NOT NULL,
    title TEXT NOT NULL,
    file_name TEXT NOT NULL,
    content_type TEXT NOT NULL,
    size BIGINT NOT NULL,
    sha256 TEXT NOT NULL,
    collected_on TEXT NOT NULL,
    preserved BIGINT NOT NULL DEFAULT 0,
    preservation_decision TEXT,
    added_by BIGINT REFERENCES users(id),
    added_at BIGINT NOT NULL
);
CREATE INDEX case_evidence_case ON case_evidence (case_id, id);

CREATE TABLE case_documents (
    id {{id}},
    case_id BIGINT NOT NULL REFERENCES penalty_cases(id),
    kind TEXT NOT NULL,
    number TEXT NOT NULL UNIQUE,
    title TEXT NOT NULL,
    body TEXT NOT NULL,
    sha256 TEXT NOT NULL,
    issued_on TEXT NOT NULL,
    served_on TEXT,
    created_at BIGINT NOT NULL
);
CREATE INDEX case_documents_case ON case_documents (case_id, id);

CREATE TABLE document_counters (
    org_id BIGINT NOT NULL REFERENCES orgs(id),
    word TEXT NOT NULL,
    year BIGINT NOT NULL,
    last BIGINT NOT NULL,
    PRIMARY KEY (org_id, word, year)
);

CREATE TABLE major_filings (
    id {{id}},
    case_id BIGINT NOT NULL UNIQUE REFERENCES penalty_cases(id),
    org_id BIGINT NOT NULL REFERENCES orgs(id),
    reason TEXT NOT NULL,
    decided_on TEXT NOT NULL,
    due_on TEXT NOT NULL,
    filed_on TEXT,
    filed_by BIGINT REFERENCES users(id),
    created_at BIGINT NOT NULL
);
CREATE INDEX major_filings_org ON major_filings (org_id, filed_on);

-- 案卷评查: an evaluation samples closed case files per unit and scores them on a sheet.
CREATE TABLE file_evaluations (
    id {{id}},
    title TEXT NOT NULL,
    scope_path TEXT NOT NULL,
    period_from TEXT NOT NULL,
    period_to TEXT NOT NULL,
    per_unit BIGINT NOT NULL,
    sheet TEXT NOT NULL,
    created_by BIGINT NOT NULL REFERENCES users(id),
    created_at BIGINT NOT NULL
);

CREATE TABLE file_evaluation_cases (
    id {{id}},
    evaluation_id BIGINT NOT NULL REFERENCES file_evaluations(id),
    case_id BIGINT NOT NULL REFERENCES penalty_cases(id),
    org_id BIGINT NOT NULL REFERENCES orgs(id),
    scores TEXT,
    total BIGINT,
    findings TEXT,
    scored_by BIGINT REFERENCES users(id),
    scored_at BIGINT,
    UNIQUE (evaluation_id, case_id)
);
