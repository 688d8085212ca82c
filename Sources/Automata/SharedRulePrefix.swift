import class Foundation.NSLock
import Grammar

/// The automaton states of a grammar's shared rules (`Grammar.Rule.isShared`), built once per
/// process and placed first in every `ByteNFA` that uses the same shared rules, so a grammar
/// starts from a copy of this array instead of building those states: the JSON number lexemes
/// alone are over a thousand states, more than most schemas' own rules.
///
/// Each rule is its body's minimal deterministic automaton (see `RegularAutomatonCache`), so
/// its fragment reads no rule and needs no renumbering: its states keep their indices in
/// every grammar, and their `rule` is the rule's position among the shared rules. Every state
/// leads to its rule's final state (the automata are trimmed and not empty), so pruning skips
/// the prefix (`ByteNFA.sharedStateCount`).
struct SharedRulePrefix: Sendable {
    /// The states of the shared rules, in rule order.
    let states: [ByteNFA.State]
    /// Each shared rule's start and final state.
    let bounds: [(start: Int32, final: Int32)]

    /// The prefix for shared rules with these bodies, in this order; nil when one of them
    /// refers to a rule or exceeds the limits (the rules are then built as ordinary ones).
    static func prefix(for bodies: [Expression], limits: CompileLimits) -> SharedRulePrefix? {
        cache.prefix(for: bodies, limits: limits)
    }

    private static let cache = Cache(capacity: 64)

    /// A process-wide cache of prefixes by rule bodies (a few combinations of the same lexemes
    /// in practice). Bounded: cleared when it holds `capacity` prefixes. Thread-safe.
    private final class Cache: @unchecked Sendable {
        private let lock = NSLock()
        private var entries: [[Expression]: SharedRulePrefix?] = [:]
        private let capacity: Int

        init(capacity: Int) { self.capacity = capacity }

        func prefix(for bodies: [Expression], limits: CompileLimits) -> SharedRulePrefix? {
            lock.lock()
            let cached = entries[bodies]
            lock.unlock()
            if let cached { return cached }
            let built = SharedRulePrefix.build(bodies, limits: limits)
            lock.lock()
            if entries.count >= capacity { entries.removeAll(keepingCapacity: true) }
            entries.updateValue(built, forKey: bodies)  // nil too: a refused combination is not retried
            lock.unlock()
            return built
        }
    }

    private static func build(_ bodies: [Expression], limits: CompileLimits) -> SharedRulePrefix? {
        var builder = NFABuilder(grammar: Grammar(.empty), limits: limits)
        var bounds: [(start: Int32, final: Int32)] = []
        for (index, body) in bodies.enumerated() {
            guard body.referencedRules.isEmpty,
                  let automaton = try? RegularAutomatonCache.shared.splicedAutomaton(for: body, minimal: true, limits: limits),
                  automaton.stateCount > 0
            else { return nil }
            builder.currentRule = Int32(index)
            guard let start = try? builder.newState(), let final = try? builder.newState(),
                  (try? builder.splice(automaton, from: start, to: final)) != nil
            else { return nil }
            bounds.append((start, final))
        }
        return SharedRulePrefix(states: builder.states, bounds: bounds)
    }
}
