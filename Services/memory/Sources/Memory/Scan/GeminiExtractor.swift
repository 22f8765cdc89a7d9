import ApexProtocol
import Foundation
import SemanticSearch

/// Extraction by Gemini's `models/{model}:generateContent` (API key in `x-goog-api-key`),
/// asking for a JSON answer (`responseMimeType: application/json`, temperature 0).
struct GeminiExtractor: MemoryExtractor {
    let http: LanguageModelHTTP
    let baseURL: URL
    let apiKey: String
    let model: String

    /// `{root}/models/{model}:generateContent`, `GEMINI_BASE_URL` given with or without its
    /// version (`/v1beta` is added when neither `/v1beta` nor `/v1` ends it, as the embedder does).
    var endpoint: String {
        let root =
            RemoteEndpoint.root(of: baseURL, versionSuffixes: ["/v1beta", "/v1"], defaultVersion: "/v1beta") ?? baseURL.absoluteString
        return "\(root)/models/\(model):generateContent"
    }

    func extract(from transcript: SessionTranscript) async throws -> [ExtractedMemory] {
        let body: JSONValue = [
            "systemInstruction": ["parts": [["text": .string(ExtractionPrompt.instructions)]]],
            "contents": [["role": "user", "parts": [["text": .string(ExtractionPrompt.transcript(transcript))]]]],
            "generationConfig": ["temperature": 0, "responseMimeType": "application/json"],
        ]
        let answer = try await http.post(endpoint, headers: [("x-goog-api-key", apiKey)], body: body)
        guard let candidate = answer["candidates"]?[0] else {
            let reason = answer["promptFeedback"]?["blockReason"]?.stringValue.map { "blocked: \($0)" } ?? "no candidates"
            throw MalformedModelOutput(reason: reason)
        }
        let parts = candidate["content"]?["parts"]?.arrayValue ?? []
        let text = parts.compactMap { $0["text"]?.stringValue }.joined()
        guard !text.isEmpty else { throw MalformedModelOutput(reason: "a candidate without text") }
        return try ModelOutputParser.memories(in: text)
    }
}
