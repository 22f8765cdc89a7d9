import ApexProtocol

// The contract type doubles as the failure of one side of `/api/v1/context`.
extension ContextSourceError: Error {}
