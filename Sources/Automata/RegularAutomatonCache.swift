import class Foundation.NSLock
import Grammar

/// A process-wide cache of determinized regular expressions that refer to no rule (formats,
/// patterns, key exclusions), so that a format like `date-time` is determinized once per
/// process rather than once per schema — the cross-grammar reuse XGrammar-2 also relies on.
/// Bounded: when it holds `capacity` automata it is cleared. Thread-safe.
final class RegularAutomatonCache: @unchecked Sendable {
    static let shared = RegularAutomatonCache(capacity: 512)

    private let lock = NSLock()
    private var entries: [Expression: RegularAutomaton] = [:]
    private let capacity: Int

    init(capacity: Int) { self.capacity = capacity }

    /// The automaton of `expression` (which must refer to no rule), compiled on first use.
    func automaton(for expression: Expression, limits: CompileLimits) throws(GrammarError) -> RegularAutomaton {
        lock.lock()
        let cached = entries[expression]
        lock.unlock()
        if let cached { return cached }
        let dfa = try RegularAutomaton.compile(expression, grammar: Grammar(.empty), limits: limits)
        lock.lock()
        if entries.count >= capacity { entries.removeAll(keepingCapacity: true) }
        entries[expression] = dfa
        lock.unlock()
        return dfa
    }
}
