/// How a document's content is read before chunking: HTML is reduced to its text first.
public enum DocumentType: String, ContractEnum {
    case text
    case markdown
    case html

    /// The default when a request names no `doc_type`: `.md` → markdown, `.html`/`.htm` → html,
    /// anything else → text. The extension is compared case-insensitively (`README.MD` is
    /// markdown), since file names from desktops often arrive upper-cased.
    public init(filename: String) {
        guard let dot = filename.lastIndex(of: "."), !filename[filename.index(after: dot)...].contains("/") else {
            self = .text
            return
        }
        switch filename[filename.index(after: dot)...].lowercased() {
        case "md": self = .markdown
        case "html", "htm": self = .html
        default: self = .text
        }
    }
}
