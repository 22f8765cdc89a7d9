import ApexProtocol
import Foundation

/// Reads the memories out of a language model's answer.
///
/// Asked for `{"memories": [{"text", "category", "confidence"}]}`, models still vary: some
/// wrap the JSON in a Markdown fence, some answer a bare array, some use strings for items or
/// `facts` for the key. All of those are accepted; anything else is `MalformedModelOutput`.
/// Items are sanitised rather than trusted: categories that do not fit `[a-z0-9_-]{1,64}`
/// become `general`, confidences are clamped to 0–1 (0.8 when missing), blank items are
/// skipped, and at most `maximumMemories` are kept.
enum ModelOutputParser {
    static let maximumMemories = 50
    static let defaultConfidence = 0.8

    static func memories(in output: String) throws(MalformedModelOutput) -> [ExtractedMemory] {
        let json = unfenced(output)
        let value: JSONValue
        do {
            value = try ApexJSON.decode(JSONValue.self, from: Data(json.utf8))
        } catch {
            throw MalformedModelOutput(reason: "not JSON (\(json.prefix(80))…)")
        }
        let items: [JSONValue]
        switch value {
        case .array(let array):
            items = array
        case .object(let object):
            guard let list = object["memories"] ?? object["facts"] else {
                throw MalformedModelOutput(reason: "an object without a \"memories\" list")
            }
            guard case .array(let array) = list else { throw MalformedModelOutput(reason: "\"memories\" is not a list") }
            items = array
        default:
            throw MalformedModelOutput(reason: "neither a list nor an object")
        }
        var memories: [ExtractedMemory] = []
        for (index, item) in items.enumerated() {
            guard let memory = try memory(from: item, at: index) else { continue }
            memories.append(memory)
            if memories.count == maximumMemories { break }
        }
        return memories
    }

    private static func memory(from item: JSONValue, at index: Int) throws(MalformedModelOutput) -> ExtractedMemory? {
        let text: String
        var category = CreateMemoryRequest.defaultCategory
        var confidence = defaultConfidence
        switch item {
        case .string(let string):
            text = string
        case .object(let object):
            guard case .string(let string)? = object["text"] ?? object["memory"] ?? object["fact"] else {
                throw MalformedModelOutput(reason: "item \(index) has no \"text\" string")
            }
            text = string
            if case .string(let raw)? = object["category"] {
                let candidate = raw.lowercased().replacingOccurrences(of: " ", with: "_")
                if TokenPattern.category.matches(candidate) { category = candidate }
            }
            if case .number(let number)? = object["confidence"] {
                confidence = min(1, max(0, number))
            }
        default:
            throw MalformedModelOutput(reason: "item \(index) is neither a string nor an object")
        }
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !trimmed.isEmpty, CreateMemoryRequest.textLength.contains(trimmed.unicodeScalars.count) else { return nil }
        return ExtractedMemory(text: trimmed, category: category, confidence: confidence)
    }

    /// The content of a ```json … ``` fence, or the text itself.
    private static func unfenced(_ output: String) -> String {
        var text = output.trimmingCharacters(in: .whitespacesAndNewlines)
        guard text.hasPrefix("```") else { return text }
        text.removeFirst(3)
        if let newline = text.firstIndex(of: "\n") { text = String(text[text.index(after: newline)...]) }
        if text.hasSuffix("```") { text.removeLast(3) }
        return text.trimmingCharacters(in: .whitespacesAndNewlines)
    }
}
