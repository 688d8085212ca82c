import class Foundation.NSLock
import Grammar

/// A process-wide cache of determinized regular expressions that refer to no rule (formats,
/// patterns, key exclusions, the shared lexemes of JSON), so that a format like `date-time` is
/// determinized once per process rather than once per schema — the cross-grammar reuse
/// XGrammar-2 also relies on. Bounded: when it holds `capacity` automata it is cleared.
/// Thread-safe.
final class RegularAutomatonCache: @unchecked Sendable {
    static let shared = RegularAutomatonCache(capacity: 512)

    /// What an entry is keyed by: the expression, and whether its automaton is minimized.
    private struct Key: Hashable {
        var expression: Expression
        var minimal: Bool
    }

    private let lock = NSLock()
    private var entries: [Key: SplicedAutomaton] = [:]
    private let capacity: Int

    init(capacity: Int) { self.capacity = capacity }

    /// The automaton of `expression` (which must refer to no rule), compiled on first use;
    /// `minimal`: minimized too (worth it for expressions shared by many grammars).
    func automaton(for expression: Expression, minimal: Bool = false, limits: CompileLimits) throws(GrammarError) -> SplicedAutomaton {
        let key = Key(expression: expression, minimal: minimal)
        lock.lock()
        let cached = entries[key]
        lock.unlock()
        if let cached { return cached }
        var dfa = try RegularAutomaton.compile(expression, grammar: Grammar(.empty), limits: limits)
        if minimal { dfa = dfa.minimized() }
        let entry = SplicedAutomaton(dfa)
        lock.lock()
        if entries.count >= capacity { entries.removeAll(keepingCapacity: true) }
        entries[key] = entry
        lock.unlock()
        return entry
    }
}
