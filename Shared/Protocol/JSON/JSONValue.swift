/// Any JSON value, kept exactly as the client sent it.
///
/// The contract carries free-form JSON in several places (`metadata`, `graph_data`,
/// `node_outputs`, state values, action bodies, job and task output). Modelling it as a closed
/// enum keeps those payloads `Sendable`, `Hashable` and round-trippable without `Any`.
/// Numbers are `Double`, as in JSON itself: integers beyond 2^53 lose precision.
public enum JSONValue: Sendable, Hashable {
    case null
    case bool(Bool)
    case number(Double)
    case string(String)
    case array([JSONValue])
    case object([String: JSONValue])
}

/// The shape of a JSON object as the contract uses it for `metadata` and similar maps.
public typealias JSONObject = [String: JSONValue]
