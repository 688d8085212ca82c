import class Foundation.NSLock

/// A process-wide table of one 32-bit fact per state of a `SharedRulePrefix`, filled in by the
/// grammars that use the prefix (its states have the same indices, edges and rules in each):
/// what one grammar worked out about a shared state, the next one reads. Thread-safe; 0 is
/// "not known yet". At most one entry per state of the prefix.
final class SharedStateTable: @unchecked Sendable {
    private let lock = NSLock()
    private var entries: [UInt32] = []
    /// The prefix's number of states (the table's bound).
    let stateCount: Int

    init(stateCount: Int) { self.stateCount = stateCount }

    /// The entry of `state` (0: not known yet).
    func value(of state: Int) -> UInt32 {
        lock.lock()
        defer { lock.unlock() }
        return state < entries.count ? entries[state] : 0
    }

    /// Records the entry of `state` (a state of the prefix).
    func set(_ value: UInt32, of state: Int) {
        precondition(state < stateCount)
        lock.lock()
        defer { lock.unlock() }
        if entries.count <= state { entries.append(contentsOf: repeatElement(0, count: state + 1 - entries.count)) }
        entries[state] = value
    }

    /// Bytes held.
    var memoryBytes: Int {
        lock.lock()
        defer { lock.unlock() }
        return entries.capacity * 4
    }
}
