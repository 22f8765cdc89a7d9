/// What a job or task does when it runs. On the wire: an object with a `type` discriminator.
///
/// - `{"type": "notify", "title", "body"}`: put a notification in the owner's inbox;
/// - `{"type": "memory_scan"}`: run the owner's memory scan;
/// - `{"type": "http", "url", "method"?: "POST", "body"?: {}}`: call an allow-listed URL;
/// - `{"type": "agent", "agent_type", "query"}`: hand a query to the agent runner.
///
/// The contract checks the URL's shape (`http`/`https`, no user info); whether its host is in
/// `JOB_HTTP_ALLOWED_HOSTS` is the scheduler's decision, made at creation and again at run time.
public enum JobAction: Sendable, Hashable {
    case notify(title: String, body: String)
    case memoryScan
    case http(url: String, method: HTTPMethodName, body: JSONValue?)
    case agent(agentType: String, query: String)

    /// The `type` discriminator values.
    public enum Kind: String, ContractEnum {
        case notify
        case memoryScan = "memory_scan"
        case http
        case agent
    }

    /// The method of an `http` action that names none.
    public static let defaultHTTPMethod = HTTPMethodName.post

    /// Which kind of action this is (for logs and metrics labels).
    public var kind: Kind {
        switch self {
        case .notify: .notify
        case .memoryScan: .memoryScan
        case .http: .http
        case .agent: .agent
        }
    }
}
