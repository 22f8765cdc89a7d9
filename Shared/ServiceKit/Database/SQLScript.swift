import Foundation

/// Splits a SQL script into statements.
///
/// postgres-nio speaks only the extended query protocol, which runs one statement at a time, so a
/// migration file is split here. The splitter understands what can hide a `;`: single-quoted
/// strings (with `''`), double-quoted identifiers, dollar-quoted bodies (`$$` and `$tag$`),
/// `--` line comments and nested `/* */` block comments.
public enum SQLScript {
    public static func statements(in script: String) -> [String] {
        let chars = Array(script.unicodeScalars)
        var statements: [String] = []
        var current = String.UnicodeScalarView()
        var index = 0
        var hasContent = false

        func flush() {
            let text = String(current).trimmingCharacters(in: .whitespacesAndNewlines)
            if hasContent, !text.isEmpty { statements.append(text) }
            current = String.UnicodeScalarView()
            hasContent = false
        }

        while index < chars.count {
            let c = chars[index]
            let next: Unicode.Scalar? = index + 1 < chars.count ? chars[index + 1] : nil
            switch c {
            case "-" where next == "-":
                while index < chars.count, chars[index] != "\n" { index += 1 }
                continue
            case "/" where next == "*":
                var depth = 0
                while index < chars.count {
                    if chars[index] == "/", index + 1 < chars.count, chars[index + 1] == "*" {
                        depth += 1
                        index += 2
                    } else if chars[index] == "*", index + 1 < chars.count, chars[index + 1] == "/" {
                        depth -= 1
                        index += 2
                        if depth == 0 { break }
                    } else {
                        index += 1
                    }
                }
                current.append(" ")
                continue
            case "'", "\"":
                let quote = c
                current.append(c)
                index += 1
                while index < chars.count {
                    current.append(chars[index])
                    if chars[index] == quote {
                        if index + 1 < chars.count, chars[index + 1] == quote {
                            current.append(chars[index + 1])
                            index += 2
                            continue
                        }
                        index += 1
                        break
                    }
                    index += 1
                }
                hasContent = true
                continue
            case "$":
                if let tag = dollarTag(chars, at: index) {
                    current.append(contentsOf: tag)
                    index += tag.count
                    while index < chars.count {
                        if chars[index] == "$", matches(chars, at: index, tag) {
                            current.append(contentsOf: tag)
                            index += tag.count
                            break
                        }
                        current.append(chars[index])
                        index += 1
                    }
                    hasContent = true
                    continue
                }
            case ";":
                flush()
                index += 1
                continue
            default:
                break
            }
            if !c.properties.isWhitespace { hasContent = true }
            current.append(c)
            index += 1
        }
        flush()
        return statements
    }

    /// `$tag$` at `index` (tag: letters, digits, underscore, not starting with a digit), or nil.
    private static func dollarTag(_ chars: [Unicode.Scalar], at index: Int) -> [Unicode.Scalar]? {
        if index > 0, chars[index - 1].properties.isAlphabetic || ("0"..."9").contains(chars[index - 1]) || chars[index - 1] == "_" {
            return nil  // part of an identifier such as a$b
        }
        var end = index + 1
        while end < chars.count, chars[end] != "$" {
            let c = chars[end]
            let ok = c == "_" || c.properties.isAlphabetic || (end > index + 1 && ("0"..."9").contains(c))
            if !ok { return nil }
            end += 1
        }
        guard end < chars.count else { return nil }
        return Array(chars[index...end])
    }

    private static func matches(_ chars: [Unicode.Scalar], at index: Int, _ tag: [Unicode.Scalar]) -> Bool {
        guard index + tag.count <= chars.count else { return false }
        for offset in 0..<tag.count where chars[index + offset] != tag[offset] { return false }
        return true
    }
}
