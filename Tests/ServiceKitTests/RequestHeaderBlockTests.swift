import HTTPTypes
import NIOHPACK
import Testing

@testable import ServiceKit

/// `HTTPRequest(headerBlock:)`, how the HTTP/2 server reads a request's HEADERS frame (RFC 9113
/// §8.3): pseudo-header fields first, each at most once, none unknown, a method that is a token.
@Suite("Request header blocks")
struct RequestHeaderBlockTests {
    static let pseudo: [(String, String)] = [
        (":method", "POST"), (":scheme", "http"), (":authority", "rag:8081"), (":path", "/api/v1/x?q=1"),
    ]

    @Test func aRequestBlockBecomesTheRequest() throws {
        var block = HPACKHeaders(Self.pseudo + [("content-type", "application/json"), ("x-tag", "a"), ("x-tag", "b")])
        block.add(name: "authorization", value: "Bearer t", indexing: .neverIndexed)
        block.add(name: "x-request-id", value: "r1", indexing: .nonIndexable)
        let request = try #require(HTTPRequest(headerBlock: block))
        #expect(request.method == .post)
        #expect(request.scheme == "http")
        #expect(request.authority == "rag:8081")
        #expect(request.path == "/api/v1/x?q=1")
        #expect(request.headerFields[.contentType] == "application/json")
        #expect(request.headerFields[values: HTTPField.Name("x-tag")!] == ["a", "b"], "repeated fields kept, in order")
        #expect(request.headerFields.first { $0.name == .authorization }?.indexingStrategy == .disallow)
        #expect(request.headerFields.first { $0.name.canonicalName == "x-request-id" }?.indexingStrategy == .avoid)
    }

    @Test func extendedConnectKeepsItsProtocol() throws {
        let block = HPACKHeaders([
            (":method", "CONNECT"), (":protocol", "websocket"), (":scheme", "http"), (":path", "/chat"), (":authority", "a"),
        ])
        let request = try #require(HTTPRequest(headerBlock: block))
        #expect(request.method == .connect)
        #expect(request.extendedConnectProtocol == "websocket")
    }

    @Test(arguments: [
        ("no method", [(":scheme", "http"), (":path", "/")]),
        ("a method that is not a token", [(":method", "GE(T"), (":scheme", "http"), (":path", "/")]),
        ("a repeated pseudo-header field", [(":method", "GET"), (":path", "/"), (":path", "/other")]),
        ("an unknown pseudo-header field", [(":method", "GET"), (":path", "/"), (":status", "200")]),
        ("a pseudo-header field after a regular one", [(":method", "GET"), ("accept", "*/*"), (":path", "/")]),
        ("an illegal field name", [(":method", "GET"), (":path", "/"), ("bad name", "x")]),
    ])
    func aMalformedBlockIsNoRequest(_ what: String, _ fields: [(String, String)]) {
        #expect(HTTPRequest(headerBlock: HPACKHeaders(fields)) == nil, "\(what)")
    }
}
