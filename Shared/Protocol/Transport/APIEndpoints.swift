/// Every endpoint of API.md, one constant per method and path.
///
/// `all` is the public `/api/v1` surface the gateway routes (or answers itself);
/// `operational` are the gateway's own unversioned endpoints; `internalEndpoints` are never
/// routed by the gateway. Backends also serve `/liveness`, `/readiness` and `/metrics` for
/// their own probes; those are not routed either.
public enum APIEndpoints {
    // MARK: Gateway

    public static let liveness = Endpoint(.get, "/liveness", service: .gateway, summary: "Liveness probe; never touches the database")
    public static let readiness = Endpoint(.get, "/readiness", service: .gateway, summary: "Readiness probe: database and upstreams")
    public static let metrics = Endpoint(.get, "/metrics", service: .gateway, summary: "Prometheus metrics")
    public static let openAPI = Endpoint(.get, "/openapi.json", service: .gateway, summary: "OpenAPI 3.1 document of this API")
    public static let me = Endpoint(.get, "/api/v1/me", service: .gateway, summary: "The authenticated user")
    public static let context = Endpoint(
        .post, "/api/v1/context", service: .gateway, summary: "Memories and documents relevant to a query, searched in parallel")

    // MARK: Documents and search (rag)

    public static let createDocument = Endpoint(
        .post, "/api/v1/documents", service: .rag, summary: "Ingest a document (deduplicated by content hash)")
    public static let listDocuments = Endpoint(.get, "/api/v1/documents", service: .rag, summary: "List documents, newest first")
    public static let getDocument = Endpoint(.get, "/api/v1/documents/{id}", service: .rag, summary: "Get a document")
    public static let deleteDocument = Endpoint(
        .delete, "/api/v1/documents/{id}", service: .rag, summary: "Delete a document and its chunks")
    public static let listDocumentChunks = Endpoint(
        .get, "/api/v1/documents/{id}/chunks", service: .rag, summary: "List a document's chunks in order")
    public static let search = Endpoint(
        .post, "/api/v1/search", service: .rag, summary: "Hybrid, vector or keyword search over the user's chunks")

    // MARK: Memories and preferences (memory)

    public static let createMemory = Endpoint(
        .post, "/api/v1/memories", service: .memory, summary: "Store a memory (near-duplicates merge)")
    public static let listMemories = Endpoint(
        .get, "/api/v1/memories", service: .memory, summary: "List memories, newest first, optionally by category")
    public static let getMemory = Endpoint(.get, "/api/v1/memories/{id}", service: .memory, summary: "Get a memory")
    public static let updateMemory = Endpoint(
        .patch, "/api/v1/memories/{id}", service: .memory, summary: "Update a memory (re-embedded if its text changed)")
    public static let deleteMemory = Endpoint(.delete, "/api/v1/memories/{id}", service: .memory, summary: "Delete a memory")
    public static let searchMemories = Endpoint(
        .post, "/api/v1/memories/search", service: .memory, summary: "Semantic search over memories")
    public static let scanMemories = Endpoint(
        .post, "/api/v1/memories/scan", service: .memory, summary: "Extract memories from completed sessions not yet scanned")
    public static let getPreferences = Endpoint(.get, "/api/v1/preferences", service: .memory, summary: "All three preference hubs")
    public static let getPreferenceHub = Endpoint(.get, "/api/v1/preferences/{hub}", service: .memory, summary: "One preference hub")
    public static let patchPreferenceHub = Endpoint(
        .patch, "/api/v1/preferences/{hub}", service: .memory, summary: "Merge-patch one preference hub (RFC 7396)")

    // MARK: Sessions, chats, state (memory)

    public static let createSession = Endpoint(.post, "/api/v1/sessions", service: .memory, summary: "Record an agent run")
    public static let listSessions = Endpoint(
        .get, "/api/v1/sessions", service: .memory, summary: "List sessions, newest first, optionally by status")
    public static let getSession = Endpoint(.get, "/api/v1/sessions/{id}", service: .memory, summary: "Get a session")
    public static let updateSession = Endpoint(.patch, "/api/v1/sessions/{id}", service: .memory, summary: "Update a session")
    public static let deleteSession = Endpoint(.delete, "/api/v1/sessions/{id}", service: .memory, summary: "Delete a session")
    public static let createChat = Endpoint(.post, "/api/v1/chats", service: .memory, summary: "Start a chat")
    public static let listChats = Endpoint(.get, "/api/v1/chats", service: .memory, summary: "List chats, most recently updated first")
    public static let getChat = Endpoint(.get, "/api/v1/chats/{id}", service: .memory, summary: "Get a chat")
    public static let updateChat = Endpoint(.patch, "/api/v1/chats/{id}", service: .memory, summary: "Rename a chat or change its model")
    public static let deleteChat = Endpoint(.delete, "/api/v1/chats/{id}", service: .memory, summary: "Delete a chat and its messages")
    public static let createMessage = Endpoint(
        .post, "/api/v1/chats/{id}/messages", service: .memory, summary: "Append a message to a chat")
    public static let listMessages = Endpoint(
        .get, "/api/v1/chats/{id}/messages", service: .memory, summary: "List a chat's messages, oldest first")
    public static let getState = Endpoint(.get, "/api/v1/state/{key}", service: .memory, summary: "Read a state value")
    public static let putState = Endpoint(.put, "/api/v1/state/{key}", service: .memory, summary: "Write a state value (any JSON)")
    public static let deleteState = Endpoint(.delete, "/api/v1/state/{key}", service: .memory, summary: "Delete a state value")

