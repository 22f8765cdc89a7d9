/// Whose rows a transaction may see.
///
/// Row-level security policies compare each row's `user_id` with `current_setting('apex.user_id')`;
/// the store sets it per transaction with `set_config(…, true)` so it can never leak to the next
/// user of a pooled connection. `system` is for cross-user work (ticks, retention sweeps) only.
public enum TenantScope: Sendable, Equatable {
    case user(String)
    case system
}
