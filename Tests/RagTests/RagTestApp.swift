import ApexProtocol
import ApexTestSupport
import Embeddings
import Foundation
import Hummingbird
import HummingbirdTesting
import NIOCore
import ServiceKit
import Testing

@testable import Rag

/// Builds apex-rag as production does, on the test database, with a chosen embedder.
enum RagTestApp {
    static func settings(_ overrides: [String: String] = [:]) throws -> RagSettings {
        try RagSettings(environment: TestSettings.environment(["EMBEDDING_PROVIDER": "hash"].merging(overrides) { _, new in new }))
    }

    static func make(embedder: (any Embedder)? = nil, _ overrides: [String: String] = [:]) async throws -> some ApplicationProtocol {
        try await buildApplication(settings: settings(overrides), runtime: TestSettings.runtime(), embedder: embedder)
    }
}

/// A client-side helper speaking the contract as a user.
struct RagClient {
    let client: any TestClientProtocol
    let user: String

    var identity: HTTPFields { [.xApexIdentity: TestSettings.token(for: .rag, subject: user), .contentType: "application/json"] }

    func send(_ method: HTTPRequest.Method, _ path: String, body: some Encodable) async throws -> TestResponse {
        try await client.execute(uri: path, method: method, headers: identity, body: ByteBuffer(bytes: try ApexJSON.encode(body)))
    }

    func send(_ method: HTTPRequest.Method, _ path: String) async throws -> TestResponse {
        try await client.execute(uri: path, method: method, headers: identity)
    }

    func upload(_ filename: String, _ content: String, docType: DocumentType? = nil) async throws -> (HTTPResponse.Status, Document) {
        let response = try await send(
            .post, "/api/v1/documents", body: CreateDocumentRequest(filename: filename, content: content, docType: docType))
        #expect(response.status == .created || response.status == .ok, "upload \(filename): \(String(buffer: response.body))")
        return (response.status, try decode(Document.self, response))
    }

    func search(_ query: String, mode: SearchMode = .hybrid, limit: Int = 10, documentIDs: [String]? = nil) async throws -> SearchResponse {
        let response = try await send(
            .post, "/api/v1/search", body: SearchRequest(query: query, limit: limit, mode: mode, documentIDs: documentIDs))
        #expect(response.status == .ok, "search \(query): \(String(buffer: response.body))")
        return try decode(SearchResponse.self, response)
    }

    func decode<T: Decodable>(_ type: T.Type, _ response: TestResponse) throws -> T {
        try ApexJSON.makeDecoder().decode(T.self, from: Data(buffer: response.body))
    }
}

extension TestClientProtocol {
    func rag(as user: String = "user-\(UUID().uuidString.prefix(8))") -> RagClient { RagClient(client: self, user: user) }
}
