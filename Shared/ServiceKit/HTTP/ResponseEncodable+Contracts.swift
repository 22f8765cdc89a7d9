public import ApexProtocol
public import Hummingbird

// Every contract type a handler may return directly, declared once here so that no two service
// modules declare the same conformance (they meet in the end-to-end tests).
extension HealthStatus: ResponseEncodable {}
extension Page: ResponseEncodable, ResponseGenerator where Item: Encodable {}
extension JSONValue: ResponseEncodable {}
extension RetentionResponse: ResponseEncodable {}
// gateway
extension MeResponse: ResponseEncodable {}
extension ContextResponse: ResponseEncodable {}
// rag
extension Document: ResponseEncodable {}
extension Chunk: ResponseEncodable {}
extension SearchResponse: ResponseEncodable {}
// memory
extension Memory: ResponseEncodable {}
extension MemorySearchResponse: ResponseEncodable {}
extension MemoryScanResponse: ResponseEncodable {}
extension PreferencesResponse: ResponseEncodable {}
extension Session: ResponseEncodable {}
extension Chat: ResponseEncodable {}
extension Message: ResponseEncodable {}
extension StateEntry: ResponseEncodable {}
// scheduler
extension Job: ResponseEncodable {}
extension JobRun: ResponseEncodable {}
extension BackgroundTask: ResponseEncodable {}
extension InboxNotification: ResponseEncodable {}
extension UnreadCountResponse: ResponseEncodable {}
extension ReadAllResponse: ResponseEncodable {}
extension TickResponse: ResponseEncodable {}
