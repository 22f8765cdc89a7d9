/// The single forward pass behind `HTMLTextExtractor`, over the document's UTF-8 bytes.
///
/// Everything HTML gives meaning to is ASCII, so bytes at or above 0x80 (parts of multi-byte
/// characters) are copied through untouched and the output stays valid UTF-8. Every loop only
/// moves forward, and each byte is looked at a bounded number of times, so the cost is linear
/// in the input whatever it contains.
struct HTMLTextScanner {
    /// How strongly the text is separated at this point; the strongest request wins and is
    /// written only once text follows, which collapses whitespace and drops it at both ends.
    private enum Separation: UInt8 {
        case none = 0, space, line, paragraph
    }

    private static let separationByElement: [String: Separation] = {
        var table: [String: Separation] = [:]
        for name in [
            "address", "article", "aside", "blockquote", "body", "center", "details", "dialog",
            "dir", "div", "dl", "fieldset", "figure", "footer", "form", "h1", "h2", "h3", "h4",
            "h5", "h6", "head", "header", "hgroup", "hr", "html", "listing", "main", "menu", "nav",
            "ol", "p", "pre", "search", "section", "table", "title", "ul",
        ] { table[name] = .paragraph }
        for name in [
            "br", "caption", "dd", "dt", "figcaption", "legend", "li", "optgroup", "option",
            "summary", "tbody", "tfoot", "thead", "tr",
        ] { table[name] = .line }
        for name in ["td", "th"] { table[name] = .space }
        return table
    }()

    /// Elements whose content is never shown as text.
    private static let hiddenRawText: Set<String> = [
        "script", "style", "noscript", "iframe", "noembed", "noframes",
    ]

    /// Elements whose content is plain text (no tags inside) but is shown.
    private static let shownRawText: Set<String> = ["title", "textarea"]

    private let bytes: UnsafeBufferPointer<UInt8>
    private var output: [UInt8] = []
    private var separation = Separation.none
    private var preformattedDepth = 0
    private var templateDepth = 0
    /// Offsets of the last `"` and `'`, so an unclosed attribute quote is known at once.
    private let lastDoubleQuote: Int
    private let lastSingleQuote: Int
    private let separationByElement = HTMLTextScanner.separationByElement

    init(_ bytes: UnsafeBufferPointer<UInt8>) {
        self.bytes = bytes
        lastDoubleQuote = bytes.lastIndex(of: UInt8(ascii: "\"")) ?? -1
        lastSingleQuote = bytes.lastIndex(of: UInt8(ascii: "'")) ?? -1
        output.reserveCapacity(bytes.count / 2)
    }

    mutating func run() -> String {
        var position = 0
        while position < bytes.count {
            position = bytes[position] == UInt8(ascii: "<") ? markup(at: position) : text(at: position)
        }
        return String(decoding: output, as: UTF8.self)
    }

    // MARK: Text

    /// Handles the text character or character reference at `position`; returns where the next
    /// thing starts.
    private mutating func text(at position: Int) -> Int {
        let byte = bytes[position]
        switch byte {
        case UInt8(ascii: "&"):
            return reference(at: position)
        case 0x20, 0x09, 0x0C, 0x0D:
            separate(.space)
            return position + 1
        case 0x0A:
            newline()
            return position + 1
        case 0x00:
            return position + 1
        case 0xC2 where position + 1 < bytes.count && bytes[position + 1] == 0xA0:
            separate(.space)  // a literal no-break space collapses like any space
            return position + 2
        default:
            write(byte)
            return position + 1
        }
    }

    /// Decodes `&…` at `position`, or writes the `&` as text when it starts no known reference.
    private mutating func reference(at position: Int) -> Int {
        let count = bytes.count
        var cursor = position + 1
        if cursor < count, bytes[cursor] == UInt8(ascii: "#") {
            cursor += 1
            var radix: UInt32 = 10
            if cursor < count, bytes[cursor] | 0x20 == UInt8(ascii: "x") {
                radix = 16
                cursor += 1
            }
            var value: UInt32 = 0
            var digits = 0
            while cursor < count, let digit = Self.digit(bytes[cursor], radix: radix) {
                if value <= 0x10FFFF { value = value * radix + digit }  // saturate, never overflow
                digits += 1
                cursor += 1
            }
            guard digits > 0 else {
                write(UInt8(ascii: "&"))
                return position + 1
            }
            if cursor < count, bytes[cursor] == UInt8(ascii: ";") { cursor += 1 }
            write(scalar: HTMLCharacterReference.scalar(forNumericReference: value))
            return cursor
        }

        let nameStart = cursor
        while cursor < count, cursor - nameStart <= 32, Self.isASCIIAlphanumeric(bytes[cursor]) {
            cursor += 1
        }
        if cursor > nameStart, cursor - nameStart <= 32 {
            let name = String(decoding: UnsafeBufferPointer(rebasing: bytes[nameStart..<cursor]), as: UTF8.self)
            if cursor < count, bytes[cursor] == UInt8(ascii: ";") {
                if let scalar = HTMLCharacterReference.named[name] {
                    write(scalar: scalar)
                    return cursor + 1
                }
            } else if HTMLCharacterReference.recognisedWithoutSemicolon.contains(name),
                let scalar = HTMLCharacterReference.named[name]
            {
                write(scalar: scalar)
                return cursor
            }
        }
        write(UInt8(ascii: "&"))
        return position + 1
    }

