import Foundation
import Testing
@testable import Embeddings

@Suite("vector kernels")
struct VectorMathTests {
    @Test("exp and erf agree with the C library")
    func accuracy() {
        var worstExp: Float = 0
        var worstErf: Float = 0
        var x: Float = -30
        while x < 30 {
            let lanes = VectorMath.Vector((0 ..< 8).map { x + Float($0) * 0.001 })
            let e = VectorMath.exp(lanes)
            let r = VectorMath.erf(lanes)
            for lane in 0 ..< 8 {
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

    @Test("softmax, GELU and LayerNorm")
    func kernels() {
        var row: [Float] = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]
        row.withUnsafeMutableBufferPointer { VectorMath.softmax($0.baseAddress!, count: 11) }
        let expected = (1 ... 11).map { Foundation.exp(Double($0 - 11)) }
        let total = expected.reduce(0, +)
        for (value, reference) in zip(row, expected) {
            #expect(abs(Double(value) - reference / total) < 1e-6)
        }
        let input: [Float] = [-3, -1, -0.5, 0, 0.5, 1, 3, 10, 0.1]
        var gelu = input
        let zeros = [Float](repeating: 0, count: input.count)
        gelu.withUnsafeMutableBufferPointer { VectorMath.addBiasGELU($0.baseAddress!, bias: zeros, count: input.count) }
        for (value, x) in zip(gelu, input) {
            let exact: Float = x * 0.5 * (1 + Foundation.erf(x / Float(2).squareRoot()))
            #expect(abs(value - exact) < 1e-6)
        }
        let values = (0 ..< 16).map { Float($0) }
        var output = [Float](repeating: 0, count: 16)
        let gamma = [Float](repeating: 2, count: 16)
        let beta = [Float](repeating: 1, count: 16)
        output.withUnsafeMutableBufferPointer { out in
            VectorMath.addBiasResidualLayerNorm(input: values, bias: nil, residual: nil, output: out.baseAddress!,
                                                gamma: gamma, beta: beta, count: 16, epsilon: 1e-12)
        }
        let mean = output.reduce(0, +) / 16
        #expect(abs(mean - 1) < 1e-5)
        #expect(abs(output[15] - (1 + 2 * 7.5 / Float(21.25).squareRoot())) < 1e-4)
    }
}
