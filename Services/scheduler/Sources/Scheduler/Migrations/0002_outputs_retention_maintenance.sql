-- scheduler 0002: JSON outputs, the index of the task retention sweep, and cross-replica
-- maintenance claims.

-- The contract's JobRun.output and Job.last_output are JSON values (an action's result, the
-- number of missed slots a coalesced run stands for), not text.
ALTER TABLE scheduler.job_runs ALTER COLUMN output TYPE jsonb USING to_jsonb(output);
ALTER TABLE scheduler.jobs ALTER COLUMN last_output TYPE jsonb USING to_jsonb(last_output);

-- Retention of finished tasks: WHERE status IN ('succeeded', 'dead') AND updated_at < cutoff.
CREATE INDEX tasks_finished_idx ON scheduler.tasks (updated_at) WHERE status IN ('succeeded', 'dead');

-- The task behind a job run, for the run-now answer and for joins from a finished task.
CREATE INDEX job_runs_task_idx ON scheduler.job_runs (task_id) WHERE task_id IS NOT NULL;

-- Periodic maintenance (the daily retention sweep) runs once per interval across all replicas:
-- a replica claims a round with
--   UPDATE scheduler.maintenance_runs SET last_started_at = now()
--   WHERE name = $1 AND last_started_at <= now() - $interval RETURNING name
-- No user data lives here, so no row-level security.
CREATE TABLE scheduler.maintenance_runs (
    name            text        PRIMARY KEY,
    last_started_at timestamptz NOT NULL
);
INSERT INTO scheduler.maintenance_runs (name, last_started_at) VALUES ('retention', '-infinity');