    // MARK: Jobs, tasks, inbox (scheduler)

    public static let createJob = Endpoint(.post, "/api/v1/jobs", service: .scheduler, summary: "Create a cron job")
    public static let listJobs = Endpoint(.get, "/api/v1/jobs", service: .scheduler, summary: "List jobs")
    public static let getJob = Endpoint(.get, "/api/v1/jobs/{id}", service: .scheduler, summary: "Get a job")
    public static let updateJob = Endpoint(.patch, "/api/v1/jobs/{id}", service: .scheduler, summary: "Update a job (next run recomputed)")
    public static let deleteJob = Endpoint(.delete, "/api/v1/jobs/{id}", service: .scheduler, summary: "Delete a job")
    public static let runJob = Endpoint(.post, "/api/v1/jobs/{id}/run", service: .scheduler, summary: "Run a job now, once")
    public static let listJobRuns = Endpoint(
        .get, "/api/v1/jobs/{id}/runs", service: .scheduler, summary: "List a job's runs, newest first")
    public static let createTask = Endpoint(
        .post, "/api/v1/tasks", service: .scheduler, summary: "Enqueue a background task (idempotent by key)")
    public static let listTasks = Endpoint(.get, "/api/v1/tasks", service: .scheduler, summary: "List tasks, optionally by status")
    public static let getTask = Endpoint(.get, "/api/v1/tasks/{id}", service: .scheduler, summary: "Get a task")
    public static let listInbox = Endpoint(.get, "/api/v1/inbox", service: .scheduler, summary: "List notifications, newest first")
    public static let unreadCount = Endpoint(.get, "/api/v1/inbox/unread_count", service: .scheduler, summary: "Count unread notifications")
    public static let createNotification = Endpoint(.post, "/api/v1/inbox", service: .scheduler, summary: "Put a notification in the inbox")
    public static let markNotificationRead = Endpoint(
        .post, "/api/v1/inbox/{id}/read", service: .scheduler, summary: "Mark a notification read")
    public static let markAllNotificationsRead = Endpoint(
        .post, "/api/v1/inbox/read_all", service: .scheduler, summary: "Mark every notification read")
    public static let deleteNotification = Endpoint(.delete, "/api/v1/inbox/{id}", service: .scheduler, summary: "Delete a notification")

    // MARK: Internal (never routed by the gateway)

    public static let tick = Endpoint(.post, "/internal/tick", service: .scheduler, summary: "Run one scheduling pass")

    /// Retention sweep of `service`'s own tables: every service serves `/internal/retention`.
    public static func retention(on service: ServiceName) -> Endpoint {
        Endpoint(.post, "/internal/retention", service: service, summary: "Delete \(service.rawValue) rows past their retention")
    }

    // MARK: Lists

    /// The public `/api/v1` endpoints, in API.md's order.
    public static let all: [Endpoint] = [
        me, context,
        createDocument, listDocuments, getDocument, deleteDocument, listDocumentChunks, search,
        createMemory, listMemories, getMemory, updateMemory, deleteMemory, searchMemories, scanMemories,
        getPreferences, getPreferenceHub, patchPreferenceHub,
        createSession, listSessions, getSession, updateSession, deleteSession,
        createChat, listChats, getChat, updateChat, deleteChat, createMessage, listMessages,
        getState, putState, deleteState,
        createJob, listJobs, getJob, updateJob, deleteJob, runJob, listJobRuns,
        createTask, listTasks, getTask,
        listInbox, unreadCount, createNotification, markNotificationRead, markAllNotificationsRead, deleteNotification,
    ]

    /// The gateway's unversioned endpoints (probes, metrics, OpenAPI).
    public static let operational: [Endpoint] = [liveness, readiness, metrics, openAPI]

    /// `/internal/*`: the tick and one retention sweep per service.
    public static let internalEndpoints: [Endpoint] = [tick] + ServiceName.allCases.map { retention(on: $0) }

    /// What the gateway answers: `all` plus `operational`.
    public static let publicTable = EndpointTable(all + operational)

    /// The service owning a concrete public path (`/api/v1/documents/abc/chunks` → `.rag`),
    /// or nil for a path the gateway must answer with 404 (including `/internal/*`).
    public static func owner(ofPath path: String) -> ServiceName? {
        publicTable.owner(ofPath: path)
    }

    /// The public endpoint for a request, or why there is none (404 or 405).
    public static func match(method: HTTPMethodName, path: String) -> EndpointMatch {
        publicTable.match(method: method, path: path)
    }
}
