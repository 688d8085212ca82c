import class Foundation.NSLock
import Grammar

/// The automaton states of a grammar's shared rules (`Grammar.Rule.isShared`), built once per
/// process and placed first in every `ByteNFA` that uses the same shared rules, so a grammar
/// starts from a copy of these tables instead of building those states: the JSON number lexemes
/// alone are over a thousand states, `date-time` over thirty thousand as an NFA.
///
/// Each rule is its body's minimal deterministic automaton (see `RegularAutomatonCache`), so
/// its fragment reads no rule and needs no renumbering: its states keep their indices in
/// every grammar, and their `rule` is the rule's position among the rules of the prefix. Every
/// state leads to its rule's final state (the automata are trimmed and not empty), so pruning
/// skips the prefix (`ByteNFA.sharedStateCount`). A rule whose body refers to a rule, matches
/// nothing, whose NFA or unminimized automaton exceeds `maxAttemptStates` or whose determinization
/// exceeds `maxAttemptVisits`, or whose minimal automaton exceeds `maxStates` is left out (and
/// built as an ordinary rule).
struct SharedRulePrefix: Sendable {
    /// Per state of the rules of the prefix, in their order: its rule, whether it accepts
    /// every plain-text string, and its edge lists (as `ByteNFA` holds them).
    let stateRules: [Int32]
    let acceptsAllPlainText: [Bool]
    let byteEdges: EdgeLists<ByteNFA.ByteEdge>
    let epsilonEdges: EdgeLists<Int32>
    let callEdges: EdgeLists<ByteNFA.CallEdge>
    /// The rules of the prefix: the position of each one's body among the bodies asked for, its
    /// start and final state.
    let rules: [(body: Int, start: Int32, final: Int32)]
    /// Per byte (257 entries), whether one of the states' byte ranges starts or ends just
    /// before it: where `ConfigurationSpace` must begin a new byte class.
    let classBoundaries: [Bool]
    /// `ByteNFA.edgeListBytes` of the states.
    let edgeListBytes: Int
    /// What each state reads of JSON whitespace (`ConfigurationSpace.stateReach`), worked out
    /// once for every grammar using the prefix.
    let whitespaceReach: SharedStateTable

    /// The prefix of the states `builder` built (its rules `rules`), with its tables.
    init(_ builder: NFABuilder, rules: [(body: Int, start: Int32, final: Int32)]) {
        stateRules = builder.stateRules
        acceptsAllPlainText = builder.acceptsAllPlainText
        (byteEdges, epsilonEdges, callEdges) = builder.finishedLists()
        self.rules = rules
        var classBoundaries = [Bool](repeating: false, count: 257)
        for e in byteEdges.items {
            classBoundaries[Int(e.low)] = true
            classBoundaries[Int(e.high) + 1] = true
        }
        self.classBoundaries = classBoundaries
        let n = builder.stateRules.count
        edgeListBytes = byteEdges.arrayBytes(of: 0..<n) + epsilonEdges.arrayBytes(of: 0..<n) + callEdges.arrayBytes(of: 0..<n)
        whitespaceReach = SharedStateTable(stateCount: n)
    }

    /// The number of states.
    var stateCount: Int { stateRules.count }

    /// The most states a shared rule's minimal automaton may have (`hostname`: 24,088).
    static let maxStates = 32_768
    /// The most states of a shared rule's NFA and of its automaton before minimization
    /// (`date-time`: 35,485 and 23,296, minimal 11,096).
    static let maxAttemptStates = 2 * maxStates
    /// The most closure steps of a shared rule's determinization (`date-time`, the most of the
    /// formats shared: 290,380; the `regex` format, whose NFA of 37,366 states has wide
    /// ε-closures, would take 51 M: the bound stops its futile attempt early).
    static let maxAttemptVisits = 400_000

    /// The prefix for shared rules with these bodies, in this order.
    static func prefix(for bodies: [Expression], limits: CompileLimits) -> SharedRulePrefix {
        cache.prefix(for: bodies, limits: limits)
    }

    private static let cache = Cache(capacity: 64)

    /// A process-wide cache of prefixes by rule bodies (a few combinations of the same lexemes
    /// and formats in practice). Bounded: cleared when it holds `capacity` prefixes. Thread-safe.
    private final class Cache: @unchecked Sendable {
        private let lock = NSLock()
        private var entries: [Key: SharedRulePrefix] = [:]
        private let capacity: Int

        init(capacity: Int) { self.capacity = capacity }

        func prefix(for bodies: [Expression], limits: CompileLimits) -> SharedRulePrefix {
            let key = Key(bodies: bodies)
            lock.lock()
            let cached = entries[key]
            lock.unlock()
            if let cached { return cached }
            let built = SharedRulePrefix.build(bodies, limits: limits)
            lock.lock()
            if entries.count >= capacity { entries.removeAll(keepingCapacity: true) }
            entries[key] = built
            lock.unlock()
            return built
        }

        /// Rule bodies as a key: equal when the bodies are, hashed by their count and each
        /// body's first few nodes. The cache holds a few combinations of the same lexemes and
        /// formats, told apart by those; hashing 64 nodes of each body (`Expression.hash`)
        /// cost ~4 k instructions a body at every grammar's build.
        private struct Key: Hashable {
            let bodies: [Expression]

            func hash(into hasher: inout Hasher) {
                hasher.combine(bodies.count)
                for body in bodies { body.hash(into: &hasher, nodes: 8) }
            }
        }
    }

    private static func build(_ bodies: [Expression], limits: CompileLimits) -> SharedRulePrefix {
        var builder = NFABuilder(grammar: Grammar(.empty), limits: limits)
        var sharedLimits = limits
        // Bodies whose NFA or unminimized automaton is larger are not tried further.
        sharedLimits.maxNFAStates = min(limits.maxNFAStates, maxAttemptStates)
        sharedLimits.maxRegularStates = min(limits.maxRegularStates, maxAttemptStates)
        sharedLimits.maxClosureVisits = min(limits.maxClosureVisits, maxAttemptVisits)
        var rules: [(body: Int, start: Int32, final: Int32)] = []
        for (index, body) in bodies.enumerated() {
            guard body.referencedRules.isEmpty,
                  let automaton = RegularAutomatonCache.shared.minimalSplicedAutomaton(for: body, limits: sharedLimits),
                  automaton.stateCount > 0, automaton.stateCount <= maxStates
            else { continue }
            builder.currentRule = Int32(rules.count)
            guard let start = try? builder.newState(), let final = try? builder.newState(),
                  (try? builder.splice(automaton, from: start, to: final)) != nil
            else { break }
            rules.append((index, start, final))
        }
        return SharedRulePrefix(builder, rules: rules)
    }
}
