import Testing

@testable import Memory

@Suite("Reading a language model's list of memories")
struct ModelOutputParserTests {
    @Test func acceptsTheAskedShapeAndCommonVariants() throws {
        let asked = #"{"memories": [{"text": "Prefers tea", "category": "preference", "confidence": 0.9}]}"#
        #expect(
            try ModelOutputParser.memories(in: asked) == [ExtractedMemory(text: "Prefers tea", category: "preference", confidence: 0.9)])

        let fenced = "```json\n[\"Lives in Lyon\", {\"fact\": \"Has a cat\", \"category\": \"Pets And Animals\"}]\n```"
        #expect(
            try ModelOutputParser.memories(in: fenced) == [
                ExtractedMemory(text: "Lives in Lyon", category: "general", confidence: 0.8),
                ExtractedMemory(text: "Has a cat", category: "pets_and_animals", confidence: 0.8),
            ])
        let facts = #"{"facts": [{"text": "  Speaks French  ", "category": "??", "confidence": 7}, {"text": "  "}]}"#
        #expect(try ModelOutputParser.memories(in: facts) == [ExtractedMemory(text: "Speaks French", category: "general", confidence: 1)])
        #expect(try ModelOutputParser.memories(in: #"{"memories": []}"#).isEmpty)
    }

    @Test func refusesAnythingElse() {
        for output in [
            "Sure! Here are the memories: the user likes tea.", #"{"memories": "tea"}"#, #"{"answer": []}"#, "42",
            #"[{"category": "fact"}]"#, "[1, 2]", "",
        ] {
            #expect(throws: MalformedModelOutput.self, "\(output)") { try ModelOutputParser.memories(in: output) }
        }
    }

    @Test func keepsAtMostFiftyMemories() throws {
        let many = "[" + (1...80).map { "\"Fact number \($0)\"" }.joined(separator: ",") + "]"
        #expect(try ModelOutputParser.memories(in: many).count == ModelOutputParser.maximumMemories)
    }
}
