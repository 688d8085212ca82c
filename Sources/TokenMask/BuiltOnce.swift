import Foundation

/// A value built once, by whichever comes first: its first use, or a background task that asks
/// for it ahead of use (a use meanwhile waits for it under the lock). Holds the vocabulary
/// tables that preparation does not wait for (`PreparedVocabulary.textSummary`, `whitespaceRuns`).
final class BuiltOnce<Value>: @unchecked Sendable {
    private let lock = NSLock()
    private var built: Value?
    private let build: () -> Value

    /// A value `build` makes on the first use.
    init(_ build: @escaping () -> Value) {
        self.build = build
    }

    /// The value, built on the first call.
    var value: Value {
        lock.lock()
        defer { lock.unlock() }
        if let built { return built }
        let value = build()
        built = value
        return value
    }
}
