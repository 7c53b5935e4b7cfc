-- Power and responsibility lists (权责清单): every adjustment, and the published versions of
-- each item with the dates they are in force. The portal reads only published_power_items:
-- rows written when an adjustment is approved, holding nothing that is not public.

CREATE TABLE list_adjustments (
    id {{id}},
    item_code TEXT NOT NULL,
    kind TEXT NOT NULL,
    reason TEXT NOT NULL,
    basis TEXT NOT NULL,
    effective_date TEXT NOT NULL,
    approved_by BIGINT REFERENCES users(id),
    approver_name TEXT NOT NULL,
    snapshot TEXT,
    created_at BIGINT NOT NULL
);
CREATE INDEX list_adjustments_item ON list_adjustments (item_code, id);

CREATE TABLE published_power_items (
    id {{id}},
    code TEXT NOT NULL,
    name TEXT NOT NULL,
    kind TEXT NOT NULL,
    responsible_org_id BIGINT NOT NULL REFERENCES orgs(id),
    org_name TEXT NOT NULL,
    parent_code TEXT,
    application_based BIGINT NOT NULL,
    online BIGINT NOT NULL,
    valid_from TEXT NOT NULL,
    valid_to TEXT,
    adjustment_id BIGINT NOT NULL REFERENCES list_adjustments(id)
);
-- The full item of each version, apart, so that list pages read narrow rows.
CREATE TABLE published_power_item_bodies (
    version_id BIGINT PRIMARY KEY REFERENCES published_power_items(id),
    body TEXT NOT NULL
);
CREATE INDEX published_power_items_code ON published_power_items (code, valid_from);
CREATE INDEX published_power_items_as_of ON published_power_items (valid_from, valid_to, code);

CREATE INDEX published_power_items_kind ON published_power_items (kind, code, valid_from, valid_to);
