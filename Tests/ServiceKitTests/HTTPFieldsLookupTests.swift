import HTTPTypes
import Testing

@testable import ServiceKit

/// `HTTPFields.value(of:)` gives exactly what the subscript gives, for the headers the server
/// reads on every request.
@Suite("Header lookup")
struct HTTPFieldsLookupTests {
    @Test func oneFieldNoneAndSeveralReadAsTheSubscriptReadsThem() throws {
        let requestID = try #require(HTTPField.Name("X-Request-ID"))
        var fields: HTTPFields = [.contentType: "application/json", requestID: "abc"]
        #expect(fields.value(of: .xRequestID) == "abc", "names match whatever their case")
        #expect(fields.value(of: .contentType) == "application/json")
        #expect(fields.value(of: .contentLength) == nil)
        // Two Content-Length fields must not come back as one of them: joined, they fail to parse.
        fields.append(HTTPField(name: .contentLength, value: "5"))
        fields.append(HTTPField(name: .contentLength, value: "7"))
        #expect(fields.value(of: .contentLength) == "5, 7")
        for name in [HTTPField.Name.contentType, .contentLength, .xRequestID, .traceParent] {
            #expect(fields.value(of: name) == fields[name])
        }
    }

    @Test func aPerRequestValueReplacesAnyOtherAndStaysOutOfTheHPACKTable() {
        var fields: HTTPFields = [.xRequestID: "from-the-handler", .contentType: "application/json"]
        fields.setUnindexed(.xRequestID, "r1")
        #expect(fields[values: .xRequestID] == ["r1"])
        #expect(fields.first { $0.name == .xRequestID }?.indexingStrategy == .avoid)
        #expect(fields.first { $0.name == .contentType }?.indexingStrategy == .automatic)
        fields.setUnindexed(.traceParent, "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01")
        #expect(fields.count == 3)
    }
}
