-- The sign-in throttle counts attempts per address and user name together, and per address
-- alone, in one row per bucket that a single statement moves (issue 16): parallel attempts can
-- no longer all pass a count read before any of them is written, and a stranger's failures no
-- longer pause the user's own sign-in. The per-name table it replaces goes.

CREATE TABLE login_throttle (
    bucket TEXT PRIMARY KEY,
    attempts BIGINT NOT NULL,
    window_start BIGINT NOT NULL
);

DROP TABLE login_failures;
