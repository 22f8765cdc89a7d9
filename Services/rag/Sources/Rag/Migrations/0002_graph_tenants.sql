-- rag 0002_graph_tenants: only large tenants' chunks are in the HNSW graph.
--
-- Tenants with at most SEARCH_EXACT_MAX_CHUNKS chunks are searched exactly (every vector
-- compared), so a graph entry of theirs is never read, yet maintaining it was ~90 % of the
-- database's ingest work (Benchmarks/Rag/README.md: 2,000 chunks took 5.0 s with the HNSW index
-- and 0.5 s without). From this migration on, the HNSW index is partial, WHERE in_graph (the
-- service creates it at start, as before, because the column's dimension is a deployment
-- setting; it drops the earlier whole-table index document_chunks_embedding_hnsw_idx).
--
-- A tenant enters the graph when it grows past the threshold: apex-rag's GraphPromoter inserts
-- its row here as 'promoting', sets in_graph on its chunks in batches, and marks it 'ready' in
-- a final transaction that holds the tenant's graph lock exclusively. The trigger below, run for
-- every chunk inserted, takes the same lock shared (held to the end of the inserting transaction)
-- and then sets in_graph when the tenant has a row here; so the last step waits for every insert
-- that may have looked before the tenant was registered, and once a tenant is 'ready' every
-- chunk of it is in the graph: the HNSW statement (which says AND in_graph, so the planner can
-- use the partial index) misses none. Until then the tenant is searched exactly. Being a
-- trigger, it also holds for an older apex-rag still serving during a rollout, which knows
-- neither the column nor the lock; the promoter's rounds would also pick up any chunk of a graph
-- tenant found outside the graph.
-- A tenant that shrinks again stays in the graph (it is then searched exactly; its new chunks
-- still enter the graph).
--
-- Existing rows start outside the graph: after this migration every tenant is searched exactly
-- until the promoter has moved the large ones in, which it starts on at once.

ALTER TABLE rag.document_chunks ADD COLUMN in_graph boolean NOT NULL DEFAULT false;

-- The promoter's work list: the chunks of each tenant still outside the graph (an index-only
-- scan finds the tenants due and each batch of rows to move).
CREATE INDEX document_chunks_outside_graph_idx ON rag.document_chunks (user_id, id) WHERE NOT in_graph;

CREATE TABLE rag.graph_tenants (
    user_id    text        PRIMARY KEY
        CONSTRAINT graph_tenants_user_id_check CHECK (user_id <> ''),
    state      text        NOT NULL DEFAULT 'promoting'
        CONSTRAINT graph_tenants_state_check CHECK (state IN ('promoting', 'ready')),
    changed_at timestamptz NOT NULL DEFAULT now()
);

-- Whoever writes a chunk, a chunk of a tenant registered above enters the graph. The lock is
-- taken first; the EXISTS then reads a snapshot taken after it was granted (a VOLATILE plpgsql
-- function takes a new snapshot per statement under READ COMMITTED). Taking a lock the
-- transaction already holds is cheap, so a 100-chunk insert costs one real acquisition.
CREATE FUNCTION rag.chunk_graph_membership() RETURNS trigger
LANGUAGE plpgsql VOLATILE AS $$
BEGIN
    IF NOT NEW.in_graph THEN
        PERFORM pg_advisory_xact_lock_shared(hashtextextended('apexflow.rag.graph.' || NEW.user_id, 0));
        NEW.in_graph := EXISTS (SELECT 1 FROM rag.graph_tenants WHERE user_id = NEW.user_id);
    END IF;
    RETURN NEW;
END
$$;

CREATE TRIGGER document_chunks_graph_membership BEFORE INSERT ON rag.document_chunks
    FOR EACH ROW EXECUTE FUNCTION rag.chunk_graph_membership();

ALTER TABLE rag.graph_tenants ENABLE ROW LEVEL SECURITY;
ALTER TABLE rag.graph_tenants FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON rag.graph_tenants
    USING (user_id = current_setting('apex.user_id', true) OR current_setting('apex.system', true) = 'on')
    WITH CHECK (user_id = current_setting('apex.user_id', true) OR current_setting('apex.system', true) = 'on');
