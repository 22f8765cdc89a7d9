/// `POST /api/v1/documents`: a document to ingest, content inline.
public struct CreateDocumentRequest: Sendable, Equatable, Codable {
    public static let filenameLength = 1...255

    public var filename: String
    /// Non-empty text; hashed exactly as received.
    public var content: String
    /// Defaults from the filename's extension (`DocumentType(filename:)`).
    public var docType: DocumentType?
    public var metadata: JSONObject?

    public init(filename: String, content: String, docType: DocumentType? = nil, metadata: JSONObject? = nil) {
        self.filename = filename
        self.content = content
        self.docType = docType
        self.metadata = metadata
    }

    /// `doc_type`, or the default derived from `filename`.
    public var resolvedDocType: DocumentType {
        docType ?? DocumentType(filename: filename)
    }

    enum CodingKeys: String, CodingKey {
        case filename
        case content
        case docType = "doc_type"
        case metadata
    }
}

extension CreateDocumentRequest: ContractValidatable {
    public func validate() -> [FieldError] {
        var rules = FieldRules()
        rules.length(filename, "filename", in: Self.filenameLength)
        rules.notEmpty(content, "content")
        return rules.errors
    }
}
