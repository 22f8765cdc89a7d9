import Foundation

/// Element-wise kernels of the encoder: 8-lane Swift SIMD (portable, no intrinsics) in
/// optimised builds, and plain scalar loops over libm's `expf`/`erff` in debug builds, where
/// unspecialised generic SIMD code is about 100 times slower than scalar code (a debug
/// `swift test` would spend minutes in the encoder). Both variants are always compiled and
/// tested against each other; the unsuffixed entry points pick one.
enum VectorMath {
    typealias Vector = SIMD8<Float>
    static let width = Vector.scalarCount

    @inline(__always)
    static func load(_ pointer: UnsafePointer<Float>) -> Vector {
        UnsafeRawPointer(pointer).loadUnaligned(as: Vector.self)
    }

    @inline(__always)
    static func store(_ vector: Vector, _ pointer: UnsafeMutablePointer<Float>) {
        UnsafeMutableRawPointer(pointer).storeBytes(of: vector, as: Vector.self)
    }

    /// Lane-wise clamp. (`SIMD.clamped` is not inlined and costs ten times more.)
    @inline(__always)
    static func clamp(_ x: Vector, _ low: Float, _ high: Float) -> Vector {
        var y = x.replacing(with: low, where: x .< low)
        y.replace(with: high, where: y .> high)
        return y
    }

    /// e^x, lane-wise: Cody–Waite range reduction and a degree-5 polynomial (Cephes `expf`,
    /// about 1 ulp) for x in [-87.3, 88.4]; inputs are clamped to that range.
    @inline(__always)
    static func exp(_ input: Vector) -> Vector {
        let x = clamp(input, -87.33654, 88.37626)
        // n = round(x / ln 2) via the 1.5·2^23 trick; its low mantissa bits hold n.
        let shifter = Vector(repeating: 12_582_912)
        let shifted = x * 1.442_695_04 + shifter
        let n = shifted - shifter
        var r = x - n * 0.693_359_375
        r = r - n * -2.121_944_4e-4
        var p = Vector(repeating: 1.987_569_15e-4)
        p = p * r + 1.398_199_95e-3
        p = p * r + 8.333_451_9e-3
        p = p * r + 4.166_579_59e-2
        p = p * r + 1.666_666_55e-1
        p = p * r + 5.000_000_12e-1
        let polynomial = p * (r * r) + r + 1
        let exponent = unsafeBitCast(shifted, to: SIMD8<Int32>.self) &- 0x4B40_0000
        let scale = unsafeBitCast((exponent &+ 127) &<< 23, to: Vector.self)
        return polynomial * scale
    }

    /// erf(x), lane-wise: the rational approximation of Eigen/XLA (`generic_fast_erf_float`),
    /// absolute error below 4e-7 over all inputs.
    @inline(__always)
    static func erf(_ input: Vector) -> Vector {
        let x = clamp(input, -4, 4)
        let x2 = x * x
        var p = Vector(repeating: -2.726_142_258_013_06e-10)
        p = p * x2 + 2.770_681_424_959_02e-08
        p = p * x2 + -2.101_024_020_825_08e-06
        p = p * x2 + -5.692_506_394_623_46e-05
        p = p * x2 + -7.349_906_303_268_55e-04
        p = p * x2 + -2.954_599_808_540_25e-03
        p = p * x2 + -1.609_603_332_624_15e-02
        p = p * x
        var q = Vector(repeating: -1.456_607_184_649_96e-05)
        q = q * x2 + -2.133_740_552_789_05e-04
        q = q * x2 + -1.682_826_974_382_03e-03
        q = q * x2 + -7.373_329_167_204_68e-03
        q = q * x2 + -1.426_473_905_141_89e-02
        return p / q
    }

    /// Exact GELU (the erf form BERT uses, not the tanh approximation): x·Φ(x).
    @inline(__always)
    static func gelu(_ x: Vector) -> Vector {
        x * 0.5 * (erf(x * 0.707_106_781_186_547_5) + 1)
    }

    /// row[i] = gelu(row[i] + bias[i]) for i < count.
    static func addBiasGELUVectorized(_ row: UnsafeMutablePointer<Float>, bias: UnsafePointer<Float>, count: Int) {
        var i = 0
        while i + width <= count {
            store(gelu(load(row + i) + load(bias + i)), row + i)
            i += width
        }
        if i < count {
            var tail = Vector(repeating: 0)
            for lane in 0..<count - i { tail[lane] = row[i + lane] + bias[i + lane] }
            let result = gelu(tail)
            for lane in 0..<count - i { row[i + lane] = result[lane] }
        }
    }

    /// row[i] += bias[i] for i < count.
    static func addBiasVectorized(_ row: UnsafeMutablePointer<Float>, bias: UnsafePointer<Float>, count: Int) {
        var i = 0
        while i + width <= count {
            store(load(row + i) + load(bias + i), row + i)
            i += width
        }
        while i < count {
            row[i] += bias[i]
            i += 1
        }
    }

    /// output = LayerNorm(input + bias + residual) · gamma + beta over `count` entries.
    /// `output` may be `residual`.
    static func addBiasResidualLayerNormVectorized(
        input: UnsafePointer<Float>, bias: UnsafePointer<Float>?, residual: UnsafePointer<Float>?,
        output: UnsafeMutablePointer<Float>, gamma: UnsafePointer<Float>, beta: UnsafePointer<Float>,
        count: Int, epsilon: Float
    ) {
        precondition(count % width == 0, "layer width must be a multiple of \(width)")
        var sum = Vector(repeating: 0)
        var i = 0
        while i < count {
            var v = load(input + i)
            if let bias { v += load(bias + i) }
            if let residual { v += load(residual + i) }
            store(v, output + i)
            sum += v
            i += width
        }
        let mean = sum.sum() / Float(count)
        var squares = Vector(repeating: 0)
        i = 0
        while i < count {
            let d = load(output + i) - mean
            squares += d * d
            i += width
        }
        let variance = squares.sum() / Float(count)
        let inverse = 1 / (variance + epsilon).squareRoot()
        i = 0
        while i < count {
            let normalized = (load(output + i) - mean) * inverse
            store(normalized * load(gamma + i) + load(beta + i), output + i)
            i += width
        }
    }

