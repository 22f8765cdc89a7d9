/// Why a chunking configuration was refused, worded for the operator who set the variables.
///
/// The service reads `CHUNK_SIZE` and `CHUNK_OVERLAP` once at start; a bad value must stop it
/// with one line naming the variable rather than produce empty, endless or oversized chunks.
/// `variable` and `problem` map one to one onto ServiceKit's `ConfigurationError`.
public enum TextChunkerConfigurationError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The variable is set but is not a whole number.
    case notAnInteger(variable: String, value: String)
    /// `CHUNK_SIZE` is outside `TextChunker.minimumChunkSize ... TextChunker.maximumChunkSize`.
    case chunkSizeOutOfRange(chunkSize: Int)
    /// `CHUNK_OVERLAP` is negative or not smaller than `CHUNK_SIZE`.
    case overlapOutOfRange(overlap: Int, chunkSize: Int)

    /// The environment variable at fault.
    public var variable: String {
        switch self {
        case let .notAnInteger(variable, _): variable
        case .chunkSizeOutOfRange: "CHUNK_SIZE"
        case .overlapOutOfRange: "CHUNK_OVERLAP"
        }
    }

    /// What is wrong with it, as the rest of a sentence that starts with the variable's name.
    public var problem: String {
        switch self {
        case let .notAnInteger(_, value):
            "must be a whole number of characters (got \"\(value)\")"
        case let .chunkSizeOutOfRange(chunkSize):
            "must be from \(TextChunker.minimumChunkSize) to \(TextChunker.maximumChunkSize) characters"
                + " (got \(chunkSize))"
        case let .overlapOutOfRange(overlap, chunkSize):
            "must be at least 0 and less than CHUNK_SIZE, \(chunkSize) (got \(overlap))"
        }
    }

    public var description: String { "\(variable) \(problem)" }
}
