import Grammar

/// The lazily built deterministic automaton of a grammar: its states ("configurations") are
/// sets of call stacks of the pushdown `ByteNFA`, created the first time a byte leads to them.
///
/// * A *stack node* is a pair (NFA state, parent node), hash-consed, so a whole call stack is
///   one `Int32`. A configuration is the sorted set of stacks whose top state reads bytes
///   (its *kernel*), plus whether the document may end there; configurations are hash-consed
///   too, so the matcher's state is one `Int32`.
/// * `transitions[config << 8 | byte]` caches each step: a configuration id, `dead` (-1) or
///   `unknown` (-2). Regular grammars end up as a plain DFA; recursive ones as a DFA over the
///   stacks actually reached.
/// * The NFA is pruned first, so every configuration other than `dead` has a completion.
///
/// Not thread-safe: `CompiledGrammar` serializes access.
public final class ConfigurationSpace {
    /// The transition value for a step that leaves the language.
    public static let dead: Int32 = -1
    /// The transition value for a step not computed yet.
    public static let unknown: Int32 = -2

    let nfa: ByteNFA
    let limits: CompileLimits

    private var nodeState: [Int32] = []
    private var nodeParent: [Int32] = []
    private var nodeDepth: [Int32] = []
    private var nodeIndex: [UInt64: Int32] = [:]

    private var kernels: [[Int32]] = []
    private var configIndex: [[Int32]: Int32] = [:]
    /// Whether the output may end in each configuration.
    public private(set) var accepting: [Bool] = []
    /// The step cache: 256 entries per configuration.
    public private(set) var transitions: [Int32] = []
    /// Set when `maxConfigurations` was reached; steps then fail closed (as dead).
    public private(set) var exhausted = false

    /// The configuration the output starts in.
    public private(set) var initial: Int32 = -1

    private lazy var completion = CompletionDistance(nfa)

    /// Builds the space for an already pruned NFA.
    init(nfa: ByteNFA, limits: CompileLimits) {
        self.nfa = nfa
        self.limits = limits
        let root = nfa.rules[Int(nfa.root)]
        initial = intern(close([node(root.start, parent: -1)]))
    }

    /// The number of configurations created so far.
    public var count: Int { accepting.count }

    /// The number of stack nodes created so far.
    public var stackNodeCount: Int { nodeState.count }

    /// Approximate bytes held by the space's tables.
    public var memoryBytes: Int {
        transitions.count * 4 + nodeState.count * 12 + nodeIndex.count * 16
            + kernels.reduce(0) { $0 + $1.count * 4 + 32 } * 2
    }

    private func node(_ state: Int32, parent: Int32) -> Int32 {
        let key = UInt64(UInt32(bitPattern: state)) << 32 | UInt64(UInt32(bitPattern: parent))
        if let id = nodeIndex[key] { return id }
        let id = Int32(nodeState.count)
        nodeState.append(state)
        nodeParent.append(parent)
        nodeDepth.append(parent < 0 ? 1 : nodeDepth[Int(parent)] + 1)
        nodeIndex[key] = id
        return id
    }

    /// The closure of a set of stack nodes under ε moves, calls and returns.
    private func close(_ seeds: [Int32]) -> (kernel: [Int32], accepting: Bool) {
        var visited = Set<Int32>()
        var work = seeds
        var kernel: [Int32] = []
        var accepts = false
        while let n = work.popLast() {
            guard visited.insert(n).inserted else { continue }
            let s = nodeState[Int(n)], p = nodeParent[Int(n)]
            let state = nfa.states[Int(s)]
            if !state.byteEdges.isEmpty { kernel.append(n) }
            for t in state.epsilonEdges { work.append(node(t, parent: p)) }
            if !state.callEdges.isEmpty, nodeDepth[Int(n)] < Int32(limits.maxStackDepth) {
                for call in state.callEdges {
                    let returnNode = node(call.returnTarget, parent: p)
                    work.append(node(nfa.rules[Int(call.rule)].start, parent: returnNode))
                }
            }
            if nfa.rules[Int(state.rule)].final == s {
                if p < 0 { accepts = true } else { work.append(p) }
            }
        }
        kernel.sort()
        return (kernel, accepts)
    }

    private func intern(_ closure: (kernel: [Int32], accepting: Bool)) -> Int32 {
        if closure.kernel.isEmpty && !closure.accepting { return ConfigurationSpace.dead }
        var key = closure.kernel
        key.append(closure.accepting ? -1 : -2)
        if let id = configIndex[key] { return id }
        guard accepting.count < limits.maxConfigurations else {
            exhausted = true
            return ConfigurationSpace.dead
        }
        let id = Int32(accepting.count)
        configIndex[key] = id
        kernels.append(closure.kernel)
        accepting.append(closure.accepting)
        transitions.append(contentsOf: repeatElement(ConfigurationSpace.unknown, count: 256))
        return id
    }

