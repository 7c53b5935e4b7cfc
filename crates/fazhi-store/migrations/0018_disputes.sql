-- Disputes: reconsideration with the bureau as respondent (行政复议法 2023) and litigation with
-- the bureau as defendant (行政诉讼法). Each may name the penalty case it disputes, or describe
-- the disputed act in free text.

-- A reconsideration under procedures/reconsideration-respondent.toml; its org is the bureau
-- that is the respondent (被申请人).
CREATE TABLE reconsiderations (
    id {{id}},
    number TEXT NOT NULL UNIQUE,
    org_id BIGINT NOT NULL REFERENCES orgs(id),
    received_on TEXT NOT NULL,
    deciding_body TEXT NOT NULL,
    applicant TEXT NOT NULL,
    claims TEXT NOT NULL,
    simplified BIGINT NOT NULL DEFAULT 0,
    case_id BIGINT REFERENCES penalty_cases(id),
    disputed TEXT NOT NULL,
    procedure_name TEXT NOT NULL,
    procedure_version BIGINT NOT NULL,
    stage TEXT NOT NULL,
    handler_id BIGINT REFERENCES users(id),
    evidence TEXT NOT NULL DEFAULT '',
    answer_text TEXT,
    answered_on TEXT,
    sessions TEXT NOT NULL DEFAULT '[]',
    outcome TEXT,
    decision_text TEXT,
    decided_on TEXT,
    performed_text TEXT,
    performed_on TEXT,
    opinion_text TEXT,
    opinion_received_on TEXT,
    opinion_reply TEXT,
    opinion_answered_on TEXT,
    archived_on TEXT,
    version BIGINT NOT NULL DEFAULT 1,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX reconsiderations_org ON reconsiderations (org_id, stage, id);
CREATE INDEX reconsiderations_case ON reconsiderations (case_id);

-- A lawsuit under procedures/litigation-defendant.toml; its org is the bureau sued (被告).
CREATE TABLE litigations (
    id {{id}},
    number TEXT NOT NULL UNIQUE,
    org_id BIGINT NOT NULL REFERENCES orgs(id),
    received_on TEXT NOT NULL,
    court TEXT NOT NULL,
    court_case_no TEXT NOT NULL,
    plaintiff TEXT NOT NULL,
    claims TEXT NOT NULL,
    case_id BIGINT REFERENCES penalty_cases(id),
    disputed TEXT NOT NULL,
    procedure_name TEXT NOT NULL,
    procedure_version BIGINT NOT NULL,
    stage TEXT NOT NULL,
    handler_id BIGINT REFERENCES users(id),
    evidence TEXT NOT NULL DEFAULT '',
    defence_text TEXT,
    defended_on TEXT,
    hearings TEXT NOT NULL DEFAULT '[]',
    judgments TEXT NOT NULL DEFAULT '[]',
    last_judgment TEXT,
    appealed BIGINT NOT NULL DEFAULT 0,
    appeal_text TEXT,
    performed_text TEXT,
    fault_review TEXT,
    archived_on TEXT,
    version BIGINT NOT NULL DEFAULT 1,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX litigations_org ON litigations (org_id, stage, id);
CREATE INDEX litigations_case ON litigations (case_id);
