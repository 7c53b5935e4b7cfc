-- 行政处罚统计 with 1,000,000 cases (BENCHMARKS.md, issue 5): one covering index, led by the unit,
-- holding every column the statistics read, so the statistics of a period are one index-only
-- scan of the units in scope, whatever statistics the planner has (SQLite is never ANALYZEd by
-- fazhi; PostgreSQL is by autovacuum). Its key order is the order the statistics group by
-- (unit, item, procedure, outcome, stage, revoked), so a query that groups by those columns
-- needs no sort. It replaces the two date indexes, which only the statistics used: with
-- them, SQLite after ANALYZE chose a two-index OR plan reading every row of the period from
-- the table.

DROP INDEX penalty_cases_decided;
DROP INDEX penalty_cases_opened;
CREATE INDEX penalty_cases_stats ON penalty_cases (org_id, item_name, summary_procedure, outcome,
    stage, revoked_on, opened_on, decided_on, fine, paid);
