-- Normative documents (行政规范性文件, SPEC C3): drafts with their versions and the comments
-- anchored to articles, the reviews of the procedure, the number registry, validity events,
-- the yearly clean-up, and the published documents the portal reads.

CREATE TABLE normative_docs (
    id {{id}},
    ref_no TEXT NOT NULL UNIQUE,
    org_id BIGINT NOT NULL REFERENCES orgs(id),
    title TEXT NOT NULL,
    kind TEXT NOT NULL,
    procedure_name TEXT NOT NULL,
    procedure_version BIGINT NOT NULL,
    stage TEXT NOT NULL,
    concerns_market BIGINT NOT NULL,
    affects_public BIGINT NOT NULL,
    closely_market BIGINT NOT NULL,
    complex BIGINT NOT NULL,
    draft_version BIGINT NOT NULL DEFAULT 0,
    stakeholders_heard TEXT,
    fair_review TEXT,
    fair_review_passed BIGINT,
    comment_opened_on TEXT,
    comment_version BIGINT,
    comment_closed_on TEXT,
    feedback_published BIGINT NOT NULL DEFAULT 0,
    legality_opinion TEXT,
    legality_passed BIGINT,
    legality_reviewer TEXT,
    legality_reviewed_on TEXT,
    discussion TEXT,
    discussed_on TEXT,
    interpretation TEXT,
    number TEXT,
    number_year BIGINT,
    number_seq BIGINT,
    published_on TEXT,
    effective_from TEXT,
    valid_until TEXT,
    filed_on TEXT,
    filing TEXT,
    handler_id BIGINT REFERENCES users(id),
    version BIGINT NOT NULL DEFAULT 1,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX normative_docs_org ON normative_docs (org_id, stage, id);
CREATE UNIQUE INDEX normative_docs_number ON normative_docs (number);

CREATE TABLE normative_versions (
    id {{id}},
    doc_id BIGINT NOT NULL REFERENCES normative_docs(id),
    version_no BIGINT NOT NULL,
    body TEXT NOT NULL,
    note TEXT NOT NULL,
    author_name TEXT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE UNIQUE INDEX normative_versions_no ON normative_versions (doc_id, version_no);

CREATE TABLE normative_comments (
    id {{id}},
    doc_id BIGINT NOT NULL REFERENCES normative_docs(id),
    version_no BIGINT NOT NULL,
    article TEXT NOT NULL,
    source TEXT NOT NULL,
    author_name TEXT NOT NULL,
    body TEXT NOT NULL,
    adopted BIGINT,
    reply TEXT,
    created_at BIGINT NOT NULL
);
CREATE INDEX normative_comments_doc ON normative_comments (doc_id, source, id);

-- One number per document; a bureau's numbers of a word and year run 1, 2, 3 … without gap,
-- taken in the transaction that records them (document_counters).
CREATE TABLE normative_numbers (
    id {{id}},
    bureau_id BIGINT NOT NULL REFERENCES orgs(id),
    word TEXT NOT NULL,
    year BIGINT NOT NULL,
    seq BIGINT NOT NULL,
    doc_id BIGINT NOT NULL UNIQUE REFERENCES normative_docs(id),
    number TEXT NOT NULL UNIQUE,
    assigned_at BIGINT NOT NULL
);
CREATE UNIQUE INDEX normative_numbers_seq ON normative_numbers (bureau_id, word, year, seq);

CREATE TABLE normative_validity (
    id {{id}},
    doc_id BIGINT NOT NULL REFERENCES normative_docs(id),
    kind TEXT NOT NULL,
    on_date TEXT NOT NULL,
    by_document TEXT NOT NULL,
    note TEXT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE INDEX normative_validity_doc ON normative_validity (doc_id, on_date);

CREATE TABLE normative_cleanups (
    id {{id}},
    bureau_id BIGINT NOT NULL REFERENCES orgs(id),
    year BIGINT NOT NULL,
    doc_id BIGINT NOT NULL REFERENCES normative_docs(id),
    decision TEXT NOT NULL,
    reason TEXT NOT NULL,
    decided_by TEXT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE UNIQUE INDEX normative_cleanups_doc ON normative_cleanups (year, doc_id);

-- What the portal reads: written when a document is published and whenever its validity
-- changes; only public text. `ended_on` is the first day it is no longer in force.
CREATE TABLE published_normative_docs (
    doc_id BIGINT PRIMARY KEY REFERENCES normative_docs(id),
    org_id BIGINT NOT NULL REFERENCES orgs(id),
    issuer TEXT NOT NULL,
    number TEXT NOT NULL,
    title TEXT NOT NULL,
    year BIGINT NOT NULL,
    published_on TEXT NOT NULL,
    effective_from TEXT NOT NULL,
    valid_until TEXT NOT NULL,
    ended_on TEXT,
    ended_as TEXT,
    body TEXT NOT NULL,
    interpretation TEXT NOT NULL,
    events TEXT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX published_normative_docs_dates ON published_normative_docs (effective_from, ended_on);

-- The law database: laws, regulations, rules and the bureau's own documents, with articles
-- under stable ids, and the links of records to articles.
CREATE TABLE laws (
    id {{id}},
    kind TEXT NOT NULL,
    title TEXT NOT NULL,
    short_title TEXT NOT NULL,
    issuer TEXT NOT NULL,
    number TEXT NOT NULL,
    promulgated_on TEXT,
    effective_from TEXT NOT NULL,
    ended_on TEXT,
    ended_as TEXT,
    amended_on TEXT,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    version BIGINT NOT NULL DEFAULT 1
);
CREATE UNIQUE INDEX laws_title ON laws (title);
CREATE INDEX laws_short ON laws (short_title);

CREATE TABLE law_articles (
    id {{id}},
    law_id BIGINT NOT NULL REFERENCES laws(id),
    eid TEXT NOT NULL,
    num TEXT NOT NULL,
    body TEXT NOT NULL,
    valid_from TEXT NOT NULL,
    valid_to TEXT,
    changed_as TEXT,
    text_source TEXT NOT NULL
);
CREATE INDEX law_articles_law ON law_articles (law_id, eid, valid_from);

CREATE TABLE article_links (
    id {{id}},
    subject_type TEXT NOT NULL,
    subject_id TEXT NOT NULL,
    law_id BIGINT NOT NULL REFERENCES laws(id),
    eid TEXT NOT NULL,
    cited_as TEXT NOT NULL,
    checked_on TEXT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE INDEX article_links_subject ON article_links (subject_type, subject_id);
CREATE INDEX article_links_article ON article_links (law_id, eid);
CREATE UNIQUE INDEX article_links_once ON article_links (subject_type, subject_id, law_id, eid);
