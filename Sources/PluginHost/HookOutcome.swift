/// What one plugin's hook made of a value it may change or reject (a post, a login, a
/// file, a notification, a configuration).
public enum HookOutcome<Value: Sendable & Equatable>: Sendable, Equatable {
    /// The plugin does not implement the hook (it was not called).
    case notImplemented
    case unchanged
    case modified(Value)
    case rejected(reason: String)
    /// The hook failed or timed out (logged); the value goes on unchanged.
    case failed(String)
}

/// What became of a value after every active plugin that implements the hook had its turn,
/// in plugin id order, each seeing the previous plugin's change.
public enum HookDecision<Value: Sendable & Equatable>: Sendable, Equatable {
    /// The value as the last plugin left it (unchanged when no plugin changed it).
    case allowed(Value)
    /// The first plugin that rejected the value, and why; later plugins were not asked.
    case rejected(reason: String, by: String)
}
