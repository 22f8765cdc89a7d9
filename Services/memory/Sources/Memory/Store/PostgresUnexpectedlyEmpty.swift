/// A statement that always returns a row returned none: a bug or a concurrent schema change,
/// answered as a 500 (the statement name goes to the log, never to the client).
struct PostgresUnexpectedlyEmpty: Error, CustomStringConvertible {
    let statement: String
    var description: String { "\(statement) returned no row" }
}
