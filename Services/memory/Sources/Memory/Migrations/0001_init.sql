-- memory 0001_init: memories, preference hubs, agent sessions, chats, per-user state, scans.
--
-- Run by the migration runner in one transaction after it has created the schema "memory"
-- and memory.schema_migrations. Every object is schema-qualified; nothing here touches
-- another service's schema. Do not edit once applied anywhere: add 0002_*.sql instead.
-- The file contains a dollar-quoted PL/pgSQL body: send it whole (simple-query protocol) or
-- split it with a splitter that respects $$ quotes, never on every ';'.
--
-- EMBEDDINGS ARE NOT CREATED HERE. The dimension is a per-deployment setting and an HNSW
-- index needs a fixed dimension, so the service adds the column and the index itself at
-- start, once it knows N, after checking memory.embedding_model (a different recorded model
-- or dimension: refuse to start):
--
--   ALTER TABLE memory.memories ADD COLUMN IF NOT EXISTS embedding public.vector(N);
--   CREATE INDEX IF NOT EXISTS memories_embedding_hnsw_idx
--       ON memory.memories USING hnsw (embedding public.vector_cosine_ops)
--       WITH (m = 16, ef_construction = 64);
--
-- (pgvector is installed in schema public by the platform, not by this file: the service
-- role cannot create extensions.)
--
-- Row-level security on every user table: the services connect as a plain role (not a
-- superuser, no BYPASSRLS), so FORCE ROW LEVEL SECURITY applies to the table owner too. The
-- stores set apex.user_id per transaction with set_config('apex.user_id', $user, true).
-- apex.system = 'on' is the escape hatch for cross-user system work (retention sweeps); it is
-- only ever set by the stores, transaction-locally, with set_config('apex.system', 'on', true).
-- After a transaction that set them ends, both settings read as '' on that connection, which
-- matches no row: user_id is never empty.

-- The embedding model the stored vectors were made with: a single row, written at first start.
CREATE TABLE memory.embedding_model (
    id          boolean     PRIMARY KEY DEFAULT true
        CONSTRAINT embedding_model_single_row CHECK (id),
    name        text        NOT NULL
        CONSTRAINT embedding_model_name_check CHECK (name <> ''),
    dimension   integer     NOT NULL
        CONSTRAINT embedding_model_dimension_check CHECK (dimension BETWEEN 1 AND 16000),
    recorded_at timestamptz NOT NULL DEFAULT now()
);

-- Long-term memories ------------------------------------------------------------------------

CREATE TABLE memory.memories (
    id         uuid             PRIMARY KEY DEFAULT gen_random_uuid(),
    user_id    text             NOT NULL
        CONSTRAINT memories_user_id_check CHECK (user_id <> ''),
    text       text             NOT NULL
        CONSTRAINT memories_text_check CHECK (text <> ''),
    category   text             NOT NULL DEFAULT 'general'
        CONSTRAINT memories_category_check CHECK (category ~ '^[a-z0-9_-]{1,64}$'),
    source     text             NOT NULL DEFAULT 'api',
    confidence double precision NOT NULL DEFAULT 1.0
        CONSTRAINT memories_confidence_check CHECK (confidence >= 0 AND confidence <= 1),
    metadata   jsonb            NOT NULL DEFAULT '{}'::jsonb
        CONSTRAINT memories_metadata_check CHECK (jsonb_typeof(metadata) = 'object'),
    created_at timestamptz      NOT NULL DEFAULT now(),
    updated_at timestamptz      NOT NULL DEFAULT now(),
    text_tsv   tsvector         GENERATED ALWAYS AS (to_tsvector('english'::regconfig, text)) STORED
    -- (embedding public.vector(N) is added by the service: see the top of this file.)
);

-- Newest-first listing, optionally by category, with keyset pagination on (created_at, id).
CREATE INDEX memories_user_created_idx ON memory.memories (user_id, created_at DESC, id DESC);
CREATE INDEX memories_user_category_created_idx ON memory.memories (user_id, category, created_at DESC, id DESC);
CREATE INDEX memories_text_tsv_idx ON memory.memories USING gin (text_tsv);

-- Preference hubs -----------------------------------------------------------------------------

CREATE TABLE memory.user_preferences (
    user_id    text        NOT NULL
        CONSTRAINT user_preferences_user_id_check CHECK (user_id <> ''),
    hub        text        NOT NULL
        CONSTRAINT user_preferences_hub_check CHECK (hub IN ('preferences', 'operating_ctx', 'soft_identity')),
    value      jsonb       NOT NULL DEFAULT '{}'::jsonb
        CONSTRAINT user_preferences_value_check CHECK (jsonb_typeof(value) = 'object'),
    updated_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (user_id, hub)
);

