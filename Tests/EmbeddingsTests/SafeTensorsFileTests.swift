import Foundation
import Testing

@testable import Embeddings

@Suite("safetensors reader")
struct SafeTensorsFileTests {
    /// Builds a safetensors file from a JSON header and raw data.
    func file(header: String, data: [UInt8]) -> Data {
        var bytes = [UInt8]()
        let headerBytes = Array(header.utf8)
        withUnsafeBytes(of: UInt64(headerBytes.count).littleEndian) { bytes += $0 }
        return Data(bytes + headerBytes + data)
    }

    func floatBytes(_ values: [Float]) -> [UInt8] {
        values.flatMap { value in withUnsafeBytes(of: value.bitPattern.littleEndian) { Array($0) } }
    }

    @Test("reads F32, F16 and BF16 tensors with their shapes")
    func readsTensors() throws {
        let f32 = floatBytes([1, -2.5, 3, 4.25, 0, 1e-3])
        let f16: [UInt8] = [0x00, 0x3C, 0x00, 0xC1]  // 1.0, -2.5
        let bf16: [UInt8] = [0x80, 0x3F, 0x40, 0xC0]  // 1.0, -3.0
        let header =
            #"{"__metadata__":{"format":"pt"},"a":{"dtype":"F32","shape":[2,3],"data_offsets":[0,24]},"#
            + #""h":{"dtype":"F16","shape":[2],"data_offsets":[24,28]},"b":{"dtype":"BF16","shape":[2],"data_offsets":[28,32]}}"#
        let parsed = try SafeTensorsFile(data: file(header: header, data: f32 + f16 + bf16))
        #expect(parsed.metadata == ["format": "pt"])
        #expect(parsed.tensors["a"]?.shape == [2, 3])
        #expect(try parsed.floats("a", shape: [2, 3]) == [1, -2.5, 3, 4.25, 0, 1e-3])
        #expect(try parsed.floats("h") == [1, -2.5])
        #expect(try parsed.floats("b") == [1, -3])
        #expect(throws: SafeTensorsFile.FormatError.self) { try parsed.floats("a", shape: [3, 2]) }
        #expect(throws: SafeTensorsFile.FormatError.self) { try parsed.floats("missing") }
    }

    @Test("rejects truncated data, inconsistent sizes and broken headers")
    func rejectsDamage() {
        let header = #"{"a":{"dtype":"F32","shape":[4],"data_offsets":[0,16]}}"#
        #expect(throws: SafeTensorsFile.FormatError.self) { try SafeTensorsFile(data: file(header: header, data: [0, 0, 0, 0])) }
        let wrongSize = #"{"a":{"dtype":"F32","shape":[3],"data_offsets":[0,16]}}"#
        #expect(throws: SafeTensorsFile.FormatError.self) {
            try SafeTensorsFile(data: file(header: wrongSize, data: Array(repeating: 0, count: 16)))
        }
        #expect(throws: SafeTensorsFile.FormatError.self) { try SafeTensorsFile(data: file(header: "{not json", data: [])) }
        #expect(throws: SafeTensorsFile.FormatError.self) { try SafeTensorsFile(data: Data([1, 2, 3])) }
        var huge = Data(count: 16)
        huge[7] = 0x7F
        #expect(throws: SafeTensorsFile.FormatError.self) { try SafeTensorsFile(data: huge) }
    }

    @Test("half-precision conversion covers subnormals and infinities")
    func halfConversion() {
        #expect(SafeTensorsFile.halfToFloat(0x0001) == 0x1p-24)
        #expect(SafeTensorsFile.halfToFloat(0x7BFF) == 65504)
        #expect(SafeTensorsFile.halfToFloat(0xFC00) == -.infinity)
        #expect(SafeTensorsFile.halfToFloat(0x7E00).isNaN)
    }
}
