import ApexProtocol
import ApexTestSupport
import Embeddings
import Foundation
import HummingbirdTesting
import PostgresNIO
import Synchronization
import Testing

@testable import Rag

@Suite("Documents: dedup, isolation, atomic ingest, HTML, validation")
struct DocumentLifecycleTests {
    @Test func anotherUserNeverSeesFindsOrDeletesThem() async throws {
        try await RagTestApp.make().test(.router) { client in
            let alice = client.rag()
            let mallory = client.rag()
            let (_, doc) = try await alice.upload("secret.md", "The launch code for project nightingale is hidden in the greenhouse.")
            for path in ["/api/v1/documents/\(doc.id)", "/api/v1/documents/\(doc.id)/chunks"] {
                let response = try await mallory.send(.get, path)
                #expect(response.status == .notFound, "\(path)")
            }
            #expect(try await mallory.send(.delete, "/api/v1/documents/\(doc.id)").status == .notFound)
            let list = try mallory.decode(Page<Document>.self, try await mallory.send(.get, "/api/v1/documents"))
            #expect(list.items.isEmpty)
            for mode in SearchMode.allCases {
                #expect(try await mallory.search("nightingale launch code greenhouse", mode: mode).results.isEmpty)
            }
            // The same content is another document for another user (dedup is per user).
            let (status, copy) = try await mallory.upload("mine.md", "The launch code for project nightingale is hidden in the greenhouse.")
            #expect(status == .created)
            #expect(copy.id != doc.id)
            #expect(try await alice.send(.get, "/api/v1/documents/\(doc.id)").status == .ok)
            #expect(try await mallory.send(.delete, "/api/v1/documents/\(doc.id)").status == .notFound)
            #expect(try await alice.send(.delete, "/api/v1/documents/\(doc.id)").status == .noContent)
            #expect(try await alice.send(.get, "/api/v1/documents/\(doc.id)").status == .notFound)
            #expect(try await alice.search("nightingale").results.isEmpty, "chunks go with their document")
        }
    }

    @Test func sameContentIsDeduplicatedAlsoWhenUploadsRace() async throws {
        try await RagTestApp.make().test(.router) { client in
            let rag = client.rag()
            let content = "Tide tables list the times of high and low water for each day of the month."
            let (status, first) = try await rag.upload("tides.txt", content)
            #expect(status == .created && !first.deduplicated)
            #expect(first.fileHash == "\(DocumentFingerprint(content: content).hex)")
            let (again, second) = try await rag.upload("renamed.txt", content)
            #expect(again == .ok && second.deduplicated && second.id == first.id)

            let raced = "Concurrent uploads of one file must end as one document: \(UUID())"
            let results = try await withThrowingTaskGroup(of: Document.self) { group in
                for index in 0..<8 { group.addTask { try await rag.upload("race-\(index).txt", raced).1 } }
                return try await group.reduce(into: [Document]()) { $0.append($1) }
            }
            #expect(Set(results.map(\.id)).count == 1)
            #expect(results.filter { !$0.deduplicated }.count == 1)
        }
    }

    @Test func aFailingEmbedderLeavesNoDocumentAndNoChunks() async throws {
        let failing = FailingEmbedder(failOnCall: 2)
        try await RagTestApp.make(embedder: failing, ["EMBED_BATCH_SIZE": "2", "CHUNK_SIZE": "120", "CHUNK_OVERLAP": "20"]).test(.router) {
            client in
            let rag = client.rag()
            let content = (0..<30).map { "Sentence number \($0) talks about lighthouses and their keepers." }.joined(separator: " ")
            let response = try await rag.send(
                .post, "/api/v1/documents", body: CreateDocumentRequest(filename: "long.txt", content: content))
            #expect(response.status == .internalServerError)
            #expect(!String(buffer: response.body).contains("embedder"), "a 5xx says nothing about internals")
            let list = try rag.decode(Page<Document>.self, try await rag.send(.get, "/api/v1/documents"))
            #expect(list.items.isEmpty)
            let chunks = try await TestDatabase.withDatabase { database in
                try await database.withTransaction(.user(rag.user)) { connection in
                    let rows = try await connection.query(
                        "SELECT count(*)::int FROM rag.document_chunks WHERE user_id = \(rag.user)", logger: database.logger)
                    for try await count in rows.decode(Int.self) { return count }
                    return -1
                }
            }
            #expect(chunks == 0)
        }
    }

