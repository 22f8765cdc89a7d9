import Foundation
import Testing

@testable import Embeddings

@Suite("vector kernels")
struct VectorMathTests {
    @Test("SIMD exp and erf agree with the C library")
    func accuracy() {
        var worstExp: Float = 0
        var worstErf: Float = 0
        var x: Float = -30
        while x < 30 {
            let lanes = VectorMath.Vector((0..<8).map { x + Float($0) * 0.001 })
            let e = VectorMath.exp(lanes)
            let r = VectorMath.erf(lanes)
            for lane in 0..<8 {
                let reference = Foundation.exp(lanes[lane])
                worstExp = max(worstExp, abs(e[lane] - reference) / reference)
                worstErf = max(worstErf, abs(r[lane] - Foundation.erf(lanes[lane])))
            }
            x += 0.0137
        }
        #expect(worstExp < 3e-7)
        #expect(worstErf < 5e-7)
        #expect(VectorMath.exp(VectorMath.Vector(repeating: -1000))[0] < 1e-37)
    }

    /// Runs `kernel` on a copy of `values` and returns the result.
    func apply(_ values: [Float], _ kernel: (UnsafeMutablePointer<Float>, Int) -> Void) -> [Float] {
        var copy = values
        copy.withUnsafeMutableBufferPointer { kernel($0.baseAddress!, $0.count) }
        return copy
    }

    func maxDifference(_ a: [Float], _ b: [Float]) -> Float {
        zip(a, b).map { abs($0 - $1) }.max() ?? 0
    }

    @Test("softmax: SIMD and scalar variants agree with the definition", arguments: [1, 7, 8, 11, 256])
    func softmax(count: Int) {
        let row = (0..<count).map { Float(($0 * 37) % 23) * 0.7 - 8 }
        let maximum = row.max()!
        let total = row.reduce(0.0) { $0 + Foundation.exp(Double($1 - maximum)) }
        let exact = row.map { Float(Foundation.exp(Double($0 - maximum)) / total) }
        #expect(maxDifference(apply(row) { VectorMath.softmaxVectorized($0, count: $1) }, exact) < 1e-6)
        #expect(maxDifference(apply(row) { VectorMath.softmaxScalar($0, count: $1) }, exact) < 1e-6)
    }

    @Test("exact-erf GELU with bias: SIMD and scalar variants", arguments: [9, 16, 1536])
    func gelu(count: Int) {
        let row = (0..<count).map { Float(($0 * 53) % 97) * 0.15 - 7 }
        let bias = (0..<count).map { Float($0 % 5) * 0.1 }
        let exact = zip(row, bias).map { value, b -> Float in
            let x = Double(value + b)
            return Float(0.5 * x * (1 + Foundation.erf(x / 2.squareRoot())))
        }
        #expect(maxDifference(apply(row) { VectorMath.addBiasGELUVectorized($0, bias: bias, count: $1) }, exact) < 2e-6)
        #expect(maxDifference(apply(row) { VectorMath.addBiasGELUScalar($0, bias: bias, count: $1) }, exact) < 2e-6)
        let plus = zip(row, bias).map { $0 + $1 }
        #expect(apply(row) { VectorMath.addBiasVectorized($0, bias: bias, count: $1) } == plus)
        #expect(apply(row) { VectorMath.addBiasScalar($0, bias: bias, count: $1) } == plus)
    }

    @Test("LayerNorm of input + bias + residual: SIMD and scalar variants")
    func layerNorm() {
        let count = 384
        let input = (0..<count).map { Float(($0 * 31) % 17) - 8 }
        let bias = (0..<count).map { Float($0 % 3) * 0.5 }
        let residual = (0..<count).map { Float($0 % 7) * 0.25 }
        let gamma = (0..<count).map { 1 + Float($0 % 4) * 0.1 }
        let beta = (0..<count).map { Float($0 % 2) * 0.3 }
        let sums = (0..<count).map { Double(input[$0] + bias[$0] + residual[$0]) }
        let mean = sums.reduce(0, +) / Double(count)
        let variance = sums.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(count)
        let exact = (0..<count).map { Float((sums[$0] - mean) / (variance + 1e-12).squareRoot()) * gamma[$0] + beta[$0] }
        for vectorized in [true, false] {
            var output = [Float](repeating: 0, count: count)
            output.withUnsafeMutableBufferPointer { out in
                if vectorized {
                    VectorMath.addBiasResidualLayerNormVectorized(
                        input: input, bias: bias, residual: residual, output: out.baseAddress!,
                        gamma: gamma, beta: beta, count: count, epsilon: 1e-12)
                } else {
                    VectorMath.addBiasResidualLayerNormScalar(
                        input: input, bias: bias, residual: residual, output: out.baseAddress!,
                        gamma: gamma, beta: beta, count: count, epsilon: 1e-12)
                }
            }
            #expect(maxDifference(output, exact) < 1e-5, "vectorized: \(vectorized)")
        }
    }
}
