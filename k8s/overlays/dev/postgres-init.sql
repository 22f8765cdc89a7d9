-- Runs once, as the superuser, when the pgvector/pgvector container initialises an empty data
-- directory (docker-entrypoint-initdb.d). The same bootstrap as scripts/pg and the k8s dev overlay.

-- The application role: a plain role, so row-level security applies to it (superusers and
-- BYPASSRLS roles skip every policy). Development password; production uses its own secret.
DO $$
BEGIN
  IF NOT EXISTS (SELECT FROM pg_catalog.pg_roles WHERE rolname = 'apex') THEN
    CREATE ROLE apex LOGIN PASSWORD 'apex';
  END IF;
END
$$;
ALTER ROLE apex WITH LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS;

SELECT 'CREATE DATABASE apexflow OWNER apex'
 WHERE NOT EXISTS (SELECT FROM pg_catalog.pg_database WHERE datname = 'apexflow') \gexec

-- Databases created later from template1 get the extension too (the CI file's test databases).
\connect template1
CREATE EXTENSION IF NOT EXISTS vector;

\connect apexflow
CREATE EXTENSION IF NOT EXISTS vector;

-- Under row-level security the planner uses an index only for LEAKPROOF operators. tsvector @@
-- tsquery (ts_match_vq) is not marked so, and keyword search then filters every row of a tenant
-- instead of using the GIN index (measured ~1 ms -> ~60 ms for a 50k-chunk user). The function
-- reveals nothing about the rows it reads; marking it needs a superuser, so it is done here.
-- The services log a warning at start when it is missing (docs/operations.md, "LEAKPROOF").
ALTER FUNCTION pg_catalog.ts_match_vq(tsvector, tsquery) LEAKPROOF;
