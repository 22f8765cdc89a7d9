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
    public var metadata: Logger.Metadata = [:]
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

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
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
