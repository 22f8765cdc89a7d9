-- scheduler 0001_init: cron jobs and their runs, the retrying task queue, the inbox.
--
-- Run by the migration runner in one transaction after it has created the schema "scheduler"
-- and scheduler.schema_migrations. Every object is schema-qualified; nothing here touches
-- another service's schema. Do not edit once applied anywhere: add 0002_*.sql instead.
--
-- Row-level security on every user table: the services connect as a plain role (not a
-- superuser, no BYPASSRLS), so FORCE ROW LEVEL SECURITY applies to the table owner too. The
-- stores set apex.user_id per transaction with set_config('apex.user_id', $user, true).
-- apex.system = 'on' is the escape hatch for cross-user system work (ticks claiming due jobs,
-- leasing tasks, retention sweeps); it is only ever set by the stores, transaction-locally,
-- with set_config('apex.system', 'on', true). After a transaction that set them ends, both
-- settings read as '' on that connection, which matches no row: user_id is never empty.

-- Cron jobs -------------------------------------------------------------------------------------

CREATE TABLE scheduler.jobs (
    id              uuid        PRIMARY KEY DEFAULT gen_random_uuid(),
    user_id         text        NOT NULL
        CONSTRAINT jobs_user_id_check CHECK (user_id <> ''),
    name            text        NOT NULL
        CONSTRAINT jobs_name_check CHECK (name <> ''),
    cron_expression text        NOT NULL,
    timezone        text        NOT NULL DEFAULT 'UTC',
    action          jsonb       NOT NULL
        CONSTRAINT jobs_action_check CHECK (action ->> 'type' IN ('notify', 'memory_scan', 'http', 'agent')),
    enabled         boolean     NOT NULL DEFAULT true,
    next_run        timestamptz,
    last_run        timestamptz,
    last_output     text,
    metadata        jsonb       NOT NULL DEFAULT '{}'::jsonb
        CONSTRAINT jobs_metadata_check CHECK (jsonb_typeof(metadata) = 'object'),
    created_at      timestamptz NOT NULL DEFAULT now(),
    updated_at      timestamptz NOT NULL DEFAULT now(),
    -- A disabled job has no next run.
    CONSTRAINT jobs_next_run_check CHECK (enabled OR next_run IS NULL),
    -- Target of job_runs' (job_id, user_id) foreign key: a run belongs to its job's owner.
    CONSTRAINT jobs_id_user_key UNIQUE (id, user_id)
);

-- The tick: WHERE enabled AND next_run <= now().
CREATE INDEX jobs_due_idx ON scheduler.jobs (next_run) WHERE enabled;
-- Listing with keyset pagination on (created_at, id).
CREATE INDEX jobs_user_created_idx ON scheduler.jobs (user_id, created_at DESC, id DESC);

CREATE TABLE scheduler.job_runs (
    id            uuid        PRIMARY KEY DEFAULT gen_random_uuid(),
    job_id        uuid        NOT NULL,
    user_id       text        NOT NULL
        CONSTRAINT job_runs_user_id_check CHECK (user_id <> ''),
    scheduled_for timestamptz NOT NULL,
    started_at    timestamptz,
    completed_at  timestamptz,
    status        text        NOT NULL DEFAULT 'running'
        CONSTRAINT job_runs_status_check CHECK (status IN ('running', 'completed', 'failed', 'skipped')),
    output        text,
    error         text,
    -- The task that executes this run, if any (no foreign key: runs and tasks are swept apart).
    task_id       uuid,
    -- Exactly one run per slot: claims are INSERT ... ON CONFLICT (job_id, scheduled_for) DO NOTHING.
    -- Its index also serves newest-first listing per job (ORDER BY scheduled_for DESC).
    CONSTRAINT job_runs_job_scheduled_for_key UNIQUE (job_id, scheduled_for),
    CONSTRAINT job_runs_job_fkey FOREIGN KEY (job_id, user_id)
        REFERENCES scheduler.jobs (id, user_id) ON DELETE CASCADE
);

-- "Is the previous run still going?" (a slot due meanwhile is recorded as skipped).
CREATE INDEX job_runs_running_idx ON scheduler.job_runs (job_id) WHERE status = 'running';
-- Retention (90 days by default).
CREATE INDEX job_runs_scheduled_for_idx ON scheduler.job_runs (scheduled_for);

-- Retrying background tasks ------------------------------------------------------------------------

