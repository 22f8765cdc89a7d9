import ApexProtocol

/// A document about to be stored, before the database gives it its timestamps.
struct NewDocument: Sendable {
    let id: String
    let userID: String
    let filename: String
    let docType: DocumentType
    let fileHash: String
    let metadata: JSONObject
}
