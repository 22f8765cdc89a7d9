/// What a language model is asked, identical for every provider.
enum ExtractionPrompt {
    /// Sessions longer than this are cut (the start holds the user's query).
    static let maximumTranscriptCharacters = 24_000

    static let instructions = """
        You extract long-term memories about the user from the record of one AI-agent session: \
        the user's query and the agent's outputs. A memory is a durable fact about the user (\
        "My daughter is called Ana"), a preference ("I prefer dark roast coffee") or a standing \
        instruction ("Always answer in French"). Write each as one short, self-contained sentence \
        from the user's point of view. Leave out anything transient, anything about the agent \
        itself, and anything you are unsure of.
        Answer with JSON only, exactly in this shape: \
        {"memories": [{"text": "…", "category": "preference" | "fact" | "instruction", "confidence": 0.0-1.0}]}. \
        Answer {"memories": []} when there is nothing to remember.
        """

    static func transcript(_ transcript: SessionTranscript) -> String {
        String(transcript.text.prefix(maximumTranscriptCharacters))
    }
}
