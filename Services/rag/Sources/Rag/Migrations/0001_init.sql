-- rag 0001_init: documents and their chunks.
--
-- Run by the migration runner in one transaction after it has created the schema "rag" and
-- rag.schema_migrations. Every object is schema-qualified; nothing here touches another
-- service's schema. Do not edit once applied anywhere: add 0002_*.sql instead.
--
-- EMBEDDINGS ARE NOT CREATED HERE. The dimension is a per-deployment setting (384 for
-- all-MiniLM-L6-v2, 768 or 3072 for Gemini, ...) and an HNSW index needs a fixed dimension,
-- so the service adds the column and the index itself at start, once it knows N, after
-- checking rag.embedding_model (a different recorded model or dimension: refuse to start):
--
--   ALTER TABLE rag.document_chunks ADD COLUMN IF NOT EXISTS embedding public.vector(N);
--   CREATE INDEX IF NOT EXISTS document_chunks_embedding_hnsw_idx
--       ON rag.document_chunks USING hnsw (embedding public.vector_cosine_ops)
--       WITH (m = 16, ef_construction = 64);
--
-- (pgvector is installed in schema public by the platform, not by this file: the service
-- role cannot create extensions. On AlloyDB with alloydb_scann the service may build a
-- ScaNN index instead once the table has rows.)
--
-- Row-level security on every user table: the services connect as a plain role (not a
-- superuser, no BYPASSRLS), so FORCE ROW LEVEL SECURITY applies to the table owner too. The
-- stores set apex.user_id per transaction with set_config('apex.user_id', $user, true).
-- apex.system = 'on' is the escape hatch for cross-user system work (retention sweeps); it is
-- only ever set by the stores, transaction-locally, with set_config('apex.system', 'on', true).
-- After a transaction that set them ends, both settings read as '' on that connection, which
-- matches no row: user_id is never empty.

-- The embedding model the stored vectors were made with: a single row, written at first start.
CREATE TABLE rag.embedding_model (
    id          boolean     PRIMARY KEY DEFAULT true
        CONSTRAINT embedding_model_single_row CHECK (id),
    name        text        NOT NULL
        CONSTRAINT embedding_model_name_check CHECK (name <> ''),
    dimension   integer     NOT NULL
        CONSTRAINT embedding_model_dimension_check CHECK (dimension BETWEEN 1 AND 16000),
    recorded_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE rag.documents (
    id           uuid        PRIMARY KEY DEFAULT gen_random_uuid(),
    user_id      text        NOT NULL
        CONSTRAINT documents_user_id_check CHECK (user_id <> ''),
    filename     text        NOT NULL
        CONSTRAINT documents_filename_check CHECK (filename <> ''),
    doc_type     text        NOT NULL
        CONSTRAINT documents_doc_type_check CHECK (doc_type IN ('text', 'markdown', 'html')),
    -- Lowercase hex sha-256 of the content exactly as received: the dedup key.
    file_hash    text        NOT NULL
        CONSTRAINT documents_file_hash_check CHECK (file_hash ~ '^[0-9a-f]{64}$'),
    total_chunks integer     NOT NULL DEFAULT 0
        CONSTRAINT documents_total_chunks_check CHECK (total_chunks >= 0),
    metadata     jsonb       NOT NULL DEFAULT '{}'::jsonb
        CONSTRAINT documents_metadata_check CHECK (jsonb_typeof(metadata) = 'object'),
    created_at   timestamptz NOT NULL DEFAULT now(),
    indexed_at   timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT documents_user_file_hash_key UNIQUE (user_id, file_hash),
    -- Target of the chunks' (document_id, user_id) foreign key: a chunk can only belong to a
    -- document of the same user.
    CONSTRAINT documents_id_user_key UNIQUE (id, user_id)
);

-- Newest-first listing with keyset pagination:
--   WHERE user_id = $1 AND (created_at, id) < ($2, $3) ORDER BY created_at DESC, id DESC
CREATE INDEX documents_user_created_idx ON rag.documents (user_id, created_at DESC, id DESC);

CREATE TABLE rag.document_chunks (
    id          uuid        PRIMARY KEY DEFAULT gen_random_uuid(),
    document_id uuid        NOT NULL,
    user_id     text        NOT NULL
        CONSTRAINT document_chunks_user_id_check CHECK (user_id <> ''),
    chunk_index integer     NOT NULL
        CONSTRAINT document_chunks_chunk_index_check CHECK (chunk_index >= 0),
    content     text        NOT NULL,
    content_tsv tsvector    GENERATED ALWAYS AS (to_tsvector('english'::regconfig, content)) STORED,
    created_at  timestamptz NOT NULL DEFAULT now(),
    -- (embedding public.vector(N) is added by the service: see the top of this file.)
    CONSTRAINT document_chunks_document_chunk_index_key UNIQUE (document_id, chunk_index),
    CONSTRAINT document_chunks_document_fkey FOREIGN KEY (document_id, user_id)
        REFERENCES rag.documents (id, user_id) ON DELETE CASCADE
);

CREATE INDEX document_chunks_user_idx ON rag.document_chunks (user_id);
CREATE INDEX document_chunks_content_tsv_idx ON rag.document_chunks USING gin (content_tsv);

ALTER TABLE rag.documents ENABLE ROW LEVEL SECURITY;
ALTER TABLE rag.documents FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON rag.documents
    USING (user_id = current_setting('apex.user_id', true) OR current_setting('apex.system', true) = 'on')
    WITH CHECK (user_id = current_setting('apex.user_id', true) OR current_setting('apex.system', true) = 'on');

ALTER TABLE rag.document_chunks ENABLE ROW LEVEL SECURITY;
ALTER TABLE rag.document_chunks FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON rag.document_chunks
    USING (user_id = current_setting('apex.user_id', true) OR current_setting('apex.system', true) = 'on')
    WITH CHECK (user_id = current_setting('apex.user_id', true) OR current_setting('apex.system', true) = 'on');
