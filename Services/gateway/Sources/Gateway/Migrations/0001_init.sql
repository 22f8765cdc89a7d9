-- gateway 0001_init: the security log.
--
-- Run by the migration runner in one transaction after it has created the schema "gateway"
-- and gateway.schema_migrations. Every object is schema-qualified; nothing here touches
-- another service's schema. Do not edit once applied anywhere: add 0002_*.sql instead.
--
-- Row-level security: the services connect as a plain role (not a superuser, no BYPASSRLS),
-- so FORCE ROW LEVEL SECURITY applies to the table owner too. Security events are written on
-- any request path (often with no authenticated user) and read only by system work (the
-- retention sweep, investigations), which sets apex.system = 'on' for its own transaction
-- with set_config('apex.system', 'on', true). Nothing else ever sets apex.system.
-- Consequence: an INSERT ... RETURNING without apex.system fails (RETURNING needs the SELECT
-- policy); insert without RETURNING.

CREATE TABLE gateway.security_logs (
    id          bigserial   PRIMARY KEY,
    occurred_at timestamptz NOT NULL DEFAULT now(),
    event       text        NOT NULL
        CONSTRAINT security_logs_event_check CHECK (event IN (
            'auth_failed',          -- missing, malformed, expired or wrongly signed token (401)
            'forbidden',            -- authenticated but not allowed (403)
            'rate_limited',         -- 429
            'payload_too_large',    -- 413 on a declared or actual body over MAX_BODY_BYTES
            'cors_rejected',        -- a preflight or request from an origin that is not allowed
            'metrics_auth_failed',  -- /metrics without the right METRICS_TOKEN
            'internal_auth_failed'  -- an X-Apex-Identity or tick OIDC token that was refused
        )),
    -- Nullable here only: a failure before authentication has no user.
    user_id     text
        CONSTRAINT security_logs_user_id_check CHECK (user_id <> ''),
    client_ip   text,
    method      text,
    path        text,
    status      integer
        CONSTRAINT security_logs_status_check CHECK (status BETWEEN 100 AND 599),
    detail      jsonb       NOT NULL DEFAULT '{}'::jsonb
        CONSTRAINT security_logs_detail_check CHECK (jsonb_typeof(detail) = 'object')
);

-- Retention (90 days by default) and recent-first reads.
CREATE INDEX security_logs_occurred_at_idx ON gateway.security_logs (occurred_at);

ALTER TABLE gateway.security_logs ENABLE ROW LEVEL SECURITY;
ALTER TABLE gateway.security_logs FORCE ROW LEVEL SECURITY;

-- Read, update and delete: system work only.
CREATE POLICY system_only ON gateway.security_logs
    USING (current_setting('apex.system', true) = 'on')
    WITH CHECK (current_setting('apex.system', true) = 'on');

-- Insert: any request path may record an event.
CREATE POLICY insert_any ON gateway.security_logs
    FOR INSERT
    WITH CHECK (true);
