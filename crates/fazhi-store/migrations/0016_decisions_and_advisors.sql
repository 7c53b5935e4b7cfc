-- Major administrative decisions (重大行政决策程序暂行条例 2019) and legal advisors.

-- The yearly catalogue of decision items of a bureau (第三条、第四条): drafted, approved by a
-- leader, published on the portal (a publication snapshot).
CREATE TABLE decision_catalogues (
    id {{id}},
    org_id BIGINT NOT NULL REFERENCES orgs(id),
    year BIGINT NOT NULL,
    state TEXT NOT NULL,
    approved_by BIGINT REFERENCES users(id),
    approval_opinion TEXT,
    approved_at BIGINT,
    published_at BIGINT,
    version BIGINT NOT NULL DEFAULT 1,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    UNIQUE (org_id, year)
);

-- One item of a catalogue, with the statutory steps it requires (names joined by commas;
-- legality review and collective discussion always).
CREATE TABLE decision_items (
    id {{id}},
    catalogue_id BIGINT NOT NULL REFERENCES decision_catalogues(id),
    title TEXT NOT NULL,
    sponsor_org_id BIGINT NOT NULL REFERENCES orgs(id),
    description TEXT NOT NULL,
    steps TEXT NOT NULL,
    planned TEXT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE INDEX decision_items_catalogue ON decision_items (catalogue_id, id);

-- A major decision under procedures/major-decision.toml; its org is the sponsoring unit
-- (决策承办单位) of its catalogue item, within the bureau that decides.
CREATE TABLE major_decisions (
    id {{id}},
    decision_no TEXT NOT NULL UNIQUE,
    item_id BIGINT NOT NULL REFERENCES decision_items(id),
    org_id BIGINT NOT NULL REFERENCES orgs(id),
    title TEXT NOT NULL,
    draft TEXT NOT NULL,
    steps TEXT NOT NULL,
    procedure_name TEXT NOT NULL,
    procedure_version BIGINT NOT NULL,
    stage TEXT NOT NULL,
    handler_id BIGINT REFERENCES users(id),
    participation_opened_on TEXT,
    participation_ends_on TEXT,
    participation_text TEXT,
    participation_result TEXT,
    expert_opinion TEXT,
    risk_assessment TEXT,
    legality_opinion TEXT,
    legality_lawful BIGINT,
    legality_reviewer TEXT,
    views TEXT NOT NULL DEFAULT '[]',
    concluded BIGINT NOT NULL DEFAULT 0,
    decision_text TEXT,
    decided_on TEXT,
    implementing_unit TEXT,
    progress TEXT NOT NULL DEFAULT '[]',
    evaluation TEXT,
    archived_on TEXT,
    version BIGINT NOT NULL DEFAULT 1,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX major_decisions_org ON major_decisions (org_id, stage, id);

-- Accountability findings linked to a decision (第三十八条至第四十一条).
CREATE TABLE decision_findings (
    id {{id}},
    decision_id BIGINT NOT NULL REFERENCES major_decisions(id),
    person TEXT NOT NULL,
    person_user_id BIGINT REFERENCES users(id),
    article TEXT NOT NULL,
    finding TEXT NOT NULL,
    recorded_by BIGINT REFERENCES users(id),
    recorded_at BIGINT NOT NULL
);
CREATE INDEX decision_findings_decision ON decision_findings (decision_id, id);

-- The roster of legal advisors of a bureau: lawyers, firms, in-house counsel. An advisor who
-- signs in is a user holding the advisor role (user_id).
CREATE TABLE legal_advisors (
    id {{id}},
    org_id BIGINT NOT NULL REFERENCES orgs(id),
    kind TEXT NOT NULL,
    name TEXT NOT NULL,
    firm TEXT NOT NULL,
    license_no TEXT NOT NULL,
    contact TEXT NOT NULL,
    user_id BIGINT UNIQUE REFERENCES users(id),
    version BIGINT NOT NULL DEFAULT 1,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);

CREATE TABLE advisor_contracts (
    id {{id}},
    advisor_id BIGINT NOT NULL REFERENCES legal_advisors(id),
    starts_on TEXT NOT NULL,
    ends_on TEXT NOT NULL,
    fee_fen BIGINT NOT NULL,
    scope TEXT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE INDEX advisor_contracts_advisor ON advisor_contracts (advisor_id, starts_on);

-- What an advisor is assigned to (a major decision, a normative document, a penalty case):
-- the only records an advisor who signs in may see.
CREATE TABLE advisor_assignments (
    id {{id}},
    advisor_id BIGINT NOT NULL REFERENCES legal_advisors(id),
    subject_type TEXT NOT NULL,
    subject_id BIGINT NOT NULL,
    note TEXT NOT NULL,
    assigned_by BIGINT REFERENCES users(id),
    assigned_at BIGINT NOT NULL,
    UNIQUE (advisor_id, subject_type, subject_id)
);
CREATE INDEX advisor_assignments_subject ON advisor_assignments (subject_type, subject_id);

-- The advisor's work ledger (工作台账).
CREATE TABLE advisor_ledger (
    id {{id}},
    advisor_id BIGINT NOT NULL REFERENCES legal_advisors(id),
    kind TEXT NOT NULL,
    subject TEXT NOT NULL,
    subject_type TEXT,
    subject_id BIGINT,
    minutes BIGINT NOT NULL,
    outcome TEXT NOT NULL,
    on_date TEXT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE INDEX advisor_ledger_advisor ON advisor_ledger (advisor_id, on_date);

-- The yearly evaluation of an advisor by the legal division.
CREATE TABLE advisor_evaluations (
    id {{id}},
    advisor_id BIGINT NOT NULL REFERENCES legal_advisors(id),
    year BIGINT NOT NULL,
    score BIGINT NOT NULL,
    text TEXT NOT NULL,
    evaluated_by BIGINT REFERENCES users(id),
    evaluated_at BIGINT NOT NULL,
    UNIQUE (advisor_id, year)
);