    /// In-place softmax of `count` entries.
    static func softmaxVectorized(_ row: UnsafeMutablePointer<Float>, count: Int) {
        var maximum = -Float.infinity
        var i = 0
        var maxima = Vector(repeating: -Float.infinity)
        while i + width <= count {
            let v = load(row + i)
            maxima.replace(with: v, where: v .> maxima)
            i += width
        }
        for lane in 0..<width { maximum = max(maximum, maxima[lane]) }
        while i < count {
            maximum = max(maximum, row[i])
            i += 1
        }
        var sum: Float = 0
        i = 0
        var partial = Vector(repeating: 0)
        while i + width <= count {
            let e = exp(load(row + i) - maximum)
            store(e, row + i)
            partial += e
            i += width
        }
        sum = partial.sum()
        if i < count {
            var tail = Vector(repeating: -Float.infinity)
            for lane in 0..<count - i { tail[lane] = row[i + lane] - maximum }
            let e = exp(tail)
            for lane in 0..<count - i {
                row[i + lane] = e[lane]
                sum += e[lane]
            }
        }
        let inverse = 1 / sum
        i = 0
        while i + width <= count {
            store(load(row + i) * inverse, row + i)
            i += width
        }
        while i < count {
            row[i] *= inverse
            i += 1
        }
    }

    // MARK: Entry points

    @inline(__always)
    static func addBiasGELU(_ row: UnsafeMutablePointer<Float>, bias: UnsafePointer<Float>, count: Int) {
        #if DEBUG
        addBiasGELUScalar(row, bias: bias, count: count)
        #else
        addBiasGELUVectorized(row, bias: bias, count: count)
        #endif
    }

    @inline(__always)
    static func addBias(_ row: UnsafeMutablePointer<Float>, bias: UnsafePointer<Float>, count: Int) {
        #if DEBUG
        addBiasScalar(row, bias: bias, count: count)
        #else
        addBiasVectorized(row, bias: bias, count: count)
        #endif
    }

    @inline(__always)
    static func addBiasResidualLayerNorm(
        input: UnsafePointer<Float>, bias: UnsafePointer<Float>?, residual: UnsafePointer<Float>?,
        output: UnsafeMutablePointer<Float>, gamma: UnsafePointer<Float>, beta: UnsafePointer<Float>,
        count: Int, epsilon: Float
    ) {
        #if DEBUG
        addBiasResidualLayerNormScalar(
            input: input, bias: bias, residual: residual, output: output,
            gamma: gamma, beta: beta, count: count, epsilon: epsilon)
        #else
        addBiasResidualLayerNormVectorized(
            input: input, bias: bias, residual: residual, output: output,
            gamma: gamma, beta: beta, count: count, epsilon: epsilon)
        #endif
    }

    @inline(__always)
    static func softmax(_ row: UnsafeMutablePointer<Float>, count: Int) {
        #if DEBUG
        softmaxScalar(row, count: count)
        #else
        softmaxVectorized(row, count: count)
        #endif
    }

    // MARK: Scalar variants (debug builds; written as plain while loops, which -Onone handles best)

    static func addBiasGELUScalar(_ row: UnsafeMutablePointer<Float>, bias: UnsafePointer<Float>, count: Int) {
        var i = 0
        while i < count {
            let x = row[i] + bias[i]
            row[i] = 0.5 * x * (1 + Foundation.erf(x * 0.707_106_781_186_547_5))
            i += 1
        }
    }

    static func addBiasScalar(_ row: UnsafeMutablePointer<Float>, bias: UnsafePointer<Float>, count: Int) {
        var i = 0
        while i < count {
            row[i] += bias[i]
            i += 1
        }
    }

    static func addBiasResidualLayerNormScalar(
        input: UnsafePointer<Float>, bias: UnsafePointer<Float>?, residual: UnsafePointer<Float>?,
        output: UnsafeMutablePointer<Float>, gamma: UnsafePointer<Float>, beta: UnsafePointer<Float>,
        count: Int, epsilon: Float
    ) {
        var sum: Float = 0
        var i = 0
        while i < count {
            var v = input[i]
            if let bias { v += bias[i] }
            if let residual { v += residual[i] }
            output[i] = v
            sum += v
            i += 1
        }
        let mean = sum / Float(count)
        var squares: Float = 0
        i = 0
        while i < count {
            let d = output[i] - mean
            squares += d * d
            i += 1
        }
        let inverse = 1 / (squares / Float(count) + epsilon).squareRoot()
        i = 0
        while i < count {
            output[i] = (output[i] - mean) * inverse * gamma[i] + beta[i]
            i += 1
        }
    }

    static func softmaxScalar(_ row: UnsafeMutablePointer<Float>, count: Int) {
        var maximum = -Float.infinity
        var i = 0
        while i < count {
            if row[i] > maximum { maximum = row[i] }
            i += 1
        }
        var sum: Float = 0
        i = 0
        while i < count {
            let e = Foundation.exp(row[i] - maximum)
            row[i] = e
            sum += e
            i += 1
        }
        let inverse = 1 / sum
        i = 0
        while i < count {
            row[i] *= inverse
            i += 1
        }
    }
}
