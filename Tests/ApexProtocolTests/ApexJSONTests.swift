import Foundation
import Testing

@testable import ApexProtocol

@Suite struct ApexJSONTests {
    @Test func formatsUTCWithMilliseconds() {
        #expect(ApexJSON.formatDate(exampleDate) == "2026-11-21T10:00:00.123Z")
        #expect(ApexJSON.formatDate(Date(timeIntervalSince1970: 0)) == "1970-01-01T00:00:00.000Z")
        #expect(ApexJSON.formatDate(Date(timeIntervalSince1970: -0.001)) == "1969-12-31T23:59:59.999Z")
        #expect(ApexJSON.formatDate(Date(timeIntervalSince1970: 1_709_208_000)) == "2024-02-29T12:00:00.000Z")
    }

    @Test func truncatesBelowTheMillisecond() {
        #expect(ApexJSON.formatDate(Date(timeIntervalSince1970: 1_763_719_200.1239)) == "2025-11-21T10:00:00.123Z")
        #expect(ApexJSON.formatDate(Date(timeIntervalSince1970: 1_763_719_200.9999)) == "2025-11-21T10:00:00.999Z")
    }

    @Test func keepsMillisecondsThroughBinaryNoise() {
        for millisecond in 0..<1000 {
            let text = "2026-11-21T10:00:00.\(String(format: "%03d", millisecond))Z"
            #expect(ApexJSON.formatDate(ApexJSON.parseDate(text)!) == text)
        }
    }

    @Test func agreesWithFoundationOverFiveCenturies() {
        var seed: UInt64 = 42
        let style = Date.ISO8601FormatStyle()
        for _ in 0..<2_000 {
            seed = seed &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            let seconds = Double(Int64(seed >> 20) % 15_778_800_000) - 2_208_988_800  // 1900…2400
            let date = Date(timeIntervalSince1970: seconds)
            let ours = ApexJSON.formatDate(date)
            #expect(String(ours.prefix(19)) + "Z" == style.format(date))
            #expect(ApexJSON.parseDate(ours) == date)
        }
    }

    @Test(arguments: [
        ("2026-11-21T10:00:00Z", 0.0),
        ("2026-11-21T10:00:00.123Z", 0.123),
        ("2026-11-21T10:00:00.5Z", 0.5),
        ("2026-11-21T10:00:00.123456789Z", 0.123456789),
        ("2026-11-21T10:00:00.1234567891234Z", 0.123456789),
        ("2026-11-21T12:00:00+02:00", 0.0),
        ("2026-11-21T04:30:00.123-05:30", 0.123),
        ("2026-11-21T10:00:00-00:00", 0.0),
        ("2026-11-21t10:00:00z", 0.0),
        ("2026-11-21 10:00:00Z", 0.0),
    ])
    func parsesRFC3339Variants(text: String, fraction: Double) throws {
        let parsed = try #require(ApexJSON.parseDate(text))
        let expected = ApexJSON.parseDate("2026-11-21T10:00:00Z")!.addingTimeInterval(fraction)
        #expect(abs(parsed.timeIntervalSince(expected)) < 0.000_001)
    }

    @Test(arguments: [
        "", "2026-11-21", "2026-11-21T10:00:00", "2026-11-21T10:00Z", "2026-02-30T00:00:00Z",
        "2025-02-29T00:00:00Z", "2026-13-01T00:00:00Z", "2026-00-10T00:00:00Z", "2026-11-21T24:00:00Z",
        "2026-11-21T10:60:00Z", "2026-11-21T10:00:00.Z", "2026-11-21T10:00:00+0200", "2026-11-21T10:00:00+24:00",
        "2026-11-21T10:00:00Z ", " 2026-11-21T10:00:00Z", "2026-11-21X10:00:00Z", "２026-11-21T10:00:00Z",
        "1763719200",
    ])
    func rejectsWhatIsNotRFC3339(text: String) {
        #expect(ApexJSON.parseDate(text) == nil)
    }

    @Test func acceptsLeapDayAndLeapSecond() {
        #expect(ApexJSON.parseDate("2024-02-29T00:00:00Z") != nil)
        #expect(ApexJSON.parseDate("2000-02-29T00:00:00Z") != nil)
        #expect(ApexJSON.parseDate("1900-02-29T00:00:00Z") == nil)
        #expect(ApexJSON.parseDate("2016-12-31T23:59:60Z") == ApexJSON.parseDate("2017-01-01T00:00:00Z"))
    }

    @Test func decoderReportsBadDatesOnTheirField() {
        let error = Wire.decodingFieldError(
            Message.self, #"{"id":"m","chat_id":"c","role":"user","content":"x","created_at":"yesterday","metadata":{}}"#)
        #expect(error == FieldError(field: "created_at", message: "must be an RFC 3339 timestamp such as 2026-11-21T10:00:00.123Z"))
    }

    @Test func doesNotEscapeSlashes() throws {
        let text = try Wire.text(["url": JSONValue.string("https://example.com/a/b")])
        #expect(text == #"{"url":"https://example.com/a/b"}"#)
    }

    @Test func leavesUserKeysAlone() throws {
        let document = Document(
            id: "d", filename: "a.md", docType: .markdown, fileHash: "00", totalChunks: 1, indexedAt: exampleDate,
            metadata: ["camelCase": 1, "snake_case": 2, "Kebab-Key": 3]
        )
        let metadata = try Wire.json(document)["metadata"]
        #expect(metadata == ["camelCase": 1, "snake_case": 2, "Kebab-Key": 3])
        #expect(try Wire.text(document).contains(#""indexed_at":"2026-11-21T10:00:00.123Z""#))
    }
}
