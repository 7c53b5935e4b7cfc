-- 行政处罚案件 as the law has them (issue 11): a failed legal review binds until the report is
-- resubmitted (行政处罚法 第五十八条); the pre-decision notice is served, with its method and proof,
-- and the party's period runs from service (第四十四条、第六十四条); the hearing host is a
-- designated user (第六十四条第四项); the written reminder before applying to the court
-- (行政强制法 第五十四条); the summary decision's filing with the organ (第五十二条第三款).

ALTER TABLE penalty_cases ADD COLUMN review_failed BIGINT NOT NULL DEFAULT 0;
ALTER TABLE penalty_cases ADD COLUMN notice_served_on TEXT;
ALTER TABLE penalty_cases ADD COLUMN notice_service TEXT;
ALTER TABLE penalty_cases ADD COLUMN hearing_host_id BIGINT REFERENCES users(id);
ALTER TABLE penalty_cases ADD COLUMN reminder_served_on TEXT;
ALTER TABLE penalty_cases ADD COLUMN summary_filed_on TEXT;
