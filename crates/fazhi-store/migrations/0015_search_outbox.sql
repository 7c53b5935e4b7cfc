-- The transaction outbox of the full-text search: a write that changes something searchable
-- adds a row (the record's kind and id) in its own transaction; every instance reads the rows
-- after its index's position and re-reads those records into its own index. Rows are kept (each
-- instance reads them at its own pace) and pruned after some days; an index older than the
-- first row left is rebuilt from the records.
CREATE TABLE search_outbox (
    id {{id}},
    kind TEXT NOT NULL,
    record_id BIGINT NOT NULL,
    at_ms BIGINT NOT NULL
);
CREATE INDEX search_outbox_at ON search_outbox (at_ms);
