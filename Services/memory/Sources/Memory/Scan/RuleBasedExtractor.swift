import Foundation

/// The extractor used when no language model is configured: keeps first-person statements of
/// preference or fact, sentence by sentence. Deterministic, offline, and documented here so
/// users can predict what is remembered.
///
/// A sentence ends at `.`, `!` or `?` followed by a space or the end, at `;`, or at a line
/// break. Leading list markers and quotes, and a leading "please" or "also", are ignored;
/// questions are never kept; a kept sentence has at least three words and at most 500
/// characters. Rules, matched case-insensitively at the start of the sentence:
///
/// | starts with | category | kept text |
/// |---|---|---|
/// | "remember that …" | `fact` | what follows "remember that" |
/// | "I prefer …", "I'd prefer …", "I would prefer …" | `preference` | the sentence |
/// | "I like / love / hate / dislike / enjoy …" (also after "really") | `preference` | the sentence |
/// | "my … is / are …" (including "my … is called …") | `fact` | the sentence |
/// | "always …", "never …" | `instruction` | the sentence |
///
/// The kept text starts with a capital letter and loses its final punctuation, e.g. "I prefer
/// dark roast coffee", "My daughter is called Ana", "Always answer in French", "The office
/// moved to Lyon". Confidence is 0.8: a rule cannot tell irony or hypotheticals apart.
struct RuleBasedExtractor: MemoryExtractor {
    static let confidence = 0.8
    static let maximumLength = 500

    func extract(from transcript: SessionTranscript) async throws -> [ExtractedMemory] {
        Self.memories(in: transcript.text)
    }

    /// Every memory in `text`, in order, each distinct text once.
    static func memories(in text: String) -> [ExtractedMemory] {
        var seen = Set<String>()
        var memories: [ExtractedMemory] = []
        for sentence in sentences(of: text) where !sentence.isQuestion {
            guard let memory = memory(from: sentence.text), seen.insert(memory.text.lowercased()).inserted else { continue }
            memories.append(memory)
        }
        return memories
    }

    /// Splits text into trimmed sentences, remembering which ones were questions.
    static func sentences(of text: String) -> [(text: String, isQuestion: Bool)] {
        var sentences: [(text: String, isQuestion: Bool)] = []
        var current = ""
        let characters = Array(text)
        func flush(question: Bool) {
            let trimmed = current.trimmingCharacters(in: .whitespacesAndNewlines)
            if !trimmed.isEmpty { sentences.append((trimmed, question)) }
            current = ""
        }
        for (index, character) in characters.enumerated() {
            let next = index + 1 < characters.count ? characters[index + 1] : nil
            let endsSentence = next == nil || next!.isWhitespace
            if character.isNewline || character == ";" {
                flush(question: false)
            } else if (character == "." || character == "!" || character == "?") && endsSentence {
                flush(question: character == "?")
            } else {
                current.append(character)
            }
        }
        flush(question: false)
        return sentences
    }

    /// The memory one sentence states, if it matches a rule.
    static func memory(from sentence: String) -> ExtractedMemory? {
        var text =
            sentence
            .replacingOccurrences(of: "\u{2019}", with: "'")
            .trimmingCharacters(in: CharacterSet(charactersIn: "-*•>\"'“”‘ \t"))
        for filler in ["please ", "also ", "also, "] where text.lowercased().hasPrefix(filler) {
            text = String(text.dropFirst(filler.count))
        }
        text = text.trimmingCharacters(in: CharacterSet(charactersIn: ".!,:\"'“” \t"))
        guard text.count <= maximumLength else { return nil }
        let lower = text.lowercased()
        let words = lower.split(whereSeparator: { $0 == " " || $0 == "\t" })

        if let rest = ["remember that ", "remember: "].lazy.compactMap({ lower.hasPrefix($0) ? text.dropFirst($0.count) : nil }).first {
            let fact = rest.trimmingCharacters(in: .whitespaces)
            guard fact.split(separator: " ").count >= 2 else { return nil }
            return ExtractedMemory(text: capitalized(fact), category: "fact", confidence: confidence)
        }
        guard words.count >= 3 else { return nil }

        let preferenceOpenings =
            ["i prefer ", "i'd prefer ", "i would prefer "]
            + ["like", "love", "hate", "dislike", "enjoy"].flatMap { ["i \($0) ", "i really \($0) "] }
        if preferenceOpenings.contains(where: lower.hasPrefix) {
            return ExtractedMemory(text: capitalized(text), category: "preference", confidence: confidence)
        }
        if words[0] == "my", let verb = words.dropFirst(2).firstIndex(where: { $0 == "is" || $0 == "are" }), verb < words.count - 1 {
            return ExtractedMemory(text: capitalized(text), category: "fact", confidence: confidence)
        }
        if words[0] == "always" || words[0] == "never" {
            return ExtractedMemory(text: capitalized(text), category: "instruction", confidence: confidence)
        }
        return nil
    }

    private static func capitalized(_ text: some StringProtocol) -> String {
        guard let first = text.first else { return "" }
        return first.uppercased() + text.dropFirst()
    }
}
