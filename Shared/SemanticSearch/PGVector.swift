/// pgvector's text form of a vector (`[0.1,-2,3.5]`), bound as a parameter and cast with `::vector`.
///
/// The text form keeps the SQL readable and portable (AlloyDB, any pgvector version); parsing 384
/// floats costs the server microseconds.
public enum PGVector {
    public static func literal(_ vector: [Float]) -> String {
        var text = "["
        text.reserveCapacity(vector.count * 11 + 2)
        for (index, value) in vector.enumerated() {
            if index > 0 { text.append(",") }
            text.append(value.isFinite ? "\(value)" : "0")
        }
        text.append("]")
        return text
    }
}