    /// The configuration after reading `byte` in `config` (computed and cached on first use).
    @inline(__always)
    public func step(_ config: Int32, _ byte: UInt8) -> Int32 {
        let cached = transitions[Int(config) << 8 | Int(byte)]
        if cached != ConfigurationSpace.unknown { return cached }
        return computeStep(config, byte)
    }

    /// Computes and caches a step.
    @inline(never)
    public func computeStep(_ config: Int32, _ byte: UInt8) -> Int32 {
        var seeds: [Int32] = []
        for n in kernels[Int(config)] {
            let parent = nodeParent[Int(n)]
            for e in nfa.states[Int(nodeState[Int(n)])].byteEdges where e.low <= byte && byte <= e.high {
                seeds.append(node(e.target, parent: parent))
            }
        }
        let next = seeds.isEmpty ? ConfigurationSpace.dead : intern(close(seeds))
        transitions[Int(config) << 8 | Int(byte)] = next
        return next
    }

    /// The fewest bytes that complete a document from `config` (0 when it may end here).
    public func completionLength(_ config: Int32) -> Int {
        if config < 0 { return .max }
        if accepting[Int(config)] { return 0 }
        var best = Int.max
        for n in kernels[Int(config)] {
            var total = 0
            var node = n
            while node >= 0 {
                total += Int(completion.distance[Int(nodeState[Int(node)])])
                node = nodeParent[Int(node)]
            }
            best = min(best, total)
        }
        return best
    }

    /// Runs `bytes` from `config`; `dead` as soon as one is rejected.
    public func run<C: Collection<UInt8>>(_ bytes: C, from config: Int32) -> Int32 {
        var c = config
        for b in bytes {
            c = step(c, b)
            if c < 0 { return c }
        }
        return c
    }

    /// Sets in `words` the bit of every token of `trie` that `config` can read (a step that
    /// is not dead), and returns how many tokens that is. `words` must be zeroed and hold at
    /// least one bit per token id.
    public func fillAllowed(_ config: Int32, trie: TokenTrie, into words: UnsafeMutablePointer<UInt32>) -> Int {
        var allowed = 0
        var stack = [Int32](repeating: 0, count: trie.maxDepth + 1)
        stack[0] = config
        var i = 1
        let n = trie.nodeCount
        trie.byte.withUnsafeBufferPointer { bytes in
        trie.depth.withUnsafeBufferPointer { depths in
        trie.subtreeEnd.withUnsafeBufferPointer { ends in
        trie.tokenStart.withUnsafeBufferPointer { starts in
        trie.tokenIDs.withUnsafeBufferPointer { ids in
        stack.withUnsafeMutableBufferPointer { stack in
            while i < n {
                // Fast loop over cached transitions; leaves to compute a missing one.
                let pending: Int = transitions.withUnsafeBufferPointer { table in
                    while i < n {
                        let d = Int(depths[i])
                        let next = table[Int(stack[d - 1]) << 8 | Int(bytes[i])]
                        if next == ConfigurationSpace.unknown { return i }
                        if next < 0 {
                            i = Int(ends[i])
                            continue
                        }
                        stack[d] = next
                        var t = Int(starts[i])
                        let tEnd = Int(starts[i + 1])
                        while t < tEnd {
                            let id = Int(ids[t])
                            words[id >> 5] |= 1 << UInt32(id & 31)
                            t += 1
                        }
                        allowed += tEnd - Int(starts[i])
                        i += 1
                    }
                    return -1
                }
                if pending >= 0 {
                    _ = computeStep(stack[Int(depths[pending]) - 1], bytes[pending])
                }
            }
        }}}}}}
        return allowed
    }
}

extension ConfigurationSpace {
    /// Compiles `grammar` to its pushdown NFA, prunes dead ends, rejects left recursion, and
    /// returns the (lazily built) configuration space.
    public static func compile(_ grammar: Grammar, limits: CompileLimits = .init()) throws(GrammarError) -> ConfigurationSpace {
        var nfa = try NFABuilder.build(grammar, limits: limits)
        try GrammarAnalysis.prune(&nfa)
        try GrammarAnalysis.checkLeftRecursion(nfa)
        return ConfigurationSpace(nfa: nfa, limits: limits)
    }

    /// The number of NFA states and rules the grammar compiled to.
    public var nfaStateCount: Int { nfa.states.count }
    /// The number of rules.
    public var ruleCount: Int { nfa.rules.count }
}
