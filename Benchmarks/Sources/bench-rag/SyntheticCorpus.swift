/// The synthetic corpus of Benchmarks/Rag/README.md, regenerated identically on every run.
///
/// 100,000 chunks over 10 users: `bench-user-00` holds 50,005, the nine others 5,555 each.
/// Documents hold 5–34 chunks (mean ~19.5); a chunk is 60–100 words (mean 80) in sentences of
/// 8–20 words, drawn from a Zipf vocabulary, about 550 characters. Everything is a function of
/// (user, document, chunk), so a chunk's text can be rebuilt without storing it — queries are
/// made from the words of real chunks of the user who asks.
struct SyntheticCorpus: Sendable {
    struct DocumentPlan: Sendable {
        let user: Int
        let number: Int
        let chunkCount: Int
    }

    static let users = 10
    static let heavyChunks = 50_005
    static let lightChunks = 5_555

    let vocabulary = ZipfVocabulary()

    static func userID(_ user: Int) -> String { "bench-user-" + (user < 10 ? "0\(user)" : "\(user)") }

    static func chunkCount(user: Int) -> Int { user == 0 ? heavyChunks : lightChunks }

    /// The user's documents, in order, with their chunk counts summing to `chunkCount(user:)`.
    func documents(user: Int, totalChunks: Int? = nil) -> [DocumentPlan] {
        var random = SplitMix64.seeded(1, UInt64(user))
        var remaining = totalChunks ?? Self.chunkCount(user: user)
        var plans: [DocumentPlan] = []
        while remaining > 0 {
            var count = 5 + Int(random.next() % 30)
            if remaining - count < 5 { count = remaining }
            plans.append(DocumentPlan(user: user, number: plans.count, chunkCount: count))
            remaining -= count
        }
        return plans
    }

    /// The word ranks of one chunk.
    func chunkRanks(user: Int, document: Int, chunk: Int) -> [Int] {
        var random = SplitMix64.seeded(2, UInt64(user), UInt64(document), UInt64(chunk))
        let count = 60 + Int(random.next() % 41)
        return (0..<count).map { _ in vocabulary.drawRank(&random) }
    }

    /// One chunk's text: sentences of 8–20 words, capitalised, ending with a period.
    func chunkText(user: Int, document: Int, chunk: Int) -> String {
        let ranks = chunkRanks(user: user, document: document, chunk: chunk)
        var random = SplitMix64.seeded(3, UInt64(user), UInt64(document), UInt64(chunk))
        var text = ""
        text.reserveCapacity(700)
        var sentenceLeft = 0
        for (index, rank) in ranks.enumerated() {
            let word = vocabulary.words[rank]
            if sentenceLeft == 0 {
                if index > 0 { text += ". " }
                sentenceLeft = 8 + Int(random.next() % 13)
                text += word.prefix(1).uppercased() + word.dropFirst()
            } else {
                text += " " + word
            }
            sentenceLeft -= 1
        }
        text += "."
        return text
    }

    /// A query for `user`: 2–4 content words of one of the user's chunks, sometimes with a stop
    /// word between them (as people type), so both the vector and the keyword side have matches.
    func query(user: Int, _ random: inout SplitMix64) -> String {
        let plans = documents(user: user)
        let plan = plans[Int(random.next() % UInt64(plans.count))]
        let chunk = Int(random.next() % UInt64(plan.chunkCount))
        let content = chunkRanks(user: user, document: plan.number, chunk: chunk).filter { !vocabulary.isStopWord(rank: $0) }
        let count = 2 + Int(random.next() % 3)
        var words: [String] = []
        for _ in 0..<count {
            words.append(vocabulary.words[content[Int(random.next() % UInt64(content.count))]])
            if random.next() % 4 == 0 { words.append(ZipfVocabulary.stopWords[Int(random.next() % 8)]) }
        }
        return words.joined(separator: " ")
    }

    /// The benchmark's query list: users chosen uniformly (each tenant equally active), then a query.
    func queryMix(count: Int, seed: UInt64 = 11) -> [(user: String, query: String)] {
        var random = SplitMix64(seed: seed)
        return (0..<count).map { _ in
            let user = Int(random.next() % UInt64(Self.users))
            return (Self.userID(user), query(user: user, &random))
        }
    }
}
