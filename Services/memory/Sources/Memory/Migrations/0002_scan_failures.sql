-- memory 0002_scan_failures: remember why extracting memories from a session failed.
--
-- The memory scan marks a session scanned (memory.scanned_runs) only in the transaction that
-- stores its memories. When extraction itself fails (a language model answered something that
-- is not the JSON list asked for), the session stays unscanned and the failure is recorded
-- here, so the next scan retries it and an operator can see why; after
-- MEMORY_SCAN_MAX_ATTEMPTS failed attempts the scan stops retrying that session. A successful
-- scan deletes the row in the same transaction that marks the session scanned. Deleting a
-- session forgets its failures.

CREATE TABLE memory.scan_failures (
    user_id    text        NOT NULL
        CONSTRAINT scan_failures_user_id_check CHECK (user_id <> ''),
    session_id text        NOT NULL,
    attempts   integer     NOT NULL DEFAULT 1
        CONSTRAINT scan_failures_attempts_check CHECK (attempts >= 1),
    last_error text        NOT NULL,
    failed_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (user_id, session_id),
    CONSTRAINT scan_failures_session_fkey FOREIGN KEY (user_id, session_id)
        REFERENCES memory.sessions (user_id, id) ON DELETE CASCADE
);

ALTER TABLE memory.scan_failures ENABLE ROW LEVEL SECURITY;
ALTER TABLE memory.scan_failures FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON memory.scan_failures
    USING (user_id = current_setting('apex.user_id', true) OR current_setting('apex.system', true) = 'on')
    WITH CHECK (user_id = current_setting('apex.user_id', true) OR current_setting('apex.system', true) = 'on');