CREATE TABLE scheduler.tasks (
    id               uuid        PRIMARY KEY DEFAULT gen_random_uuid(),
    user_id          text        NOT NULL
        CONSTRAINT tasks_user_id_check CHECK (user_id <> ''),
    action           jsonb       NOT NULL
        CONSTRAINT tasks_action_check CHECK (action ->> 'type' IN ('notify', 'memory_scan', 'http', 'agent')),
    -- queued: waiting for run_at; running: leased; failed: the last attempt failed and another
    -- is scheduled at run_at; succeeded; dead: no attempt left.
    status           text        NOT NULL DEFAULT 'queued'
        CONSTRAINT tasks_status_check CHECK (status IN ('queued', 'running', 'succeeded', 'failed', 'dead')),
    attempts         integer     NOT NULL DEFAULT 0
        CONSTRAINT tasks_attempts_check CHECK (attempts >= 0),
    max_attempts     integer     NOT NULL DEFAULT 5
        CONSTRAINT tasks_max_attempts_check CHECK (max_attempts BETWEEN 1 AND 25),
    run_at           timestamptz NOT NULL DEFAULT now(),
    lease_owner      text,
    lease_expires_at timestamptz,
    idempotency_key  text
        CONSTRAINT tasks_idempotency_key_check CHECK (idempotency_key <> ''),
    last_error       text,
    result           jsonb,
    job_run_id       uuid,
    created_at       timestamptz NOT NULL DEFAULT now(),
    updated_at       timestamptz NOT NULL DEFAULT now(),
    -- Enqueueing the same work twice returns the first task (NULL keys never conflict):
    -- INSERT ... ON CONFLICT (user_id, idempotency_key) DO NOTHING, then read the existing row.
    CONSTRAINT tasks_user_idempotency_key_key UNIQUE (user_id, idempotency_key)
);

-- Due work, leased with FOR UPDATE SKIP LOCKED:
--   WHERE status IN ('queued', 'failed') AND run_at <= now() ORDER BY run_at
CREATE INDEX tasks_due_idx ON scheduler.tasks (run_at) WHERE status IN ('queued', 'failed');
-- Expired leases (crashed workers): WHERE status = 'running' AND lease_expires_at < now()
CREATE INDEX tasks_lease_idx ON scheduler.tasks (lease_expires_at) WHERE status = 'running';
-- Listing with keyset pagination on (created_at, id).
CREATE INDEX tasks_user_created_idx ON scheduler.tasks (user_id, created_at DESC, id DESC);

-- Notification inbox ------------------------------------------------------------------------------

CREATE TABLE scheduler.notifications (
    id         uuid        PRIMARY KEY DEFAULT gen_random_uuid(),
    user_id    text        NOT NULL
        CONSTRAINT notifications_user_id_check CHECK (user_id <> ''),
    source     text        NOT NULL DEFAULT 'api',
    title      text        NOT NULL,
    body       text        NOT NULL DEFAULT '',
    priority   integer     NOT NULL DEFAULT 1
        CONSTRAINT notifications_priority_check CHECK (priority BETWEEN 0 AND 5),
    is_read    boolean     NOT NULL DEFAULT false,
    metadata   jsonb       NOT NULL DEFAULT '{}'::jsonb
        CONSTRAINT notifications_metadata_check CHECK (jsonb_typeof(metadata) = 'object'),
    created_at timestamptz NOT NULL DEFAULT now()
);

-- Newest-first listing with keyset pagination on (created_at, id).
CREATE INDEX notifications_user_created_idx ON scheduler.notifications (user_id, created_at DESC, id DESC);
-- Unread listing and unread_count.
CREATE INDEX notifications_user_unread_idx ON scheduler.notifications (user_id, created_at DESC, id DESC) WHERE NOT is_read;

-- Row-level security ------------------------------------------------------------------------------

ALTER TABLE scheduler.jobs ENABLE ROW LEVEL SECURITY;
ALTER TABLE scheduler.jobs FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON scheduler.jobs
    USING (user_id = current_setting('apex.user_id', true) OR current_setting('apex.system', true) = 'on')
    WITH CHECK (user_id = current_setting('apex.user_id', true) OR current_setting('apex.system', true) = 'on');

ALTER TABLE scheduler.job_runs ENABLE ROW LEVEL SECURITY;
ALTER TABLE scheduler.job_runs FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON scheduler.job_runs
    USING (user_id = current_setting('apex.user_id', true) OR current_setting('apex.system', true) = 'on')
    WITH CHECK (user_id = current_setting('apex.user_id', true) OR current_setting('apex.system', true) = 'on');

ALTER TABLE scheduler.tasks ENABLE ROW LEVEL SECURITY;
ALTER TABLE scheduler.tasks FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON scheduler.tasks
    USING (user_id = current_setting('apex.user_id', true) OR current_setting('apex.system', true) = 'on')
    WITH CHECK (user_id = current_setting('apex.user_id', true) OR current_setting('apex.system', true) = 'on');

ALTER TABLE scheduler.notifications ENABLE ROW LEVEL SECURITY;
ALTER TABLE scheduler.notifications FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON scheduler.notifications
    USING (user_id = current_setting('apex.user_id', true) OR current_setting('apex.system', true) = 'on')
    WITH CHECK (user_id = current_setting('apex.user_id', true) OR current_setting('apex.system', true) = 'on');
