public import ApexProtocol
public import Hummingbird

// Contract types a handler may return directly; each service adds the types it answers with.
extension HealthStatus: ResponseEncodable {}
extension Page: ResponseEncodable, ResponseGenerator where Item: Encodable {}