    // MARK: Markup

    /// Handles what starts with `<` at `position`: a tag, comment, doctype — or a plain `<`.
    private mutating func markup(at position: Int) -> Int {
        let count = bytes.count
        guard position + 1 < count else {
            write(UInt8(ascii: "<"))
            return position + 1
        }
        let next = bytes[position + 1]
        switch next {
        case UInt8(ascii: "!"):
            let dash = UInt8(ascii: "-")
            if position + 3 < count, bytes[position + 2] == dash, bytes[position + 3] == dash {
                return endOfComment(from: position + 4)
            }
            return after(UInt8(ascii: ">"), from: position + 2)  // <!DOCTYPE …>, <![CDATA[ … ]]>
        case UInt8(ascii: "?"):
            return after(UInt8(ascii: ">"), from: position + 2)
        case UInt8(ascii: "/"):
            guard position + 2 < count else {
                write(UInt8(ascii: "<"))
                return position + 1
            }
            let first = bytes[position + 2]
            if Self.isASCIILetter(first) {
                let (name, afterName) = tagName(from: position + 2)
                guard let end = endOfTag(from: afterName) else { return count }
                closeElement(name)
                return end
            }
            if first == UInt8(ascii: ">") { return position + 3 }  // "</>" means nothing
            return after(UInt8(ascii: ">"), from: position + 2)  // "</ 3>": a bogus comment
        default:
            guard Self.isASCIILetter(next) else {
                write(UInt8(ascii: "<"))  // "a < b", "<3"
                return position + 1
            }
            let (name, afterName) = tagName(from: position + 1)
            // A tag the document never closes is dropped, as a browser drops it.
            guard let end = endOfTag(from: afterName) else { return count }
            return openElement(name, contentStart: end)
        }
    }

    private mutating func openElement(_ name: String, contentStart: Int) -> Int {
        if Self.hiddenRawText.contains(name) {
            return endTagOfRawText(name, from: contentStart)
        }
        if Self.shownRawText.contains(name) {
            separate(name == "title" ? .paragraph : .line)
            let end = endTagOfRawText(name, from: contentStart)
            var position = contentStart
            while position < end {
                position = text(at: position)  // references decoded, no tags inside
            }
            separate(name == "title" ? .paragraph : .line)
            return end
        }
        switch name {
        case "template": templateDepth += 1
        case "pre", "listing": preformattedDepth += 1
        default: break
        }
        if let wanted = separationByElement[name] { separate(wanted) }
        return contentStart
    }

    private mutating func closeElement(_ name: String) {
        switch name {
        case "template": templateDepth = max(0, templateDepth - 1)
        case "pre", "listing": preformattedDepth = max(0, preformattedDepth - 1)
        default: break
        }
        if let wanted = separationByElement[name] { separate(wanted) }
    }

    /// The lower-cased tag name starting at `start`, and where it ends.
    private func tagName(from start: Int) -> (String, Int) {
        var end = start
        var name: [UInt8] = []
        while end < bytes.count {
            let byte = bytes[end]
            if Self.isSpace(byte) || byte == UInt8(ascii: "/") || byte == UInt8(ascii: ">") { break }
            name.append(byte >= 0x41 && byte <= 0x5A ? byte | 0x20 : byte)
            end += 1
        }
        return (String(decoding: name, as: UTF8.self), end)
    }

    /// Skips a tag's attributes — a `>` inside a quoted value does not end the tag — and returns
    /// the offset just past its `>`, or nil when the document ends first.
    private func endOfTag(from start: Int) -> Int? {
        let count = bytes.count
        var position = start
        while true {
            while position < count, Self.isSpace(bytes[position]) || bytes[position] == UInt8(ascii: "/") {
                position += 1
            }
            guard position < count else { return nil }
            if bytes[position] == UInt8(ascii: ">") { return position + 1 }
            // The attribute's name: anything up to space, "/", ">" or "=" (a leading "=" included).
            position += 1
            while position < count {
                let byte = bytes[position]
                if Self.isSpace(byte) || byte == UInt8(ascii: "/") || byte == UInt8(ascii: ">")
                    || byte == UInt8(ascii: "=")
                {
                    break
                }
                position += 1
            }
            while position < count, Self.isSpace(bytes[position]) { position += 1 }
            guard position < count, bytes[position] == UInt8(ascii: "=") else { continue }
            position += 1
            while position < count, Self.isSpace(bytes[position]) { position += 1 }
            guard position < count else { return nil }
            let quote = bytes[position]
            if quote == UInt8(ascii: "\"") || quote == UInt8(ascii: "'") {
                let lastQuote = quote == UInt8(ascii: "\"") ? lastDoubleQuote : lastSingleQuote
                if lastQuote > position {
                    position += 1
                    while bytes[position] != quote { position += 1 }
                    position += 1
                } else {
                    // The quote is never closed. A browser would swallow the rest of the document;
                    // end the tag at the next ">" instead and keep the text after it.
                    return firstIndex(of: UInt8(ascii: ">"), from: position + 1).map { $0 + 1 }
                }
            } else {
                while position < count, !Self.isSpace(bytes[position]), bytes[position] != UInt8(ascii: ">") {
                    position += 1
                }
            }
        }
    }

