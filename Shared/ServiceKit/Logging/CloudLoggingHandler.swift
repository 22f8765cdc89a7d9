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
        var fields: [String: Any] = [
            "severity": Self.severity(event.level),
            "message": event.message.description,
            "time": Self.timestamp(),
            "service": service,
            "logger": label,
        ]
        var merged = self.metadata
        if let extra = event.metadata { merged.merge(extra) { _, new in new } }
        for (key, value) in merged {
            if key == "trace_id", case .string(let traceID) = value {
                fields["logging.googleapis.com/trace"] = project.map { "projects/\($0)/traces/\(traceID)" } ?? traceID
            }
            fields[key] = Self.json(value)
        }
        if event.level >= .error { fields["source"] = "\(event.source) \(event.file):\(event.line)" }
        guard let data = try? JSONSerialization.data(withJSONObject: fields, options: [.withoutEscapingSlashes]) else { return }
        sink.write(data + Data([0x0a]))
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

    static func json(_ value: Logger.Metadata.Value) -> Any {
        switch value {
        case .string(let string): string
        case .stringConvertible(let convertible):
            if let number = convertible as? Int {
                number
            } else if let number = convertible as? Double {
                number
            } else {
                convertible.description
            }
        case .array(let array): array.map(json)
        case .dictionary(let dictionary): dictionary.mapValues(json)
        }
    }

    static func timestamp() -> String {
        Date().formatted(.iso8601.year().month().day().time(includingFractionalSeconds: true).timeZone(separator: .omitted))
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

    func write(_ line: Data) {
        if toStandardOutput {
            // One write(2) per line under a lock: lines from concurrent requests never interleave.
            lines.withLock { _ in FileHandle.standardOutput.write(line) }
        } else {
            lines.withLock { $0.append(line) }
        }
    }

    /// The lines written so far (buffer sinks only).
    public var captured: [String] { lines.withLock { $0.map { String(decoding: $0, as: UTF8.self) } } }
}