-- RFC 7396 JSON Merge Patch, applied in one statement so concurrent patches to different keys
-- all survive (the row lock of INSERT ... ON CONFLICT DO UPDATE serializes them):
--   INSERT INTO memory.user_preferences AS p (user_id, hub, value)
--   VALUES ($1, $2, memory.jsonb_merge_patch('{}'::jsonb, $3))
--   ON CONFLICT (user_id, hub) DO UPDATE
--     SET value = memory.jsonb_merge_patch(p.value, $3), updated_at = now()
--   RETURNING value, updated_at;
-- (pass the original patch $3 in DO UPDATE, not EXCLUDED.value, whose nulls are already gone.)
-- Semantics: a non-object patch replaces the target; an object patch turns a non-object
-- target into {} and then, per key, null removes it and any other value is merged
-- recursively (objects merge, arrays and scalars replace). A SQL NULL patch changes nothing;
-- a SQL NULL target is treated as absent.
CREATE FUNCTION memory.jsonb_merge_patch(target jsonb, patch jsonb)
RETURNS jsonb
LANGUAGE plpgsql
IMMUTABLE
PARALLEL SAFE
AS $$
DECLARE
    result jsonb;
    k text;
    v jsonb;
BEGIN
    IF patch IS NULL THEN
        RETURN target;
    END IF;
    IF jsonb_typeof(patch) <> 'object' THEN
        RETURN patch;
    END IF;
    IF target IS NULL OR jsonb_typeof(target) <> 'object' THEN
        result := '{}'::jsonb;
    ELSE
        result := target;
    END IF;
    FOR k, v IN SELECT e.key, e.value FROM jsonb_each(patch) AS e LOOP
        IF jsonb_typeof(v) = 'null' THEN
            result := result - k;
        ELSIF jsonb_typeof(v) = 'object' THEN
            result := result || jsonb_build_object(k, memory.jsonb_merge_patch(result -> k, v));
        ELSE
            result := result || jsonb_build_object(k, v);
        END IF;
    END LOOP;
    RETURN result;
END
$$;

-- Agent sessions (client-chosen ids are per user) -----------------------------------------------

CREATE TABLE memory.sessions (
    user_id      text        NOT NULL
        CONSTRAINT sessions_user_id_check CHECK (user_id <> ''),
    id           text        NOT NULL
        CONSTRAINT sessions_id_check CHECK (id ~ '^[A-Za-z0-9_.:-]{1,128}$'),
    query        text        NOT NULL,
    status       text        NOT NULL DEFAULT 'running'
        CONSTRAINT sessions_status_check CHECK (status IN ('running', 'completed', 'failed', 'cancelled')),
    agent_type   text,
    graph_data   jsonb       NOT NULL DEFAULT '{}'::jsonb,
    node_outputs jsonb       NOT NULL DEFAULT '{}'::jsonb,
    cost         numeric
        CONSTRAINT sessions_cost_check CHECK (cost >= 0),
    model_used   text,
    error        text,
    metadata     jsonb       NOT NULL DEFAULT '{}'::jsonb
        CONSTRAINT sessions_metadata_check CHECK (jsonb_typeof(metadata) = 'object'),
    created_at   timestamptz NOT NULL DEFAULT now(),
    updated_at   timestamptz NOT NULL DEFAULT now(),
    completed_at timestamptz,
    PRIMARY KEY (user_id, id),
    -- A finished session (completed, failed, cancelled) has completed_at; a running one has not.
    CONSTRAINT sessions_completed_at_check CHECK ((status = 'running') = (completed_at IS NULL))
);

-- Newest-first listing, optionally by status (the memory scan reads status = 'completed').
CREATE INDEX sessions_user_created_idx ON memory.sessions (user_id, created_at DESC, id DESC);
CREATE INDEX sessions_user_status_created_idx ON memory.sessions (user_id, status, created_at DESC, id DESC);
-- Retention of finished sessions (180 days by default).
CREATE INDEX sessions_completed_at_idx ON memory.sessions (completed_at) WHERE completed_at IS NOT NULL;

-- Sessions the memory scan has read. Deleting a session forgets that it was scanned.
CREATE TABLE memory.scanned_runs (
    user_id        text        NOT NULL
        CONSTRAINT scanned_runs_user_id_check CHECK (user_id <> ''),
    session_id     text        NOT NULL,
    scanned_at     timestamptz NOT NULL DEFAULT now(),
    memories_added integer     NOT NULL DEFAULT 0
        CONSTRAINT scanned_runs_memories_added_check CHECK (memories_added >= 0),
    PRIMARY KEY (user_id, session_id),
    CONSTRAINT scanned_runs_session_fkey FOREIGN KEY (user_id, session_id)
        REFERENCES memory.sessions (user_id, id) ON DELETE CASCADE
);

-- Chats ---------------------------------------------------------------------------------------

CREATE TABLE memory.chat_sessions (
    user_id     text        NOT NULL
        CONSTRAINT chat_sessions_user_id_check CHECK (user_id <> ''),
    id          text        NOT NULL
        CONSTRAINT chat_sessions_id_check CHECK (id ~ '^[A-Za-z0-9_.:-]{1,128}$'),
    target_type text        NOT NULL,
    target_id   text        NOT NULL,
    title       text        NOT NULL DEFAULT 'New Chat',
    model       text,
    created_at  timestamptz NOT NULL DEFAULT now(),
    updated_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (user_id, id)
);

