public import ApexProtocol
public import Foundation

/// What the API checks beyond the contract's own rules before a job is stored: the schedule
/// means something, and an `http` action's host is allowed. Every fault is reported at once.
public enum JobDraftRules {
    /// The draft of a new job, with `next_run` the first slot after `now` (none when disabled).
    public static func draft(from request: CreateJobRequest, allowList: HTTPHostAllowList, now: Date) -> Result<JobDraft, ValidationFailure>
    {
        let draft = JobDraft(
            name: request.name, cronExpression: request.cronExpression, timezone: request.resolvedTimezone,
            action: request.action, enabled: request.resolvedEnabled, metadata: request.metadata ?? [:], nextRun: nil)
        return checked(draft, allowList: allowList, recomputeNextRun: true, now: now)
    }

    /// `job` with the fields of `patch` applied; `next_run` is recomputed from `now` when the
    /// expression, the time zone or `enabled` actually changed.
    public static func patched(
        _ job: Job, with patch: UpdateJobRequest, allowList: HTTPHostAllowList, now: Date
    ) -> Result<JobDraft, ValidationFailure> {
        var draft = JobDraft(job)
        if let name = patch.name { draft.name = name }
        if let cron = patch.cronExpression { draft.cronExpression = cron }
        if let timezone = patch.timezone { draft.timezone = timezone }
        if let action = patch.action { draft.action = action }
        if let enabled = patch.enabled { draft.enabled = enabled }
        if let metadata = patch.metadata { draft.metadata = metadata }
        let moved = draft.cronExpression != job.cronExpression || draft.timezone != job.timezone || draft.enabled != job.enabled
        return checked(draft, allowList: allowList, recomputeNextRun: moved, now: now, checkAction: patch.action != nil)
    }

    static func checked(
        _ draft: JobDraft, allowList: HTTPHostAllowList, recomputeNextRun: Bool, now: Date, checkAction: Bool = true
    ) -> Result<JobDraft, ValidationFailure> {
        var errors: [FieldError] = []
        var draft = draft
        switch JobSchedule.validated(expression: draft.cronExpression, timezone: draft.timezone) {
        case .failure(let failure):
            errors += failure.errors
        case .success(let schedule):
            if recomputeNextRun { draft.nextRun = draft.enabled ? schedule.nextRun(after: now) : nil }
        }
        if checkAction, let fault = actionFault(draft.action, allowList: allowList) { errors.append(fault) }
        return errors.isEmpty ? .success(draft) : .failure(ValidationFailure(errors: errors))
    }

    /// `action.url` naming the refused host, for an `http` action whose host is not allowed.
    public static func actionFault(_ action: JobAction, allowList: HTTPHostAllowList) -> FieldError? {
        guard case .http(let url, _, _) = action, let refusal = allowList.refusal(for: url) else { return nil }
        return FieldError(field: "action.url", message: refusal)
    }
}
