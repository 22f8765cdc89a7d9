import AsyncHTTPClient
public import Foundation
public import Logging
import NIOCore
@preconcurrency public import _CryptoExtras
@preconcurrency import _CryptoExtras

/// Google's signing keys (for Firebase ID tokens, or for Google OIDC tokens), fetched and kept as
/// Google says.
///
/// Cached for the `max-age` of the answer's `Cache-Control`; refetched early when a token names
/// an unknown `kid` (a key rotation), but at most once a minute so forged `kid`s cannot make the
/// gateway hammer Google; when a refresh fails the previous keys are used (stale) rather than
/// refusing every user. With `AUTH_JWKS_FILE` the keys come from a file and never expire.
public actor JWKSCache {
    public enum Source: Sendable {
        case url(URL)
        case file(String)
    }

    let source: Source
    let logger: Logger
    let minimumRefetchInterval: Duration
    private var keySet: JSONWebKeySet?
    private var expiresAt: ContinuousClock.Instant = .now
    private var lastFetch: ContinuousClock.Instant?

    public init(source: Source, logger: Logger, minimumRefetchInterval: Duration = .seconds(60)) {
        self.source = source
        self.logger = logger
        self.minimumRefetchInterval = minimumRefetchInterval
    }

    /// The key for `kid`, refreshing the set when it is stale or does not know `kid`.
    public func key(for kid: String) async -> JSONWebKeySet.Keys.Value? {
        let now = ContinuousClock.now
        if keySet == nil || now >= expiresAt || keySet?.keys[kid] == nil {
            let mayFetch = lastFetch.map { now - $0 >= minimumRefetchInterval } ?? true
            if keySet == nil || now >= expiresAt || mayFetch {
                await refresh()
            }
        }
        return keySet?.keys[kid]
    }

    private func refresh() async {
        lastFetch = .now
        do {
            switch source {
            case .file(let path):
                keySet = try JSONWebKeySet(json: try Data(contentsOf: URL(fileURLWithPath: path)))
                expiresAt = .now + .seconds(365 * 24 * 3600)
            case .url(let url):
                var request = HTTPClientRequest(url: url.absoluteString)
                request.method = .GET
                let response = try await HTTPClient.shared.execute(request, timeout: .seconds(5))
                guard response.status == .ok else { throw JWKSFetchFailure(status: Int(response.status.code)) }
                let body = try await response.body.collect(upTo: 1 << 20)
                keySet = try JSONWebKeySet(json: Data(buffer: body))
                expiresAt = .now + Self.maxAge(response.headers["cache-control"].first)
            }
        } catch {
            // Keep serving with the keys we have (stale) and retry after the minimum interval.
            logger.error("could not refresh the ID token keys; using the cached set", metadata: ["error": "\(error)"])
            if keySet != nil { expiresAt = .now + minimumRefetchInterval }
        }
    }

    static func maxAge(_ cacheControl: String?) -> Duration {
        guard let cacheControl else { return .seconds(300) }
        for directive in cacheControl.split(separator: ",") {
            let parts = directive.trimmingCharacters(in: .whitespaces).split(separator: "=", maxSplits: 1)
            if parts.count == 2, parts[0].lowercased() == "max-age", let seconds = Int(parts[1]) {
                return .seconds(max(0, min(seconds, 24 * 3600)))
            }
        }
        return .seconds(300)
    }
}

struct JWKSFetchFailure: Error { let status: Int }

extension JSONWebKeySet {
    public typealias Keys = [String: _RSA.Signing.PublicKey]
}
