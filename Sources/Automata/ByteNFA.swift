import Grammar

/// A nondeterministic automaton over bytes with rule calls: the compiled form of a `Grammar`.
///
/// Every rule owns a fragment with one start and one final state. Edges read a byte range,
/// move without input (ε), or *call* another rule: run the callee from its start to its final
/// state, then continue at the edge's return state. Recursion is therefore a call cycle, and
/// the automaton is a pushdown automaton whose stack holds return states.
public struct ByteNFA: Sendable {
    /// An edge reading one byte in `low...high`.
    public struct ByteEdge: Hashable, Sendable {
        public var low: UInt8
        public var high: UInt8
        public var target: Int32
    }

    /// An edge that runs rule `rule`, then continues at `returnTarget`.
    public struct CallEdge: Hashable, Sendable {
        public var rule: Int32
        public var returnTarget: Int32
    }

    /// Per state, the rule whose fragment holds it.
    public internal(set) var stateRules: [Int32]
    /// Per state, whether every plain-text string (see `PlainTextSlices`) read from it keeps
    /// the output alive: known for states of determinized regular parts.
    public internal(set) var acceptsAllPlainText: [Bool]
    /// Per state, its byte edges.
    var byteEdges: EdgeLists<ByteEdge>
    /// Per state, its ε edges (their targets).
    var epsilonEdges: EdgeLists<Int32>
    /// Per state, its call edges.
    var callEdges: EdgeLists<CallEdge>
    /// Per rule: its name, start and final state.
    public internal(set) var rules: [(name: String, start: Int32, final: Int32)]
    /// The index of the root rule.
    public internal(set) var root: Int32
    /// How many states, from the first, belong to shared rules (`SharedRulePrefix`): a closed
    /// part (no edge leaves or enters it, no call leaves it) whose states all lead to their
    /// rule's final state, so pruning leaves it as it is.
    public internal(set) var sharedStateCount = 0
    /// The process-wide prefix those states are a copy of, with the tables computed once for
    /// it (nil without shared rules).
    var sharedPrefix: SharedRulePrefix? = nil

    /// The number of states.
    public var stateCount: Int { stateRules.count }

    /// Adds a state of `rule` without edges.
    mutating func appendState(rule: Int32) {
        stateRules.append(rule)
        acceptsAllPlainText.append(false)
        byteEdges.appendState()
        epsilonEdges.appendState()
        callEdges.appendState()
    }

    /// Bytes held by the states and their edge lists, counted as when each state was a
    /// 32-byte record with an array per non-empty list (so that sizes and the budgets they feed
    /// are unchanged; the flat lists take less). The prefix's lists are counted too, as if this
    /// automaton owned them.
    public var memoryBytes: Int {
        var bytes = stateCount * ByteNFA.stateBytes + ByteNFA.arrayHeaderBytes
        // The prefix's edge lists were measured once, when it was built.
        let shared = sharedPrefix.map { $0.stateCount == sharedStateCount ? sharedStateCount : 0 } ?? 0
        if shared > 0 { bytes += sharedPrefix!.edgeListBytes }
        bytes += edgeListBytes(of: shared..<stateCount)
        return bytes + rules.count * (MemoryLayout<(String, Int32, Int32)>.stride + 16)
    }

    /// Bytes counted per state (see `memoryBytes`).
    static let stateBytes = 32

    /// Bytes counted for an array's storage beside its elements.
    static let arrayHeaderBytes = 32

    /// Bytes of the edge lists of `states`, as `memoryBytes` counts them.
    func edgeListBytes(of states: Range<Int>) -> Int {
        byteEdges.arrayBytes(of: states) + epsilonEdges.arrayBytes(of: states) + callEdges.arrayBytes(of: states)
    }

    /// The counted regions (see `LengthCounter`), and the guard of each of their states.
    var counters = LengthGuards()
    /// The lazily built automata (`Expression.lazyAutomaton`), in the order they were built.
    var lazyRegions: [LazyRegion] = []
    /// The spliced copies of trim automata (`SplicedAutomaton.isTrim`), in state order: pruning
    /// marks such a block live all at once when its exit is (see `TrimBlock`).
    var trimBlocks: [TrimBlock] = []

    /// Whether `state` is its rule's final state.
    public func isFinal(_ state: Int32) -> Bool {
        rules[Int(stateRules[Int(state)])].final == state
    }
}

/// The states `first..<first + count` of a `ByteNFA`, a spliced copy of a trim automaton
/// (`NFABuilder.splice`): their edges are byte edges among themselves and ε edges to `exit`,
/// the only edge into them is the ε edge to `first`, and each of them reaches an accepting
/// state. So each reaches `exit`, and they can reach their rule's final state exactly when
/// `exit` can: pruning marks them all live when it marks `exit`, without their reverse edges.
struct TrimBlock: Sendable {
    /// The first state (the automaton's start).
    var first: Int32
    /// The number of states.
    var count: Int32
    /// The state its accepting states continue at.
    var exit: Int32
}

/// Limits that keep compilation bounded in time and memory on hostile input.
public struct CompileLimits: Sendable, Hashable {
    /// The most NFA states a grammar may compile to.
    public var maxNFAStates: Int = 4_000_000
    /// The most DFA states one intersection or difference may build.
    public var maxRegularStates: Int = 200_000
    /// The deepest rule-call nesting the matcher follows (deeper pushes are cut off).
    public var maxStackDepth: Int = 1_000
    /// The most configurations the lazy automaton may create before it refuses more work,
    /// failing closed. A configuration's own tables take a few dozen bytes; its 1 KB row of the
    /// step cache is memory only until the cache is emptied (see `maxGrammarBytes`).
    public var maxConfigurations: Int = 500_000
    /// The most bytes one compiled grammar may hold: its automaton, the tables of its lazily
    /// built configurations, the rows of its step cache and its cached masks
    /// (`CompiledGrammar.Statistics.memoryBytes`). An automaton larger than this is a
    /// `limitExceeded` error. At run time the step cache is emptied whenever the space would
    /// pass it (steps are computed again as needed; configuration ids stay valid), masks beyond
    /// it are computed each time instead of cached, and only when the configurations' own tables
    /// pass it are further configurations refused as with `maxConfigurations`.
    public var maxGrammarBytes: Int = 512 << 20
    /// The most NFA states the ε-closures of one subset construction may visit (its work,
    /// which states alone do not bound); beyond, `limitExceeded`. Unbounded here; the attempts
    /// to share a rule's automaton across grammars bound it (`SharedRulePrefix`).
    var maxClosureVisits: Int = .max

    /// The default limits.
    public init() {}
}

/// An automaton too large to build (`Expression.lazyAutomaton`) between two NFA states.
///
/// `entry` stands for the automaton's start state and has no edges in the built NFA: the
/// `ConfigurationSpace` gives it its edges, and NFA states to the automaton states behind them,
/// when the output first reaches it. Accepting states move to `exit` without input.
struct LazyRegion: Sendable {
    /// The automaton.
    var automaton: LazyAutomaton
    /// The NFA state of its start state.
    var entry: Int32
    /// Where its accepting states continue.
    var exit: Int32
}
