-- memory 0003_partition_memories: memory.memories becomes 16 hash partitions by user_id.
--
-- Why: every search and every near-duplicate check is "the nearest memories of ONE user". With
-- one HNSW index over all users, the index walk meets mostly other users' rows: for a user who
-- holds 5 % of all memories, an iterative HNSW scan visits ~20 rows to keep one, and the planner
-- often gives up and scans and sorts all of the user's rows instead. Hash partitions on user_id
-- give each partition its own (16 times smaller) HNSW and GIN indexes; a query names its user,
-- so the planner prunes to that user's partition, where the user's rows are 16 times denser.
-- The keyword side and the listing indexes shrink the same way. Nothing else changes for the
-- service: the table keeps its name, columns, constraints and row-level security.
--
-- The primary key becomes (user_id, id): a partitioned table's unique keys must contain the
-- partition key (every query names both anyway; ids are UUIDs, unique on their own).
--
-- The service-added embedding column (see 0001) is carried over with its dimension when it
-- exists; its HNSW index is rebuilt by the service at its next start (VectorColumn creates
-- memories_embedding_hnsw_idx on the partitioned table, i.e. one index per partition).
-- Existing rows are copied in this transaction: on a large table this migration takes a while
-- and holds an exclusive lock on memory.memories until it commits.

ALTER TABLE memory.memories RENAME TO memories_unpartitioned;
ALTER INDEX memory.memories_pkey RENAME TO memories_unpartitioned_pkey;
ALTER INDEX memory.memories_user_created_idx RENAME TO memories_unpartitioned_user_created_idx;
ALTER INDEX memory.memories_user_category_created_idx RENAME TO memories_unpartitioned_user_category_created_idx;
ALTER INDEX memory.memories_text_tsv_idx RENAME TO memories_unpartitioned_text_tsv_idx;
ALTER INDEX IF EXISTS memory.memories_embedding_hnsw_idx RENAME TO memories_unpartitioned_embedding_hnsw_idx;

CREATE TABLE memory.memories (
    id         uuid             NOT NULL DEFAULT gen_random_uuid(),
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
    text_tsv   tsvector         GENERATED ALWAYS AS (to_tsvector('english'::regconfig, text)) STORED,
    CONSTRAINT memories_pkey PRIMARY KEY (user_id, id)
) PARTITION BY HASH (user_id);

CREATE TABLE memory.memories_p00 PARTITION OF memory.memories FOR VALUES WITH (MODULUS 16, REMAINDER 0);
CREATE TABLE memory.memories_p01 PARTITION OF memory.memories FOR VALUES WITH (MODULUS 16, REMAINDER 1);
CREATE TABLE memory.memories_p02 PARTITION OF memory.memories FOR VALUES WITH (MODULUS 16, REMAINDER 2);
CREATE TABLE memory.memories_p03 PARTITION OF memory.memories FOR VALUES WITH (MODULUS 16, REMAINDER 3);
CREATE TABLE memory.memories_p04 PARTITION OF memory.memories FOR VALUES WITH (MODULUS 16, REMAINDER 4);
CREATE TABLE memory.memories_p05 PARTITION OF memory.memories FOR VALUES WITH (MODULUS 16, REMAINDER 5);
CREATE TABLE memory.memories_p06 PARTITION OF memory.memories FOR VALUES WITH (MODULUS 16, REMAINDER 6);
CREATE TABLE memory.memories_p07 PARTITION OF memory.memories FOR VALUES WITH (MODULUS 16, REMAINDER 7);
CREATE TABLE memory.memories_p08 PARTITION OF memory.memories FOR VALUES WITH (MODULUS 16, REMAINDER 8);
CREATE TABLE memory.memories_p09 PARTITION OF memory.memories FOR VALUES WITH (MODULUS 16, REMAINDER 9);
CREATE TABLE memory.memories_p10 PARTITION OF memory.memories FOR VALUES WITH (MODULUS 16, REMAINDER 10);
CREATE TABLE memory.memories_p11 PARTITION OF memory.memories FOR VALUES WITH (MODULUS 16, REMAINDER 11);
CREATE TABLE memory.memories_p12 PARTITION OF memory.memories FOR VALUES WITH (MODULUS 16, REMAINDER 12);
CREATE TABLE memory.memories_p13 PARTITION OF memory.memories FOR VALUES WITH (MODULUS 16, REMAINDER 13);
CREATE TABLE memory.memories_p14 PARTITION OF memory.memories FOR VALUES WITH (MODULUS 16, REMAINDER 14);
CREATE TABLE memory.memories_p15 PARTITION OF memory.memories FOR VALUES WITH (MODULUS 16, REMAINDER 15);

-- Newest-first listing, optionally by category, with keyset pagination on (created_at, id).
CREATE INDEX memories_user_created_idx ON memory.memories (user_id, created_at DESC, id DESC);
CREATE INDEX memories_user_category_created_idx ON memory.memories (user_id, category, created_at DESC, id DESC);
CREATE INDEX memories_text_tsv_idx ON memory.memories USING gin (text_tsv);

-- Carry the rows over, with the service-added embedding column when there is one.
DO $$
DECLARE
    embedding_type text;
BEGIN
    SELECT format_type(a.atttypid, a.atttypmod) INTO embedding_type
    FROM pg_catalog.pg_attribute AS a
    WHERE a.attrelid = 'memory.memories_unpartitioned'::regclass AND a.attname = 'embedding' AND NOT a.attisdropped;
    IF embedding_type IS NULL THEN
        INSERT INTO memory.memories (id, user_id, text, category, source, confidence, metadata, created_at, updated_at)
        SELECT id, user_id, text, category, source, confidence, metadata, created_at, updated_at
        FROM memory.memories_unpartitioned;
    ELSE
        EXECUTE format('ALTER TABLE memory.memories ADD COLUMN embedding %s', embedding_type);
        INSERT INTO memory.memories (id, user_id, text, category, source, confidence, metadata, created_at, updated_at, embedding)
        SELECT id, user_id, text, category, source, confidence, metadata, created_at, updated_at, embedding
        FROM memory.memories_unpartitioned;
    END IF;
END
$$;

DROP TABLE memory.memories_unpartitioned;

-- Row-level security on the table the service queries; each partition also has it enabled and
-- forced with no policy, so reading a partition directly (bypassing the parent's policy) sees
-- nothing.
ALTER TABLE memory.memories ENABLE ROW LEVEL SECURITY;
ALTER TABLE memory.memories FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON memory.memories
    USING (user_id = current_setting('apex.user_id', true) OR current_setting('apex.system', true) = 'on')
    WITH CHECK (user_id = current_setting('apex.user_id', true) OR current_setting('apex.system', true) = 'on');

DO $$
DECLARE
    part regclass;
BEGIN
    FOR part IN SELECT inhrelid::regclass FROM pg_catalog.pg_inherits WHERE inhparent = 'memory.memories'::regclass LOOP
        EXECUTE format('ALTER TABLE %s ENABLE ROW LEVEL SECURITY', part);
        EXECUTE format('ALTER TABLE %s FORCE ROW LEVEL SECURITY', part);
    END LOOP;
END
$$;
