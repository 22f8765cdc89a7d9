import HTTPTypes
import NIOHPACK
import Testing

@testable import ServiceKit

/// `HTTPRequest(headerBlock:)`, how the HTTP/2 server reads a request's HEADERS frame, and the
/// whole of its check of one (RFC 9113 §8.2, §8.3; the servers' NIOHTTP2 handlers do not validate):
/// pseudo-header fields first, each at most once, none unknown, the required ones present, a
/// method that is a token; lowercase token names; no NUL, CR or LF in a value; no
/// connection-specific field.
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
        let request = try #require(HTTPRequest(headerBlock: block, supportsExtendedConnect: true))
        #expect(request.method == .connect)
        #expect(request.extendedConnectProtocol == "websocket")
        #expect(HTTPRequest(headerBlock: block) == nil, "a server that does not offer extended CONNECT refuses :protocol")
        let notConnect = HPACKHeaders([(":method", "GET"), (":protocol", "websocket"), (":scheme", "http"), (":path", "/chat")])
        #expect(HTTPRequest(headerBlock: notConnect, supportsExtendedConnect: true) == nil, ":protocol only with CONNECT")
    }

    @Test func aConnectRequestNamesOnlyItsAuthority() throws {
        let request = try #require(HTTPRequest(headerBlock: [":method": "CONNECT", ":authority": "db:5432"]))
        #expect(request.method == .connect)
        #expect(request.authority == "db:5432")
        #expect(HTTPRequest(headerBlock: [":method": "CONNECT", ":authority": "db:5432", ":path": "/"]) == nil)
        #expect(HTTPRequest(headerBlock: [":method": "CONNECT", ":scheme": "http"]) == nil)
    }

    @Test func whatTheRulesLeaveAlone() throws {
        let block = HPACKHeaders(
            Self.pseudo + [
                ("te", "trailers"), ("x-padded", "  spaced\tvalue "), ("x-obs-text", "caf\u{e9}"),
                ("x-tchar", "ok"), ("!#$%&'*+-.^_`|~09az", "all token characters"),
            ])
        let request = try #require(HTTPRequest(headerBlock: block))
        #expect(request.headerFields[HTTPField.Name("te")!] == "trailers")
        #expect(request.headerFields[HTTPField.Name("x-padded")!] == "spaced\tvalue", "legalized as HTTPField does: trimmed")
        #expect(request.headerFields[HTTPField.Name("x-obs-text")!] == "caf\u{e9}")
    }

    /// Each case: what is wrong, and the block's fields.
    static let malformedBlocks: [(String, [(String, String)])] = [
        ("no method", [(":scheme", "http"), (":path", "/")]),
        ("a method that is not a token", [(":method", "GE(T"), (":scheme", "http"), (":path", "/")]),
        ("a repeated pseudo-header field", [(":method", "GET"), (":scheme", "http"), (":path", "/"), (":path", "/other")]),
        ("an unknown pseudo-header field", [(":method", "GET"), (":scheme", "http"), (":path", "/"), (":status", "200")]),
        ("a pseudo-header field after a regular one", [(":method", "GET"), (":scheme", "http"), ("accept", "*/*"), (":path", "/")]),
        ("an illegal field name", [(":method", "GET"), (":scheme", "http"), (":path", "/"), ("bad name", "x")]),
        ("an uppercase field name", [(":method", "GET"), (":scheme", "http"), (":path", "/"), ("Accept", "*/*")]),
        ("an empty field name", [(":method", "GET"), (":scheme", "http"), (":path", "/"), ("", "x")]),
        ("an unknown pseudo-header name", [(":method", "GET"), (":scheme", "http"), (":path", "/"), (":Path", "/")]),
        ("CR in a value", [(":method", "GET"), (":scheme", "http"), (":path", "/"), ("x-a", "one\r\nx-b: two")]),
        ("LF in a value", [(":method", "GET"), (":scheme", "http"), (":path", "/"), ("x-a", "one\ntwo")]),
        ("NUL in a value", [(":method", "GET"), (":scheme", "http"), (":path", "/"), ("x-a", "one\u{0}")]),
        ("a space in :path", [(":method", "GET"), (":scheme", "http"), (":path", "/a HTTP/1.1")]),
        ("a control in :authority", [(":method", "GET"), (":scheme", "http"), (":path", "/"), (":authority", "a\u{7f}")]),
        ("no :scheme", [(":method", "GET"), (":path", "/")]),
        ("no :path", [(":method", "GET"), (":scheme", "http")]),
        ("an empty :path", [(":method", "GET"), (":scheme", "http"), (":path", "")]),
        ("connection", [(":method", "GET"), (":scheme", "http"), (":path", "/"), ("connection", "close")]),
        ("keep-alive", [(":method", "GET"), (":scheme", "http"), (":path", "/"), ("keep-alive", "5")]),
        ("proxy-connection", [(":method", "GET"), (":scheme", "http"), (":path", "/"), ("proxy-connection", "x")]),
        ("transfer-encoding", [(":method", "GET"), (":scheme", "http"), (":path", "/"), ("transfer-encoding", "chunked")]),
        ("upgrade", [(":method", "GET"), (":scheme", "http"), (":path", "/"), ("upgrade", "h2c")]),
        ("te other than trailers", [(":method", "GET"), (":scheme", "http"), (":path", "/"), ("te", "gzip")]),
    ]

    @Test(arguments: Self.malformedBlocks)
    func aMalformedBlockIsNoRequest(_ what: String, _ fields: [(String, String)]) {
        #expect(HTTPRequest(headerBlock: HPACKHeaders(fields)) == nil, "\(what)")
    }

    /// A forbidden byte is found wherever it is: the value check reads eight bytes at a time, then
    /// the rest one by one.
    @Test func aForbiddenByteIsFoundAtEveryPosition() {
        for forbidden: Character in ["\u{0}", "\n", "\r"] {
            for length in [1, 7, 8, 9, 16, 17, 40] {
                for position in 0..<length {
                    var bytes = Array(repeating: Character("a"), count: length)
                    bytes[position] = forbidden
                    #expect(!HTTP2FieldSyntax.isFieldValue(String(bytes)), "byte \(position) of \(length)")
                }
                #expect(HTTP2FieldSyntax.isFieldValue(String(repeating: "a", count: length)))
            }
        }
        // Bytes next to the forbidden ones, in every lane of a word.
        #expect(HTTP2FieldSyntax.isFieldValue(String(repeating: "\u{1}\u{9}\u{b}\u{c}\u{e}\u{ff} \u{7f}", count: 3)))
    }

    @Test func trailersAreRegularFieldsOnly() {
        #expect(HPACKHeaders([("x-checksum", "abc"), ("x-other", "1")]).isWellFormedTrailers)
        #expect(!HPACKHeaders([(":status", "200")]).isWellFormedTrailers)
        #expect(!HPACKHeaders([("X-Checksum", "abc")]).isWellFormedTrailers)
        #expect(!HPACKHeaders([("x-checksum", "a\rb")]).isWellFormedTrailers)
        #expect(!HPACKHeaders([("transfer-encoding", "chunked")]).isWellFormedTrailers)
    }
}
