public import Embeddings
public import Logging
import PostgresNIO
public import ServiceKit

/// The embedding column of one table, sized for the configured model.
///
/// Migrations cannot create it: the dimension is a deployment setting and an HNSW index needs
/// a fixed one. At start the service records its model in `<schema>.embedding_model` (refusing
/// to start when another model is recorded), then adds `embedding vector(N)` and its HNSW index
/// (cosine, m = 16, ef_construction = 64). On AlloyDB with `alloydb_scann` it says so; the
/// ScaNN index is built by the owning service once rows exist.
public struct VectorColumn: Sendable {
    public let schema: String
    public let table: String
    public let model: EmbeddingModelInfo
    /// A predicate (SQL over the table's columns) that limits the HNSW index to the rows that are
    /// ever searched through it: the index is then `<table>_embedding_graph_idx … WHERE
    /// predicate`, and an earlier whole-table `<table>_embedding_hnsw_idx` is dropped. nil: the
    /// whole table is indexed.
    public let indexPredicate: String?

    public enum IndexKind: String, Sendable { case hnsw, scann }

    public init(schema: String, table: String, model: EmbeddingModelInfo, indexPredicate: String? = nil) {
        self.schema = schema
        self.table = table
        self.model = model
        self.indexPredicate = indexPredicate
    }

    /// The statements that create the HNSW index (and drop the one it replaces).
    var indexStatements: [String] {
        let method = "USING hnsw (embedding public.vector_cosine_ops) WITH (m = 16, ef_construction = 64)"
        guard let indexPredicate else {
            return ["CREATE INDEX IF NOT EXISTS \(table)_embedding_hnsw_idx ON \(schema).\(table) \(method)"]
        }
        return [
            "DROP INDEX IF EXISTS \(schema).\(table)_embedding_hnsw_idx",
            "CREATE INDEX IF NOT EXISTS \(table)_embedding_graph_idx ON \(schema).\(table) \(method) WHERE \(indexPredicate)",
        ]
    }

    /// Checks the recorded model and creates the column and index; returns the index kind in use.
    @discardableResult
    public func prepare(on database: Database, logger: Logger) async throws -> IndexKind {
        let schema = self.schema
        let table = self.table
        let model = self.model
        let indexStatements = self.indexStatements
        let kind = try await database.withConnection(timeout: .seconds(60)) { connection in
            try await Self.unwrappingMismatch {
                try await connection.withTransaction(logger: logger) { connection in
                    let lockKey = "apexflow.vectors.\(schema).\(table)"
                    try await connection.query("SELECT pg_advisory_xact_lock(hashtextextended(\(lockKey), 0))", logger: logger)
                    let rows = try await connection.query(
                        PostgresQuery(unsafeSQL: "SELECT name, dimension FROM \(schema).embedding_model"), logger: logger)
                    var recorded: (String, Int)?
                    for try await row in rows.decode((String, Int).self) { recorded = row }
                    if let (name, dimension) = recorded {
                        guard name == model.name, dimension == model.dimension else {
                            throw EmbeddingModelMismatch.different(
                                schema: schema, recorded: name, recordedDimension: dimension,
                                configured: model.name, configuredDimension: model.dimension)
                        }
                    } else {
                        try await connection.query(
                            PostgresQuery(
                                unsafeSQL: "INSERT INTO \(schema).embedding_model (name, dimension) VALUES ($1, $2)",
                                binds: {
                                    var b = PostgresBindings(); b.append(model.name); b.append(model.dimension); return b
                                }()),
                            logger: logger)
                    }
                    try await connection.query(
                        PostgresQuery(
                            unsafeSQL: "ALTER TABLE \(schema).\(table) ADD COLUMN IF NOT EXISTS embedding public.vector(\(model.dimension))"
                        ),
                        logger: logger)
                    // Keep vectors in the row, not in TOAST: an exact scan of a tenant's rows then reads
                    // no side table (PERFORMANCE.md measured detoasting as most of an exact scan's cost).
                    // Checked first because the ALTER takes a table lock; it affects rows written later.
                    let storage = try await connection.query(
                        """
                        SELECT attstorage::text FROM pg_attribute
                        WHERE attrelid = \(schema + "." + table)::regclass AND attname = 'embedding'
                        """,
                        logger: logger)
                    var isPlain = false
                    for try await value in storage.decode(String.self) { isPlain = value == "p" }
                    if !isPlain {
                        try await connection.query(
                            PostgresQuery(unsafeSQL: "ALTER TABLE \(schema).\(table) ALTER COLUMN embedding SET STORAGE PLAIN"),
                            logger: logger)
                    }
                    for statement in indexStatements {
                        try await connection.query(PostgresQuery(unsafeSQL: statement), logger: logger)
                    }
                    let scann = try await connection.query(
                        "SELECT count(*)::int FROM pg_available_extensions WHERE name = 'alloydb_scann'", logger: logger)
                    for try await count in scann.decode(Int.self) where count > 0 { return IndexKind.scann }
                    return IndexKind.hnsw
                }
            }
        }
        logger.info(
            "vector index ready",
            metadata: [
                "table": "\(schema).\(table)", "index": "\(kind.rawValue)", "model": "\(model.name)", "dimension": "\(model.dimension)",
            ])
        return kind
    }

    /// postgres-nio wraps whatever a transaction's body throws; a model mismatch is a start-up
    /// error an operator must read, so it is handed on as itself.
    private static func unwrappingMismatch<T>(_ body: () async throws -> T) async throws -> T {
        do {
            return try await body()
        } catch let error as PostgresTransactionError {
            if let mismatch = error.closureError as? EmbeddingModelMismatch { throw mismatch }
            throw error
        }
    }
}
