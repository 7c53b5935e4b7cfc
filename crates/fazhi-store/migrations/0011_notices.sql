-- 我的工作 (issue 12): notices of the steps that concern a person, written with the action in
-- its transaction beside the reminders and alerts of the time limits, in the one table the
-- page reads. A notice names the record's unit, so it is shown only while the person may see
-- that unit, and the action that raised it.

ALTER TABLE notifications ADD COLUMN org_id BIGINT REFERENCES orgs(id);
ALTER TABLE notifications ADD COLUMN action TEXT;
CREATE INDEX notifications_subject ON notifications (subject_type, subject_id);

-- A case's handler is the officer who asked for it to be opened (立案审批表的提请人): the
-- person told when opening is approved or refused. Cases asked for before this kept the first
-- person who acted on them; the chain says who asked.
UPDATE penalty_cases SET handler_id = (
    SELECT a.actor_id FROM audit_log a
    WHERE a.subject_type = 'penalty_case' AND a.subject_id = CAST(penalty_cases.id AS TEXT)
      AND a.action = 'case.open_case' AND a.actor_id IS NOT NULL
    ORDER BY a.seq LIMIT 1)
WHERE EXISTS (
    SELECT 1 FROM audit_log a
    WHERE a.subject_type = 'penalty_case' AND a.subject_id = CAST(penalty_cases.id AS TEXT)
      AND a.action = 'case.open_case' AND a.actor_id IS NOT NULL);

-- 经办 and the case list's 我的案件: the cases a person is an officer of.
CREATE INDEX case_officers_user ON case_officers (user_id, case_id);
CREATE INDEX penalty_cases_handler ON penalty_cases (handler_id, id);
