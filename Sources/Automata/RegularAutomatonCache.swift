import class Foundation.NSLock
import Grammar

/// A process-wide cache of determinized and minimized regular expressions that refer to no
/// rule (formats, patterns, key exclusions, the shared lexemes of JSON), so that a format like
/// `date-time` is determinized once per process rather than once per schema — the
/// cross-grammar reuse XGrammar-2 also relies on. An expression whose choices hold literals
/// that change nothing is built under its form without them (`withoutRedundantLiterals`), so
/// the key exclusions of objects that differ only in such names share one automaton (the
/// expression is then a second entry, sharing the automaton's tables). Bounded: when it holds
/// `capacity` automata of a kind, or `maxBytes` bytes of transition tables in all, it is
/// cleared. Thread-safe.
final class RegularAutomatonCache: @unchecked Sendable {
    static let shared = RegularAutomatonCache(capacity: 1_024, maxBytes: 256 << 20)

    private let lock = NSLock()
    private var automata: [Expression: RegularAutomaton] = [:]
    private var spliced: [Expression: SplicedAutomaton] = [:]
    /// Expressions whose automaton exceeded the limits of `minimalSplicedAutomaton`.
    private var refusedMinimal: Set<Expression> = []
    private let capacity: Int
    private let maxBytes: Int
    /// Bytes of the transition tables held.
    private var bytes = 0

    init(capacity: Int, maxBytes: Int) {
        self.capacity = capacity
        self.maxBytes = maxBytes
    }

    /// Makes room for an entry of `size` bytes (call with the lock held).
    private func makeRoom(for size: Int) {
        guard automata.count >= capacity || spliced.count >= capacity || bytes + size > maxBytes else { return }
        automata.removeAll(keepingCapacity: true)
        spliced.removeAll(keepingCapacity: true)
        bytes = 0
    }

    /// The minimal automaton of `expression` (which must refer to no rule), compiled on first
    /// use.
    func automaton(for expression: Expression, limits: CompileLimits) throws(GrammarError) -> RegularAutomaton {
        lock.lock()
        let cached = automata[expression]
        lock.unlock()
        if let cached { return cached }
        let key = withoutRedundantLiterals(expression, limits: limits)
        if key != expression {
            let dfa = try automaton(for: key, limits: limits)
            lock.lock()
            makeRoom(for: 0)
            automata[expression] = dfa
            lock.unlock()
            return dfa
        }
        let dfa = try RegularAutomaton.compile(expression, grammar: Grammar(.empty), limits: limits).minimized()
        lock.lock()
        makeRoom(for: dfa.byteCount)
        automata[expression] = dfa
        bytes += dfa.byteCount
        lock.unlock()
        return dfa
    }

    /// The minimal automaton of `expression` (which must refer to no rule) ready to be spliced,
    /// built on first use (worth it for expressions shared by many grammars); nil when it
    /// exceeds `limits`, which is remembered too.
    func minimalSplicedAutomaton(for expression: Expression, limits: CompileLimits) -> SplicedAutomaton? {
        lock.lock()
        let refused = refusedMinimal.contains(expression)
        lock.unlock()
        if refused { return nil }
        if let automaton = try? splicedAutomaton(for: expression, limits: limits) { return automaton }
        lock.lock()
        if refusedMinimal.count >= capacity { refusedMinimal.removeAll(keepingCapacity: true) }
        refusedMinimal.insert(expression)
        lock.unlock()
        return nil
    }

    /// The minimal automaton of `expression` (which must refer to no rule) ready to be spliced,
    /// built on first use.
    func splicedAutomaton(for expression: Expression, limits: CompileLimits) throws(GrammarError) -> SplicedAutomaton {
        lock.lock()
        let cached = spliced[expression]
        lock.unlock()
        if let cached { return cached }
        let key = withoutRedundantLiterals(expression, limits: limits)
        if key != expression {
            let entry = try splicedAutomaton(for: key, limits: limits)
            lock.lock()
            makeRoom(for: 0)
            spliced[expression] = entry
            lock.unlock()
            return entry
        }
        let dfa = try automaton(for: expression, limits: limits)
        let entry = SplicedAutomaton(dfa)
        lock.lock()
        makeRoom(for: 2 * dfa.byteCount)
        spliced[expression] = entry
        bytes += 2 * dfa.byteCount  // the table, and edges of about the same size
        lock.unlock()
        return entry
    }
}