    /// The offset of the `</name` that ends a raw-text element (its `<`), or the end of the
    /// document. Only that exact end tag ends it, so `"</div>"` inside a script string does not.
    private func endTagOfRawText(_ name: String, from start: Int) -> Int {
        let count = bytes.count
        let nameBytes = Array(name.utf8)
        var position = start
        while position + 1 < count {
            if bytes[position] == UInt8(ascii: "<"), bytes[position + 1] == UInt8(ascii: "/") {
                var matched = true
                for (offset, expected) in nameBytes.enumerated() {
                    let index = position + 2 + offset
                    if index >= count || bytes[index] | 0x20 != expected {
                        matched = false
                        break
                    }
                }
                let delimiter = position + 2 + nameBytes.count
                if matched,
                    delimiter >= count || Self.isSpace(bytes[delimiter])
                        || bytes[delimiter] == UInt8(ascii: "/") || bytes[delimiter] == UInt8(ascii: ">")
                {
                    return position
                }
            }
            position += 1
        }
        return count
    }

    /// Just past the comment whose `<!--` ends before `start`; the end of the document when the
    /// comment is never closed (as in a browser).
    private func endOfComment(from start: Int) -> Int {
        let count = bytes.count
        let dash = UInt8(ascii: "-"), close = UInt8(ascii: ">")
        if start < count, bytes[start] == close { return start + 1 }  // <!-->
        if start + 1 < count, bytes[start] == dash, bytes[start + 1] == close { return start + 2 }  // <!--->
        var position = start
        while position + 2 < count {
            if bytes[position] == dash, bytes[position + 1] == dash {
                if bytes[position + 2] == close { return position + 3 }
                if bytes[position + 2] == UInt8(ascii: "!"), position + 3 < count, bytes[position + 3] == close {
                    return position + 4
                }
            }
            position += 1
        }
        return count
    }

    /// Just past the next `byte` at or after `start`, or the end of the document.
    private func after(_ byte: UInt8, from start: Int) -> Int {
        firstIndex(of: byte, from: start).map { $0 + 1 } ?? bytes.count
    }

    private func firstIndex(of byte: UInt8, from start: Int) -> Int? {
        var position = start
        while position < bytes.count {
            if bytes[position] == byte { return position }
            position += 1
        }
        return nil
    }

    // MARK: Output

    private mutating func separate(_ wanted: Separation) {
        guard templateDepth == 0 else { return }
        if wanted.rawValue > separation.rawValue { separation = wanted }
    }

    /// A newline in the text: a space, except inside `<pre>`, where it is a line break and a
    /// blank line a paragraph break.
    private mutating func newline() {
        guard preformattedDepth > 0 else { return separate(.space) }
        separate(separation == .line ? .paragraph : .line)
    }

    private mutating func write(_ byte: UInt8) {
        guard templateDepth == 0 else { return }
        if separation != .none {
            if !output.isEmpty {
                switch separation {
                case .none: break
                case .space: output.append(0x20)
                case .line: output.append(0x0A)
                case .paragraph: output.append(contentsOf: [0x0A, 0x0A])
                }
            }
            separation = .none
        }
        output.append(byte)
    }

    /// Writes a decoded character; decoded whitespace (and no-break space) collapses like typed.
    private mutating func write(scalar: UInt32) {
        switch scalar {
        case 0x0A:
            newline()
        case 0x20, 0x09, 0x0C, 0x0D, 0xA0:
            separate(.space)
        default:
            guard let unicode = Unicode.Scalar(scalar) else { return write(scalar: 0xFFFD) }
            for byte in UTF8.encode(unicode)! { write(byte) }
        }
    }

    // MARK: Byte classes

    private static func isSpace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0C || byte == 0x0D
    }

    private static func isASCIILetter(_ byte: UInt8) -> Bool {
        (byte | 0x20) >= UInt8(ascii: "a") && (byte | 0x20) <= UInt8(ascii: "z")
    }

    private static func isASCIIAlphanumeric(_ byte: UInt8) -> Bool {
        isASCIILetter(byte) || (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9"))
    }

    private static func digit(_ byte: UInt8, radix: UInt32) -> UInt32? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return UInt32(byte - UInt8(ascii: "0"))
        case UInt8(ascii: "a")...UInt8(ascii: "f") where radix == 16: return UInt32(byte - UInt8(ascii: "a") + 10)
        case UInt8(ascii: "A")...UInt8(ascii: "F") where radix == 16: return UInt32(byte - UInt8(ascii: "A") + 10)
        default: return nil
        }
    }
}
