import ApexProtocol
import Foundation
public import Logging
import Synchronization

/// Writes one JSON object per line on stdout, in the shape Cloud Logging parses.
///
/// `severity`, `message`, `time`, `service` and the metadata (request id, user id, route, status,
/// duration) become fields; a `trace_id` becomes `logging.googleapis.com/trace`, qualified with
/// the project when `GOOGLE_CLOUD_PROJECT` is known so Cloud Logging links the request's logs.
public struct CloudLoggingHandler: LogHandler {
    /// Metadata other than the request's own.
    private var other: Logger.Metadata = [:]
    /// `request_id`, `trace_id` and `user_id`, which every request sets on its logger: kept in
    /// fields, so a request's logger needs no dictionary of its own (building one was about 1 %
    /// of a small request's CPU, `perf`).
    private var requestID: Logger.Metadata.Value?
    private var traceID: Logger.Metadata.Value?
    private var userID: Logger.Metadata.Value?
    public var logLevel: Logger.Level
    let label: String
    let service: String
    let project: String?
    let sink: LogSink

    public init(label: String, service: String, level: Logger.Level, project: String? = nil, sink: LogSink = .standardOutput) {
        self.label = label
        self.service = service
        self.logLevel = level
        self.project = project
        self.sink = sink
    }

    public var metadata: Logger.Metadata {
        get {
            var metadata = other
            if let requestID { metadata["request_id"] = requestID }
            if let traceID { metadata["trace_id"] = traceID }
            if let userID { metadata["user_id"] = userID }
            return metadata
        }
        set {
            (other, requestID, traceID, userID) = ([:], nil, nil, nil)
            for (key, value) in newValue { self[metadataKey: key] = value }
        }
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get {
            switch key {
            case "request_id": requestID
            case "trace_id": traceID
            case "user_id": userID
            default: other[key]
            }
        }
        set {
            switch key {
            case "request_id": requestID = newValue
            case "trace_id": traceID = newValue
            case "user_id": userID = newValue
            default: other[key] = newValue
            }
        }
    }

    public func log(event: LogEvent) {
        var merged = self.metadata
        if let extra = event.metadata { merged.merge(extra) { _, new in new } }
        var line = LogLine()
        // Metadata under one of these names replaces the handler's own field.
        let own: [(String, String)] = [
            ("severity", Self.severity(event.level)), ("message", event.message.description),
            ("time", ApexJSON.formatDate(Date())), ("service", service), ("logger", label),
        ]
        for (key, value) in own where merged[key] == nil { line.field(key, value) }
        if case .string(let traceID) = merged["trace_id"] {
            line.field("logging.googleapis.com/trace", project.map { "projects/\($0)/traces/\(traceID)" } ?? traceID)
        }
        for key in merged.keys.sorted() { line.field(key, merged[key]!) }
        if event.level >= .error, merged["source"] == nil { line.field("source", "\(event.source) \(event.file):\(event.line)") }
        sink.write(line.finished())
    }

    static func severity(_ level: Logger.Level) -> String {
        switch level {
        case .trace, .debug: "DEBUG"
        case .info: "INFO"
        case .notice: "NOTICE"
        case .warning: "WARNING"
        case .error: "ERROR"
        case .critical: "CRITICAL"
        }
    }
}

/// Where log lines go: stdout in production, a buffer in tests.
public final class LogSink: Sendable {
    private let lines = Mutex<[Data]>([])
    private let toStandardOutput: Bool

    public static let standardOutput = LogSink(toStandardOutput: true)

    public init(toStandardOutput: Bool = false) {
        self.toStandardOutput = toStandardOutput
    }

    func write(_ line: [UInt8]) {
        if toStandardOutput {
            // One write(2) per line under a lock: lines from concurrent requests never interleave.
            lines.withLock { _ in Self.writeAll(line) }
        } else {
            lines.withLock { $0.append(Data(line)) }
        }
    }

    private static func writeAll(_ line: [UInt8]) {
        line.withUnsafeBytes { buffer in
            var offset = 0
            while offset < buffer.count {
                let written = Foundation.write(STDOUT_FILENO, buffer.baseAddress! + offset, buffer.count - offset)
                if written > 0 {
                    offset += written
                } else if written < 0, errno == EINTR {
                    continue
                } else {
                    return
                }
            }
        }
    }

    /// The lines written so far (buffer sinks only).
    public var captured: [String] { lines.withLock { $0.map { String(decoding: $0, as: UTF8.self) } } }
}
