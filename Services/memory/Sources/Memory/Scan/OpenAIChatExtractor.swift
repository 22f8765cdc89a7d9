import ApexProtocol
import Foundation
import SemanticSearch

/// Extraction by any OpenAI-compatible `POST {OPENAI_BASE_URL}[/v1]/chat/completions` (OpenAI,
/// vLLM, llama.cpp, Ollama…), asking for a JSON object (`response_format: json_object`,
/// temperature 0). `OPENAI_API_KEY` is sent as a bearer token when set.
struct OpenAIChatExtractor: MemoryExtractor {
    let http: LanguageModelHTTP
    let baseURL: URL
    let apiKey: String?
    let model: String

    /// `{root}/chat/completions`, `OPENAI_BASE_URL` given with or without its `/v1` (as the
    /// embedder reads the same variable).
    var endpoint: String {
        (RemoteEndpoint.root(of: baseURL, versionSuffixes: ["/v1"], defaultVersion: "/v1") ?? baseURL.absoluteString) + "/chat/completions"
    }

    func extract(from transcript: SessionTranscript) async throws -> [ExtractedMemory] {
        let body: JSONValue = [
            "model": .string(model),
            "temperature": 0,
            "response_format": ["type": "json_object"],
            "messages": [
                ["role": "system", "content": .string(ExtractionPrompt.instructions)],
                ["role": "user", "content": .string(ExtractionPrompt.transcript(transcript))],
            ],
        ]
        let headers = apiKey.map { [("Authorization", "Bearer \($0)")] } ?? []
        let answer = try await http.post(endpoint, headers: headers, body: body)
        guard let content = answer["choices"]?[0]?["message"]?["content"]?.stringValue else {
            throw MalformedModelOutput(reason: "no choices[0].message.content string")
        }
        return try ModelOutputParser.memories(in: content)
    }
}
