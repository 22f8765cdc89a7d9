/// A JSON document exactly as PostgreSQL wrote it (`jsonb::text`), handed to the client as is.
///
/// A preference hub is stored, merged and answered as JSON: decoding it into `JSONValue` only
/// to encode it again costs more CPU than the whole merge in PostgreSQL, so hub answers skip
/// that round trip.
struct JSONDocument: Sendable, Equatable {
    let text: String
}