-- Most recently updated first, optionally for one target, keyset on (updated_at, id).
CREATE INDEX chat_sessions_user_updated_idx ON memory.chat_sessions (user_id, updated_at DESC, id DESC);
CREATE INDEX chat_sessions_user_target_updated_idx
    ON memory.chat_sessions (user_id, target_type, target_id, updated_at DESC, id DESC);

CREATE TABLE memory.chat_messages (
    id         uuid        PRIMARY KEY DEFAULT gen_random_uuid(),
    user_id    text        NOT NULL
        CONSTRAINT chat_messages_user_id_check CHECK (user_id <> ''),
    chat_id    text        NOT NULL,
    role       text        NOT NULL
        CONSTRAINT chat_messages_role_check CHECK (role IN ('user', 'assistant', 'system')),
    content    text        NOT NULL,
    metadata   jsonb       NOT NULL DEFAULT '{}'::jsonb
        CONSTRAINT chat_messages_metadata_check CHECK (jsonb_typeof(metadata) = 'object'),
    created_at timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT chat_messages_chat_fkey FOREIGN KEY (user_id, chat_id)
        REFERENCES memory.chat_sessions (user_id, id) ON DELETE CASCADE
);

-- Oldest-first keyset pagination within a chat:
--   WHERE user_id = $1 AND chat_id = $2 AND (created_at, id) > ($3, $4) ORDER BY created_at, id
-- (also serves the cascade from chat_sessions).
CREATE INDEX chat_messages_chat_created_idx ON memory.chat_messages (user_id, chat_id, created_at, id);
-- Retention (365 days by default).
CREATE INDEX chat_messages_created_idx ON memory.chat_messages (created_at);

-- Per-user state --------------------------------------------------------------------------------

CREATE TABLE memory.system_state (
    user_id    text        NOT NULL
        CONSTRAINT system_state_user_id_check CHECK (user_id <> ''),
    key        text        NOT NULL
        CONSTRAINT system_state_key_check CHECK (key ~ '^[A-Za-z0-9_.:-]{1,128}$'),
    -- Any JSON; a JSON null is stored as 'null'::jsonb, never as SQL NULL.
    value      jsonb       NOT NULL,
    updated_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (user_id, key)
);

-- Row-level security ----------------------------------------------------------------------------

ALTER TABLE memory.memories ENABLE ROW LEVEL SECURITY;
ALTER TABLE memory.memories FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON memory.memories
    USING (user_id = current_setting('apex.user_id', true) OR current_setting('apex.system', true) = 'on')
    WITH CHECK (user_id = current_setting('apex.user_id', true) OR current_setting('apex.system', true) = 'on');

ALTER TABLE memory.user_preferences ENABLE ROW LEVEL SECURITY;
ALTER TABLE memory.user_preferences FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON memory.user_preferences
    USING (user_id = current_setting('apex.user_id', true) OR current_setting('apex.system', true) = 'on')
    WITH CHECK (user_id = current_setting('apex.user_id', true) OR current_setting('apex.system', true) = 'on');

ALTER TABLE memory.sessions ENABLE ROW LEVEL SECURITY;
ALTER TABLE memory.sessions FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON memory.sessions
    USING (user_id = current_setting('apex.user_id', true) OR current_setting('apex.system', true) = 'on')
    WITH CHECK (user_id = current_setting('apex.user_id', true) OR current_setting('apex.system', true) = 'on');

ALTER TABLE memory.scanned_runs ENABLE ROW LEVEL SECURITY;
ALTER TABLE memory.scanned_runs FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON memory.scanned_runs
    USING (user_id = current_setting('apex.user_id', true) OR current_setting('apex.system', true) = 'on')
    WITH CHECK (user_id = current_setting('apex.user_id', true) OR current_setting('apex.system', true) = 'on');

ALTER TABLE memory.chat_sessions ENABLE ROW LEVEL SECURITY;
ALTER TABLE memory.chat_sessions FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON memory.chat_sessions
    USING (user_id = current_setting('apex.user_id', true) OR current_setting('apex.system', true) = 'on')
    WITH CHECK (user_id = current_setting('apex.user_id', true) OR current_setting('apex.system', true) = 'on');

ALTER TABLE memory.chat_messages ENABLE ROW LEVEL SECURITY;
ALTER TABLE memory.chat_messages FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON memory.chat_messages
    USING (user_id = current_setting('apex.user_id', true) OR current_setting('apex.system', true) = 'on')
    WITH CHECK (user_id = current_setting('apex.user_id', true) OR current_setting('apex.system', true) = 'on');

ALTER TABLE memory.system_state ENABLE ROW LEVEL SECURITY;
ALTER TABLE memory.system_state FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON memory.system_state
    USING (user_id = current_setting('apex.user_id', true) OR current_setting('apex.system', true) = 'on')
    WITH CHECK (user_id = current_setting('apex.user_id', true) OR current_setting('apex.system', true) = 'on');
