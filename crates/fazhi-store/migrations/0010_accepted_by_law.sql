-- 行政许可法 第三十二条第一款第四项: an application whose applicant was not told within five
-- working days of receipt what to supplement counts as accepted on the day it was received
-- (视为受理). The record keeps whether it was accepted that way; `accepted_on` is then the day
-- of receipt, from which the decision period runs (第四十二条).

ALTER TABLE applications ADD COLUMN accepted_by_law BIGINT NOT NULL DEFAULT 0;
