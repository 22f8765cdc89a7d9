import Synchronization

/// Random bits for request, trace and span ids: xoshiro256** seeded once per process from the
/// system generator, shared behind a lock.
///
/// These ids must be unique and evenly spread (W3C Trace Context asks for random trace ids), not
/// secret: nothing is authorised by knowing one. The system generator is a `getrandom` system
/// call per 8 bytes, up to five per request, which `perf` showed at about 3 % of a small
/// request's CPU. Never use this for tokens, keys or anything an attacker must not guess.
struct IdentifierRandomness: RandomNumberGenerator {
    func next() -> UInt64 {
        Self.state.withLock { $0.next() }
    }

    private static let state = Mutex(Xoshiro256StarStar(seededBy: SystemRandomNumberGenerator()))
}
