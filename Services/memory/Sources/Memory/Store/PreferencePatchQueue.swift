import ApexProtocol

/// Batches concurrent PATCHes of the same hub into one transaction.
///
/// Patches of one hub serialise on its row lock, so one hub can take only as many
/// transactions per second as commits and lock hand-overs allow (measured: ~550/s with 32
/// writers, however many cores). Here, while a write to a hub is in flight, the patches that
/// arrive for that hub wait in arrival order; when the write finishes they go to PostgreSQL
/// together (`PostgresPreferenceStore.merge(_:into:userID:)` with a list), and each caller
/// gets the hub as its own patch left it — the same answers as one-by-one application, with one
/// row lock per batch. Across replicas the row lock still orders the batches. A failed batch
/// fails each of its callers (nothing of it was committed).
actor PreferencePatchQueue: PreferenceStore {
    struct Hub: Hashable {
        let userID: String
        let hub: PreferenceHub
    }

    private struct Waiting {
        let patch: JSONObject
        let continuation: CheckedContinuation<JSONDocument, any Error>
    }

    /// The most patches one transaction applies.
    static let maximumBatch = 64

    let store: PostgresPreferenceStore
    private var waiting: [Hub: [Waiting]] = [:]
    private var writing: Set<Hub> = []

    init(store: PostgresPreferenceStore) {
        self.store = store
    }

    nonisolated func all(userID: String) async throws -> PreferencesResponse {
        try await store.all(userID: userID)
    }

    nonisolated func hub(_ hub: PreferenceHub, userID: String) async throws -> JSONDocument {
        try await store.hub(hub, userID: userID)
    }

    func merge(_ patch: JSONObject, into hub: PreferenceHub, userID: String) async throws -> JSONDocument {
        let key = Hub(userID: userID, hub: hub)
        return try await withCheckedThrowingContinuation { continuation in
            waiting[key, default: []].append(Waiting(patch: patch, continuation: continuation))
            if writing.insert(key).inserted {
                Task { await self.write(key) }
            }
        }
    }

    /// Writes batches for `key` until nobody waits for it any more.
    private func write(_ key: Hub) async {
        while let queued = waiting[key], !queued.isEmpty {
            let batch = Array(queued.prefix(Self.maximumBatch))
            waiting[key] = Array(queued.dropFirst(batch.count))
            do {
                let states = try await store.merge(batch.map(\.patch), into: key.hub, userID: key.userID)
                guard states.count == batch.count else { throw PostgresUnexpectedlyEmpty(statement: "memory.merge_preference_patches") }
                for (waiting, state) in zip(batch, states) { waiting.continuation.resume(returning: state) }
            } catch {
                for waiting in batch { waiting.continuation.resume(throwing: error) }
            }
        }
        waiting[key] = nil
        writing.remove(key)
    }
}
