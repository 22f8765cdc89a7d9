import ApexProtocol
import Foundation
import PostgresNIO
import ServiceKit

/// The column lists the stores select and how a row becomes a contract type. Each list ends with
/// the row's sort key in whole microseconds, which becomes the list cursor.
enum StoredRows {
    static let jobColumns = """
        id, name, cron_expression, timezone, action::text, enabled, last_run, next_run, last_output::text, \
        created_at, metadata::text, (extract(epoch FROM created_at) * 1000000)::int8
        """
    typealias JobRow = (UUID, String, String, String, String, Bool, Date?, Date?, String?, Date, String, Int64)

    static func job(_ row: PostgresRow) throws -> (Job, Int64) {
        let (id, name, cron, timezone, action, enabled, lastRun, nextRun, lastOutput, createdAt, metadata, micros) =
            try row.decode(JobRow.self)
        let job = Job(
            id: id.lowercasedString, name: name, cronExpression: cron, timezone: timezone,
            action: try StoredJSON.decode(JobAction.self, action, column: "jobs.action"),
            enabled: enabled, lastRun: lastRun, nextRun: nextRun,
            lastOutput: try StoredJSON.value(lastOutput, column: "jobs.last_output"),
            createdAt: createdAt,
            metadata: try StoredJSON.decode(JSONObject.self, metadata, column: "jobs.metadata"))
        return (job, micros)
    }

    static let runColumns = """
        id, job_id, scheduled_for, started_at, completed_at, status, output::text, error, \
        (extract(epoch FROM scheduled_for) * 1000000)::int8
        """
    typealias RunRow = (UUID, UUID, Date, Date?, Date?, String, String?, String?, Int64)

    static func run(_ row: PostgresRow) throws -> (JobRun, Int64) {
        let (id, jobID, scheduledFor, startedAt, completedAt, status, output, error, micros) = try row.decode(RunRow.self)
        let run = JobRun(
            id: id.lowercasedString, jobID: jobID.lowercasedString, scheduledFor: scheduledFor, startedAt: startedAt,
            completedAt: completedAt, status: JobRunStatus(rawValue: status) ?? .failed,
            output: try StoredJSON.value(output, column: "job_runs.output"), error: error)
        return (run, micros)
    }

    static let taskColumns = """
        id, action::text, status, attempts, max_attempts, run_at, last_error, result::text, created_at, updated_at, \
        (extract(epoch FROM created_at) * 1000000)::int8
        """
    typealias TaskRow = (UUID, String, String, Int, Int, Date, String?, String?, Date, Date, Int64)

    static func task(_ row: PostgresRow) throws -> (BackgroundTask, Int64) {
        let (id, action, status, attempts, maxAttempts, runAt, lastError, result, createdAt, updatedAt, micros) =
            try row.decode(TaskRow.self)
        let task = BackgroundTask(
            id: id.lowercasedString, action: try StoredJSON.decode(JobAction.self, action, column: "tasks.action"),
            status: TaskStatus(rawValue: status) ?? .queued, attempts: attempts, maxAttempts: maxAttempts, runAt: runAt,
            lastError: lastError, result: try StoredJSON.value(result, column: "tasks.result"),
            createdAt: createdAt, updatedAt: updatedAt)
        return (task, micros)
    }

    static let notificationColumns = """
        id, source, title, body, priority, is_read, created_at, metadata::text, \
        (extract(epoch FROM created_at) * 1000000)::int8
        """
    typealias NotificationRow = (UUID, String, String, String, Int, Bool, Date, String, Int64)

    static func notification(_ row: PostgresRow) throws -> (InboxNotification, Int64) {
        let (id, source, title, body, priority, isRead, createdAt, metadata, micros) = try row.decode(NotificationRow.self)
        let notification = InboxNotification(
            id: id.lowercasedString, source: source, title: title, body: body, priority: priority, isRead: isRead,
            createdAt: createdAt, metadata: try StoredJSON.decode(JSONObject.self, metadata, column: "notifications.metadata"))
        return (notification, micros)
    }

    /// Collects rows into a page of at most `limit` items (the query fetched `limit + 1`), the
    /// cursor pointing after the last item when more follow.
    static func page<Item>(
        _ rows: PostgresRowSequence, limit: Int,
        id: (Item) -> String, decode: (PostgresRow) throws -> (Item, Int64)
    ) async throws -> Page<Item> {
        var items: [(Item, Int64)] = []
        for try await row in rows { items.append(try decode(row)) }
        guard items.count > limit else { return Page(items: items.map(\.0)) }
        items.removeLast(items.count - limit)
        let (last, micros) = items[items.count - 1]
        let cursor = UUID(uuidString: id(last)).map { ListPosition(microseconds: micros, id: $0).cursor.encoded }
        return Page(items: items.map(\.0), nextCursor: cursor)
    }
}
