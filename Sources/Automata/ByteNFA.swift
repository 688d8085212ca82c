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

    /// One state's outgoing edges.
    public struct State: Sendable {
        public var byteEdges: [ByteEdge] = []
        public var epsilonEdges: [Int32] = []
        public var callEdges: [CallEdge] = []
        /// The rule whose fragment holds the state.
        public var rule: Int32
        /// Whether every plain-text string (see `PlainTextSlices`) read from this state keeps
        /// the output alive: known for states of determinized regular parts.
        public var acceptsAllPlainText = false
    }

    /// All states; `Int32` indices.
    public internal(set) var states: [State]
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

    /// Bytes held by the states and their edge lists (array storage included; edge lists shared
    /// with a `SharedRulePrefix` are counted too, as if this automaton owned them).
    public var memoryBytes: Int {
        var bytes = states.count * MemoryLayout<State>.stride + ByteNFA.arrayHeaderBytes
        // The prefix's edge lists were measured once, when it was built.
        let shared = sharedPrefix.map { $0.states.count == sharedStateCount ? sharedStateCount : 0 } ?? 0
        if shared > 0 { bytes += sharedPrefix!.edgeListBytes }
        bytes += ByteNFA.edgeListBytes(states[shared...])
        return bytes + rules.count * (MemoryLayout<(String, Int32, Int32)>.stride + 16)
    }

    /// Bytes counted for an array's storage beside its elements.
    static let arrayHeaderBytes = 32

    /// Bytes of the edge lists of `states` (array storage included), as `memoryBytes` counts them.
    static func edgeListBytes(_ states: ArraySlice<State>) -> Int {
        var bytes = 0
        for state in states {
            if !state.byteEdges.isEmpty { bytes += arrayHeaderBytes + state.byteEdges.count * MemoryLayout<ByteEdge>.stride }
            if !state.epsilonEdges.isEmpty { bytes += arrayHeaderBytes + state.epsilonEdges.count * MemoryLayout<Int32>.stride }
            if !state.callEdges.isEmpty { bytes += arrayHeaderBytes + state.callEdges.count * MemoryLayout<CallEdge>.stride }
        }
        return bytes
    }

    /// The counted regions (see `LengthCounter`), and the guard of each of their states.
    var counters = LengthGuards()
    /// The lazily built automata (`Expression.lazyAutomaton`), in the order they were built.
    var lazyRegions: [LazyRegion] = []

    /// Whether `state` is its rule's final state.
    @inlinable
    public func isFinal(_ state: Int32) -> Bool {
        rules[Int(states[Int(state)].rule)].final == state
    }
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
