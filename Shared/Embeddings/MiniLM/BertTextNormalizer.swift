import Foundation

/// BERT's text normalisation exactly as Hugging Face `tokenizers` (Rust) runs it for an uncased
/// BERT vocabulary (`BertNormalizer` with clean_text, handle_chinese_chars, lowercase, and
/// strip_accents following lowercase), followed by the character classes of `BertPreTokenizer`.
///
/// Steps, in the Rust order:
/// 1. clean: drop U+0000, U+FFFD and control characters (general category Cc, Cf, Co, except
///    tab, newline and carriage return); turn every white-space character into a space;
/// 2. put spaces around CJK ideographs (the ranges of Google's BERT);
/// 3. strip accents: canonical decomposition (NFD), then drop non-spacing marks (Mn);
/// 4. lower-case character by character with the full, context-free Unicode mapping (Rust's
///    `char::to_lowercase`): `Σ` is always `σ` (no final-sigma rule, unlike
///    `String.lowercased()`), `İ` becomes `i` + U+0307.
///
/// `tokenizers` takes its character classes from an older Unicode version than Swift's, so the
/// control / non-spacing-mark / punctuation tests use `BertUnicodeTables`, measured from the
/// reference tokenizer (scripts/make-bert-unicode-tables.py); white space, NFD and lower-case
/// mappings (stable across versions) come from Swift. Checked against the reference for every
/// code point, one at a time.
struct BertTextNormalizer: Sendable {
    var cleanText = true
    var handleChineseChars = true
    var stripAccents = true
    var lowercase = true

    func normalize(_ text: String) -> String {
        normalize(scalars: text.unicodeScalars)
    }

    func normalize<Scalars: Sequence<Unicode.Scalar>>(scalars input: Scalars) -> String {
        var scalars = String.UnicodeScalarView()
        var onlyASCII = true
        for scalar in input {
            if cleanText {
                if scalar.value == 0 || scalar.value == 0xFFFD || Self.isControl(scalar) {
                    continue
                }
                if Self.isWhitespace(scalar) {
                    scalars.append(" ")
                    continue
                }
            }
            if handleChineseChars, Self.isChineseCharacter(scalar) {
                scalars.append(" ")
                scalars.append(scalar)
                scalars.append(" ")
                onlyASCII = false
                continue
            }
            if !scalar.isASCII {
                onlyASCII = false
            }
            scalars.append(scalar)
        }
        if onlyASCII {
            // ASCII is its own NFD and has no marks: only lower-casing can change it.
            if lowercase {
                var lowered = String.UnicodeScalarView()
                for scalar in scalars {
                    let value = scalar.value
                    lowered.append((65...90).contains(value) ? Unicode.Scalar(value + 32)! : scalar)
                }
                return String(lowered)
            }
            return String(scalars)
        }
        if stripAccents {
            scalars = Self.decomposeDroppingMarks(scalars)
        }
        if lowercase {
            var lowered = String.UnicodeScalarView()
            for scalar in scalars {
                if scalar.isASCII {
                    let value = scalar.value
                    lowered.append((65...90).contains(value) ? Unicode.Scalar(value + 32)! : scalar)
                } else if scalar.properties.changesWhenLowercased {
                    lowered.append(contentsOf: scalar.properties.lowercaseMapping.unicodeScalars)
                } else {
                    lowered.append(scalar)
                }
            }
            scalars = lowered
        }
        return String(scalars)
    }

    /// NFD, then removal of non-spacing marks. Code points whose canonical decomposition the
    /// reference does not know (`BertUnicodeTables.undecomposed`, all starters) are kept whole.
    static func decomposeDroppingMarks(_ scalars: String.UnicodeScalarView) -> String.UnicodeScalarView {
        var result = String.UnicodeScalarView()
        var run = String.UnicodeScalarView()
        func flush() {
            guard !run.isEmpty else { return }
            for scalar in String(run).decomposedStringWithCanonicalMapping.unicodeScalars
            where !isNonspacingMark(scalar) {
                result.append(scalar)
            }
            run = String.UnicodeScalarView()
        }
        for scalar in scalars {
            if scalar.value >= 0x80, BertUnicodeTables.contains(BertUnicodeTables.undecomposed, scalar.value) {
                flush()
                result.append(scalar)
            } else {
                run.append(scalar)
            }
        }
        flush()
        return result
    }

    // MARK: Character classes

    /// Rust `tokenizers`' `is_whitespace`: tab, newline, carriage return, or White_Space.
    static func isWhitespace(_ scalar: Unicode.Scalar) -> Bool {
        scalar.properties.isWhitespace
    }

    /// Rust `tokenizers`' `is_control` (Cc, Cf, Co... per its older Unicode tables; tab, newline
    /// and carriage return excluded).
    static func isControl(_ scalar: Unicode.Scalar) -> Bool {
        let value = scalar.value
        if value < 0x20 {
            return value != 0x09 && value != 0x0A && value != 0x0D
        }
        if value < 0x7F {
            return false
        }
        return BertUnicodeTables.contains(BertUnicodeTables.control, value)
    }

    /// A non-spacing mark (Mn) in the reference's tables: removed when stripping accents.
    static func isNonspacingMark(_ scalar: Unicode.Scalar) -> Bool {
        scalar.value >= 0x300 && BertUnicodeTables.contains(BertUnicodeTables.nonspacingMark, scalar.value)
    }

    /// `BertPreTokenizer`'s `is_bert_punc`: ASCII punctuation or a Unicode punctuation category
    /// (Pc, Pd, Ps, Pe, Pi, Pf, Po in the reference's tables).
    static func isPunctuation(_ scalar: Unicode.Scalar) -> Bool {
        let value = scalar.value
        if value < 0x80 {
            return (0x21...0x2F).contains(value) || (0x3A...0x40).contains(value)
                || (0x5B...0x60).contains(value) || (0x7B...0x7E).contains(value)
        }
        return BertUnicodeTables.contains(BertUnicodeTables.punctuation, value)
    }

    /// The "CJK Unified Ideographs" ranges of BERT's `_is_chinese_char` as `tokenizers` has them.
    static func isChineseCharacter(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x4E00...0x9FFF, 0x3400...0x4DBF, 0x20000...0x2A6DF, 0x2A700...0x2B73F,
            0x2B740...0x2B81F, 0x2B920...0x2CEAF, 0xF900...0xFAFF, 0x2F800...0x2FA1F:
            return true
        default:
            return false
        }
    }
}
