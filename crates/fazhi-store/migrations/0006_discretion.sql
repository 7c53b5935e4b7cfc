-- 行政裁量权基准: every version of every benchmark, as published (行政处罚法 第三十四条). Rows are
-- written when a version is published and never changed; the portal reads them.

CREATE TABLE published_benchmarks (
    id {{id}},
    code TEXT NOT NULL,
    version BIGINT NOT NULL,
    effective_from TEXT NOT NULL,
    violation TEXT NOT NULL,
    power_code TEXT NOT NULL,
    body TEXT NOT NULL,
    published_at BIGINT NOT NULL,
    UNIQUE (code, version)
);
CREATE INDEX published_benchmarks_code ON published_benchmarks (code, effective_from);