    @Test func htmlIsReducedToText() async throws {
        try await RagTestApp.make().test(.router) { client in
            let rag = client.rag()
            let html = """
                <html><head><title>Caf&eacute; guide</title><style>p { color: red }</style>
                <script>var secret = "do not index";</script></head>
                <body><!-- hidden comment --><h1>Best caf&eacute;s &amp; bakeries</h1><p>Try the croissants &#8212; flaky &#x26; buttery.</p></body></html>
                """
            let (_, doc) = try await rag.upload("guide.html", html)
            #expect(doc.docType == .html)
            let chunks = try rag.decode(Page<Chunk>.self, try await rag.send(.get, "/api/v1/documents/\(doc.id)/chunks"))
            let text = chunks.items.map(\.content).joined(separator: " ")
            #expect(text.contains("Best cafés & bakeries"))
            #expect(text.contains("croissants — flaky & buttery"))
            for leaked in ["<", "color: red", "do not index", "hidden comment", "&eacute;"] { #expect(!text.contains(leaked), "\(leaked)") }
            #expect(try await rag.search("do not index", mode: .keyword).results.isEmpty)
            #expect(doc.fileHash == DocumentFingerprint(content: html).hex, "the hash is of the content as received")
        }
    }

    @Test func chunksPageInOrderWithoutGapsOrRepeats() async throws {
        try await RagTestApp.make(["CHUNK_SIZE": "100", "CHUNK_OVERLAP": "10"]).test(.router) { client in
            let rag = client.rag()
            let content = (0..<60).map { "Paragraph \($0) describes harbour number \($0) in some detail." }.joined(separator: "\n\n")
            let (_, doc) = try await rag.upload("harbours.txt", content)
            #expect(doc.totalChunks > 20)
            var seen: [Int] = []
            var cursor: String?
            repeat {
                let path = "/api/v1/documents/\(doc.id)/chunks?limit=7" + (cursor.map { "&cursor=\($0)" } ?? "")
                let page = try rag.decode(Page<Chunk>.self, try await rag.send(.get, path))
                seen += page.items.map(\.chunkIndex)
                cursor = page.nextCursor
            } while cursor != nil
            #expect(seen == Array(0..<doc.totalChunks))
        }
    }

    @Test func documentsListNewestFirstWithCursors() async throws {
        try await RagTestApp.make().test(.router) { client in
            let rag = client.rag()
            var created: [String] = []
            for index in 0..<7 { created.append(try await rag.upload("n\(index).txt", "Note number \(index) about otters \(UUID())").1.id) }
            var seen: [String] = []
            var cursor: String?
            repeat {
                let page = try rag.decode(
                    Page<Document>.self, try await rag.send(.get, "/api/v1/documents?limit=3" + (cursor.map { "&cursor=\($0)" } ?? "")))
                seen += page.items.map(\.id)
                cursor = page.nextCursor
            } while cursor != nil
            #expect(seen == created.reversed())
        }
    }

    @Test func badInputsAreProblemsWithFieldErrors() async throws {
        try await RagTestApp.make().test(.router) { client in
            let rag = client.rag()
            let cases: [(String, String, String)] = [
                ("/api/v1/documents", #"{"filename": "", "content": "x"}"#, "filename"),
                ("/api/v1/documents", #"{"filename": "a.txt", "content": ""}"#, "content"),
                ("/api/v1/documents", #"{"filename": "a.txt"}"#, "content"),
                ("/api/v1/documents", #"{"filename": "a.txt", "content": "x", "doc_type": "pdf"}"#, "doc_type"),
                ("/api/v1/search", #"{"query": ""}"#, "query"),
                ("/api/v1/search", #"{"query": "x", "limit": 51}"#, "limit"),
                ("/api/v1/search", #"{"query": "x", "mode": "fuzzy"}"#, "mode"),
                ("/api/v1/search", "{not json", "body"),
            ]
            for (path, body, field) in cases {
                let response = try await client.execute(uri: path, method: .post, headers: rag.identity, body: .init(string: body))
                #expect(response.status == .badRequest, "\(body)")
                #expect(response.headers[.contentType] == "application/problem+json")
                let problem = try rag.decode(ProblemDetails.self, response)
                #expect(problem.code == .invalidRequest)
                #expect(problem.errors?.contains { $0.field == field } == true, "\(body): \(String(describing: problem.errors))")
            }
            let wrongType = try await client.execute(
                uri: "/api/v1/search", method: .post,
                headers: [.xApexIdentity: TestSettings.token(for: .rag, subject: rag.user), .contentType: "text/plain"],
                body: .init(string: "hi"))
            #expect(wrongType.status == .unsupportedMediaType)
            #expect(try await rag.send(.get, "/api/v1/documents?limit=0").status == .badRequest)
            #expect(try await rag.send(.get, "/api/v1/documents?cursor=forged").status == .badRequest)
            #expect(try await rag.send(.get, "/api/v1/documents/not-a-uuid").status == .notFound)
        }
    }

    @Test func oddQueriesNeverFail() async throws {
        try await RagTestApp.make().test(.router) { client in
            let rag = client.rag()
            _ = try await rag.upload("misc.txt", "Lighthouses guide ships along rocky coasts at night with rotating beams.")
            let odd = [
                "!!!", "&&& ||| ::: ()", "\"unterminated phrase", "-", "- - -", "we and -foo", "or or or", "NOT AND OR",
                "😀🚀", "日本語の検索", "a:b:c*", "'); DROP TABLE rag.documents; --", "\\\\", String(repeating: "lighthouse ", count: 150),
                String(repeating: "-x ", count: 300), "|---|---|", "<script>alert(1)</script>", "\u{0007}bell",
            ]
            for query in odd {
                for mode in SearchMode.allCases {
                    let response = try await rag.send(
                        .post, "/api/v1/search", body: SearchRequest(query: String(query.prefix(2000)), mode: mode))
                    #expect(response.status == .ok, "\(mode) \(query.prefix(40)): \(String(buffer: response.body).prefix(200))")
                }
            }
        }
    }

    @Test func documentIDsRestrictTheSearch() async throws {
        try await RagTestApp.make().test(.router) { client in
            let rag = client.rag()
            let (_, a) = try await rag.upload("a.txt", "Owls hunt at night and sleep during the day.")
            let (_, b) = try await rag.upload("b.txt", "Owls nest in hollow trees and old barns.")
            let onlyB = try await rag.search("owls", documentIDs: [b.id])
            #expect(Set(onlyB.results.map(\.documentID)) == [b.id])
            let foreign = try await client.rag().upload("c.txt", "Owls of another user").1
            let none = try await rag.search("owls", documentIDs: [foreign.id, "not-a-uuid"])
            #expect(none.results.isEmpty)
            _ = a
        }
    }
}

/// An embedder that fails on its n-th call, to prove ingest is all-or-nothing.
final class FailingEmbedder: Embedder {
    let model = EmbeddingModelInfo(name: "hash-v1", dimension: 384)
    let inner = HashEmbedder(dimension: 384)
    let failOnCall: Int
    let calls = Atomic<Int>(0)

    init(failOnCall: Int) { self.failOnCall = failOnCall }

    struct Failure: Error {}

    func embed(_ texts: [String]) async throws -> [[Float]] {
        let call = calls.add(1, ordering: .relaxed).newValue
        if call == failOnCall { throw Failure() }
        return try await inner.embed(texts)
    }
}
