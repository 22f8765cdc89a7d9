import ApexProtocol
import Testing

@testable import Memory

@Suite("Rule-based memory extraction")
struct RuleBasedExtractorTests {
    @Test func keepsTheDocumentedFirstPersonStatements() {
        let text = """
            I prefer dark roast coffee. My daughter is called Ana! Always answer in French;
            remember that the office moved to Lyon
            - I love hiking in the Alps.
            Please never use emojis.
            I really dislike long meetings.
            My favourite editors are vim and helix.
            """
        let memories = RuleBasedExtractor.memories(in: text)
        #expect(
            memories.map(\.text) == [
                "I prefer dark roast coffee", "My daughter is called Ana", "Always answer in French",
                "The office moved to Lyon", "I love hiking in the Alps", "Never use emojis", "I really dislike long meetings",
                "My favourite editors are vim and helix",
            ])
        #expect(
            memories.map(\.category) == [
                "preference", "fact", "instruction", "fact", "preference", "instruction", "preference", "fact",
            ])
        #expect(memories.allSatisfy { $0.confidence == RuleBasedExtractor.confidence })
    }

    @Test func leavesOutQuestionsOtherPeopleAndFragments() {
        let text = """
            Do I prefer tea or coffee? My name is? The user likes tea. She prefers green tea.
            I like. My is great. Remember that. What is the weather in Lyon today?
            I liked the old version better. Can you always answer in French?
            """
        #expect(RuleBasedExtractor.memories(in: text).isEmpty)
    }

    @Test func sentencesSplitOnEndingPunctuationNotInsideWordsOrNumbers() {
        let sentences = RuleBasedExtractor.sentences(of: "I use Node.js 3.5 daily. Is it good? Yes!\r\nNext")
        #expect(sentences.map(\.text) == ["I use Node.js 3.5 daily", "Is it good", "Yes", "Next"])
        #expect(sentences.map(\.isQuestion) == [false, true, false, false])
    }

    @Test func eachTextIsKeptOnceAndCurlyApostrophesCount() {
        let memories = RuleBasedExtractor.memories(in: "I’d prefer window seats. i'd prefer window seats. I’d prefer window seats!")
        #expect(memories.map(\.text) == ["I'd prefer window seats"])
    }

    @Test func readsTheQueryAndEveryStringOfTheNodeOutputs() async throws {
        let transcript = SessionTranscript(
            sessionID: "s", query: "Plan my week. I hate early meetings.",
            nodeOutputs: ["writer": ["notes": ["Remember that the gym closes at 9"]], "planner": "My manager is Priya.", "cost": 3])
        #expect(transcript.outputs == ["My manager is Priya.", "Remember that the gym closes at 9"])
        let memories = try await RuleBasedExtractor().extract(from: transcript)
        #expect(memories.map(\.text) == ["I hate early meetings", "My manager is Priya", "The gym closes at 9"])
    }
}
