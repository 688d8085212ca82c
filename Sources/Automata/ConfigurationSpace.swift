import Grammar
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// The lazily built deterministic automaton of a grammar: its states ("configurations") are
/// sets of call stacks of the pushdown `ByteNFA`, created the first time a byte leads to them.
///
/// * A *stack node* is a pair (NFA state, parent node), hash-consed, so a whole call stack is
///   one `Int32`. A configuration is the set of stacks whose top state reads bytes (its
///   *kernel*, kept in no particular order), plus whether the document may end there;
///   configurations are hash-consed too (by a hash that ignores the order), so the matcher's
///   state is one `Int32`.
/// * `transitions[config << rowShift | byteClass[byte]]` caches each step: a configuration id,
///   `dead` (-1) or `unknown` (-2) (bytes no edge tells apart share an entry). Regular grammars end up as a plain DFA; recursive ones as a DFA over the
///   stacks actually reached.
/// * The NFA is pruned first, so every configuration other than `dead` has a completion.
///
/// Not thread-safe: `CompiledGrammar` serializes access. For the same reason its tables opt out
/// of dynamic exclusivity checks (`@exclusivity(unchecked)`), which cost ~10% of mask time.
public final class ConfigurationSpace {
    /// The transition value for a step that leaves the language.
    public static let dead: Int32 = -1
    /// The transition value for a step not computed yet.
    public static let unknown: Int32 = -2

    /// The pruned NFA, and the states of its lazily built automata as the output reaches them.
    @exclusivity(unchecked) private(set) var nfa: ByteNFA
    let limits: CompileLimits
    /// How many states the NFA was built with; lazily built states come after.
    var builtStateCount: Int { lazyTables.builtStateCount }

    /// A stack node: the NFA state on top, the node below (-1 at the bottom), the stack's
    /// depth, and the node's closure once computed (`closure(of:)`), side by side: a step reads
    /// them together.
    private struct StackNode {
        var state: Int32
        var parent: Int32
        var depth: Int32
        /// The closure as a range of `closurePool` (start -1: not computed yet), and whether it
        /// accepts.
        var closureStart: Int32 = -1
        var closureCount: Int32 = 0
        var closureAccepts = false
    }

    /// The stack nodes, `nodeCount` of them (grown without copying: `UnmovedStorage`).
    @exclusivity(unchecked) private var nodes: UnmovedStorage<StackNode>
    @exclusivity(unchecked) private var nodeCount = 0

    /// The NFA state on top of stack node `n`.
    @inline(__always) func topState(of n: Int32) -> Int32 { nodes[Int(n)].state }
    /// The depth of stack node `n`'s stack.
    @inline(__always) func stackDepth(of n: Int32) -> Int32 { nodes[Int(n)].depth }
    /// The node below stack node `n` (-1 at the bottom).
    @inline(__always) func parent(of n: Int32) -> Int32 { nodes[Int(n)].parent }
    @exclusivity(unchecked) private var nodeIndex = IntegerMap()

    /// Kernels of all configurations, flattened: configuration `c` owns
    /// `kernelPool[kernelStart[c]..<kernelStart[c + 1]]` (no array object per configuration).
    @exclusivity(unchecked) var kernelPool: [Int32] = []
    @exclusivity(unchecked) private var kernelStart: [Int] = [0]
    /// `computeStep`'s kernel buffer (`stepKernelCapacity` entries), reused by every step.
    private var stepKernel = UnsafeMutablePointer<Int32>.allocate(capacity: 64)
    private var stepKernelCapacity = 64
    /// Configurations by a 64-bit hash of (kernel, accepting); collisions chain through `nextWithHash`.
    @exclusivity(unchecked) private var configByHash = IntegerMap()
    @exclusivity(unchecked) private var nextWithHash: [Int32] = []
    @exclusivity(unchecked) private(set) var closurePool: [Int32] = []
    /// `appendClosure`'s work list, reused.
    @exclusivity(unchecked) private var closeWork: [Int32] = []
    /// The nodes `appendClosure` has put in the closure it is building (no duplicates).
    private let closureMembers = StampedSet()
    /// The nodes `computeStep` (or `successorKernel`) has put in the kernel it is building, then
    /// the members of the kernel `intern` compares with a candidate.
    let kernelMembers = StampedSet()
    /// The deepest stack of each configuration's kernel.
    @exclusivity(unchecked) var configDepth: [Int32] = []
    /// Whether the output may end in each configuration.
    @exclusivity(unchecked) public private(set) var accepting: [Bool] = []
    /// The step cache: an entry per byte class and configuration, at an address that never
    /// changes (so that growing never stalls a mask for milliseconds as copying a large table
    /// would).
    @exclusivity(unchecked) private var transitions: TransitionRows
    /// The trie walk's configuration per depth, reused by every walk.
    @exclusivity(unchecked) private var walkStack = UnsafeMutablePointer<Int32>.allocate(capacity: 1)
    /// The class walk's `PlainText` state per depth (-1: the path leaves the class), reused.
    @exclusivity(unchecked) private var walkClassState = UnsafeMutablePointer<Int8>.allocate(capacity: 1)
    /// The class walk's path length per depth, in the class's unit, reused.
    @exclusivity(unchecked) private var walkClassLength = UnsafeMutablePointer<UInt16>.allocate(capacity: 1)
    @exclusivity(unchecked) private var walkStackCapacity = 1
    /// The walk's gate per depth, below a fanned-out node (`TokenTrie.FanOut`): the child
    /// bytes the node's configuration reads, the node's children by byte (an offset into
    /// `FanOut.children`) and the node's subtree end (the nodes of that depth before it are
    /// the node's children; 0: no gate).
    @exclusivity(unchecked) private var walkGateBytes = UnsafeMutablePointer<SIMD4<UInt64>>.allocate(capacity: 2)
    @exclusivity(unchecked) private var walkGateChildren = UnsafeMutablePointer<Int>.allocate(capacity: 2)
    @exclusivity(unchecked) private var walkGateEnd: UnsafeMutablePointer<Int> = {
        let ends = UnsafeMutablePointer<Int>.allocate(capacity: 2)
        ends.initialize(repeating: 0, count: 2)
        return ends
    }()
    /// The depths of `walkGateEnd` that walks may have set: past them, it holds 0.
    @exclusivity(unchecked) private var walkGatedDepths = 0
    /// Per configuration whose `readBytes` is known: the bytes its kernel's top states read.
    @exclusivity(unchecked) private var readByteSets: [SIMD4<UInt64>] = []
    @exclusivity(unchecked) private var readByteSetKnown: [Bool] = []
    /// Set when `maxConfigurations` was reached, or when the space's memory stayed past
    /// `maxGrammarBytes` with its step cache emptied; steps then fail closed (as dead).
    @exclusivity(unchecked) public private(set) var exhausted = false
    /// Rows of `transitions` written since the step cache was last emptied: the rows that
    /// hold memory.
    @exclusivity(unchecked) private var residentRows = 0
    /// Per configuration, the cache generation in which its row was last counted resident.
    @exclusivity(unchecked) private var rowGeneration: [UInt32] = []
    /// Bumped each time the step cache is emptied (`evictSteps`).
    @exclusivity(unchecked) private var stepGeneration: UInt32 = 0
    /// How many times the step cache was emptied to stay within `maxGrammarBytes`.
    public private(set) var stepCacheEvictions = 0

    /// Work done so far, for profiling: steps computed (cache misses of `step`), trie nodes
    /// visited by the `fillAllowed` functions, and their walks of a whole trie.
    @exclusivity(unchecked) public private(set) var work = (stepsComputed: 0, nodesVisited: 0, walks: 0)

    /// The configuration the output starts in.
    public private(set) var initial: Int32 = -1

    lazy var completion = CompletionDistance(nfa, stateCount: builtStateCount)

    /// Per-configuration facts about counted regions (see `ConfigurationSpace+Counters.swift`).
    @exclusivity(unchecked) var counterTables = CounterTables()

    /// Per configuration: how many bytes of plain text it surely accepts (-1: not computed).
    @exclusivity(unchecked) private var plainDepths: [Int32] = []
    /// Per configuration whose plain-text depth came from a search of its whole kernel (few:
    /// see `kernelPlainTextDepth`): the deepest stack that search met.
    @exclusivity(unchecked) private var kernelPlainDeepest: [Int32: Int32] = [:]
    /// Per stack node: how many bytes of plain text its stack alone surely accepts (-1: not computed).
    @exclusivity(unchecked) private var stackPlainDepths: [Int32] = []
    /// Per stack node whose plain-text depth is known: the deepest stack among the
    /// configurations its plain text reaches (within that depth).
    @exclusivity(unchecked) private var stackPlainDeepest: [Int32] = []
    /// Per NFA state: whether its byte edges read every plain-text first byte (-1: not computed).
    @exclusivity(unchecked) private var plainFirstByteCoverage: [Int8] = []
    /// Per NFA state and kernel stack: whether plain text reads bytes no JSON string reads (see
    /// `ConfigurationSpace+StringBytes.swift`).
    @exclusivity(unchecked) var stringFrameTables = StringFrameTables()
    /// Plain-text search scratch: the generation at which each (configuration, plain-text state)
    /// pair was last visited, at `config * PlainText.stateCount + state`.
    @exclusivity(unchecked) var plainVisitedAt: [UInt32] = []
    @exclusivity(unchecked) var plainGeneration: UInt32 = 0
    /// The most whitespace runs (`SpaceRuns`) of a plain token of the vocabulary the masks are
    /// for (`PlainTextSlices.mostSpaceRuns`): when set (before the first mask), plain-text
    /// depths count only the strings of at most that many runs (see
    /// `ConfigurationSpace+SpaceRuns.swift`). Unlimited by default.
    public var plainTextRunLimit = Int.max
    /// The caches of the run-limited plain-text searches.
    @exclusivity(unchecked) var spaceRunTables = SpaceRunTables()
    /// The text classes found so far (see `ConfigurationSpace+TextClasses.swift`).
    @exclusivity(unchecked) var textClassTables = TextClassTables()
    /// The whitespace each state and configuration reads (see `ConfigurationSpace+Whitespace.swift`).
    @exclusivity(unchecked) var whitespaceTables = WhitespaceTables()
    /// For each plain-text state, one byte per (byte class, next plain state) pair.
    private lazy var plainRepresentatives: [[(byte: UInt8, next: Int8)]] = {
        (0..<PlainText.stateCount).map { p in
            var seen = [Bool](repeating: false, count: 256 * PlainText.stateCount)
            var reps: [(UInt8, Int8)] = []
            for b in 0..<256 {
                let q = PlainText.next(Int8(p), UInt8(b))
                guard q >= 0 else { continue }
                let key = Int(byteClass[b]) * PlainText.stateCount + Int(q)
                if !seen[key] {
                    seen[key] = true
                    reps.append((UInt8(b), q))
                }
            }
            return reps
        }
    }()

    /// The class of each byte: bytes no NFA edge tells apart lead every configuration to the
    /// same place.
    let byteClass: [UInt8]

    /// The class of each byte (indexed by byte): bytes of one class step every configuration
    /// to the same place.
    public var byteClasses: [UInt8] { byteClass }
    /// `byteClass` for the step cache's lookups (256 entries).
    private let classOf: UnsafeMutablePointer<UInt8>

    /// Byte edges of all NFA states, flattened: state `s` owns `edges[edgeStart[s]..<edgeEnd[s]]`
    /// (lazily built states append theirs when they are built).
    @exclusivity(unchecked) var edgeStart: [Int32]
    @exclusivity(unchecked) var edgeEnd: [Int32]
    @exclusivity(unchecked) var edges: [ByteNFA.ByteEdge]
    /// The lazily built automata's states (see `LazyRegion` and `ConfigurationSpace+LazyRegions.swift`).
    @exclusivity(unchecked) var lazyTables: LazyRegionTables
    /// Each rule's start state.
    private let ruleStart: [Int32]
    /// Per NFA state, where its ε-summary starts in `summaries` (-1: not computed yet). A summary
    /// is `[kernelCount, kernel states…, callCount, (rule, returnTarget)…, reachesFinal]`: the
    /// states with byte edges, the call edges and whether the rule's final state are reachable
    /// from the state by ε moves alone.
    @exclusivity(unchecked) private var summaryOffset: [Int32]
    @exclusivity(unchecked) private(set) var summaries: [Int32] = []
    /// `computeSummary`'s work list and call list, reused.
    @exclusivity(unchecked) private var summaryWork: [Int32] = []
    @exclusivity(unchecked) private var summaryCalls: [Int32] = []
    /// Summary scratch: the generation at which each NFA state was last visited.
    @exclusivity(unchecked) private var summaryVisitedAt: [UInt32]
    @exclusivity(unchecked) private var summaryGeneration: UInt32 = 0
    /// Closure scratch: the stack nodes `appendClosure` has visited.
    private let closureVisited = StampedSet(capacity: 64)

    /// Builds the space for an already pruned NFA.
    init(nfa: ByteNFA, limits: CompileLimits) {
        self.nfa = nfa
        self.limits = limits
        // The shared prefix's part of the tables was computed once, with the prefix.
        let prefix = nfa.sharedPrefix.flatMap { $0.stateCount == nfa.sharedStateCount ? $0 : nil }
        let shared = prefix?.stateCount ?? 0
        var boundary = prefix?.classBoundaries ?? [Bool](repeating: false, count: 257)
        // The NFA's byte lists are laid out as the walks read them (state `s`'s edges at
        // `edges[edgeStart[s]..<edgeEnd[s]]`): taken as they are, only the grammar's own states'
        // byte ranges marked (and their live edges counted: pruning leaves gaps).
        let lists = nfa.byteEdges
        var liveEdges = prefix?.byteEdges.items.count ?? 0
        lists.withBuffers { lists in
            boundary.withUnsafeMutableBufferPointer { boundary in
                for s in shared..<nfa.stateCount {
                    for e in lists[s] {
                        boundary[Int(e.low)] = true
                        boundary[Int(e.high) + 1] = true
                    }
                    liveEdges += lists[s].count
                }
            }
        }
        let (edgeStart, edgeEnd, edges) = (lists.start, lists.end, lists.items)
        for region in nfa.lazyRegions {
            for byte in region.automaton.definition.alphabet {
                boundary[Int(byte)] = true
                boundary[Int(byte) + 1] = true
            }
        }
        var byteClass = [UInt8](repeating: 0, count: 256)
        var current = 0
        for b in 0..<256 {
            if b > 0, boundary[b] { current += 1 }
            byteClass[b] = UInt8(truncatingIfNeeded: current)
        }
        self.byteClass = byteClass
        classOf = .allocate(capacity: 256)
        classOf.initialize(from: byteClass, count: 256)
        var rowShift = 0
        while 1 << rowShift <= current { rowShift += 1 }
        // `intern` creates at most `maxConfigurations` configurations; ids are `Int32`, and
        // a row's entries hold them plus 2. Rows past `maxGrammarBytes` are evicted, not refused.
        transitions = TransitionRows(maxRows: min(limits.maxConfigurations, Int(Int32.max) - 2), rowShift: rowShift)
        self.edgeStart = edgeStart
        self.edgeEnd = edgeEnd
        self.edges = edges
        lazyTables = LazyRegionTables(nfa)
        self.summaryOffset = [Int32](repeating: -1, count: nfa.stateCount)
        self.summaryVisitedAt = [UInt32](repeating: 0, count: nfa.stateCount)
        nfaBytes = nfa.memoryBytes + liveEdges * MemoryLayout<ByteNFA.ByteEdge>.stride + edgeStart.count * 8
            + nfa.stateCount * 8 + 256
        self.ruleStart = nfa.rules.map(\.start)
        nodes = UnmovedStorage(capacity: 64, maxCount: limits.maxGrammarBytes / MemoryLayout<StackNode>.stride)
        let root = nfa.rules[Int(nfa.root)]
        initial = internClosure(of: node(root.start, parent: -1))
    }

    deinit {
        walkStack.deallocate()
        stepKernel.deallocate()
        classOf.deallocate()
        walkClassState.deallocate()
        walkClassLength.deallocate()
        walkGateBytes.deallocate()
        walkGateChildren.deallocate()
        walkGateEnd.deallocate()
    }

    /// The number of configurations created so far.
    public var count: Int { accepting.count }

    /// The number of stack nodes created so far.
    public var stackNodeCount: Int { nodeCount }

    /// The stacks of all configurations' kernels, summed: how wide the configurations built
    /// so far are (each step from a configuration scans its kernel).
    public var kernelStackCount: Int { kernelPool.count }

    /// Approximate bytes held by the space: the NFA and its flattened edges, the tables of
    /// configurations and stack nodes built so far, and the rows of the step cache written
    /// since it was last emptied (an entry per byte class each).
    public var memoryBytes: Int {
        nfaBytes + residentRows * transitions.rowBytes + accepting.count * 24 + nodeCount * MemoryLayout<StackNode>.stride + nodeIndex.count * 16
            + kernelPool.count * 4 + kernelStart.count * 8 + closurePool.count * 4 + configByHash.count * 16
            + summaries.count * 4 + lazyTables.memoryBytes + whitespaceTables.memoryBytes + readByteSets.count * 33
            + stringFrameTables.memoryBytes
    }

    /// Bytes of the NFA, its flattened edges and per-state tables (fixed at creation).
    private let nfaBytes: Int

    /// The stack node with `state` on top of `parent` (created if new).
    func node(_ state: Int32, parent: Int32) -> Int32 {
        let key = UInt64(UInt32(bitPattern: state)) << 32 | UInt64(UInt32(bitPattern: parent))
        if let id = nodeIndex.value(for: key) { return id }
        let id = Int32(nodeCount)
        nodes.ensure(nodeCount + 1)
        nodes[nodeCount] = StackNode(state: state, parent: parent, depth: parent < 0 ? 1 : nodes[Int(parent)].depth + 1)
        nodeCount += 1
        nodeIndex.set(id, for: key)
        return id
    }

    /// Adds an NFA state, without edges, for a state of a lazily built automaton in `rule`.
    func appendLazyNFAState(rule: Int32) -> Int32 {
        let id = Int32(nfa.stateCount)
        nfa.appendState(rule: rule)
        summaryOffset.append(-1)
        summaryVisitedAt.append(0)
        edgeStart.append(0)
        edgeEnd.append(0)
        return id
    }

    /// Gives `state` of a lazily built automaton its edges, before its ε-summary is first
    /// needed (see `ConfigurationSpace+LazyRegions.swift`).
    private func buildLazyState(_ state: Int32) {
        let (byteEdges, exit) = lazyEdges(of: state)
        nfa.byteEdges.append(contentsOf: byteEdges, to: Int(state))
        if let exit { nfa.epsilonEdges.append(contentsOf: CollectionOfOne(exit), to: Int(state)) }
        edgeStart[Int(state)] = Int32(edges.count)
        edges += byteEdges
        edgeEnd[Int(state)] = Int32(edges.count)
    }

    /// Whether `state` can only return from its rule: its ε-summary reads no byte, calls no
    /// rule and reaches the rule's end.
    private func returnsAtOnce(_ state: Int32) -> Bool {
        let i = summary(state)
        return summaries[i] == 0 && summaries[i + 1] == 0 && summaries[i + 2] != 0
    }

    /// The parts of an ε-summary in `summaries` (the layout is `summaryOffset`'s), as offsets
    /// into `summaries`.
    struct SummaryParts {
        /// The offsets of its kernel states.
        let kernel: Range<Int>
        /// The offsets of the rules it calls (each followed by the call's return target).
        let calls: StrideTo<Int>
        /// Whether the rule's end is reachable by ε moves alone.
        let reachesEnd: Bool

        /// The parts of the summary at offset `start` of `summaries`.
        @inline(__always)
        init(_ summaries: [Int32], at start: Int) {
            kernel = (start + 1)..<(start + 1 + Int(summaries[start]))
            let callCount = Int(summaries[kernel.upperBound])
            let callStart = kernel.upperBound + 1
            calls = stride(from: callStart, to: callStart + 2 * callCount, by: 2)
            reachesEnd = summaries[callStart + 2 * callCount] != 0
        }
    }

    /// The parts of the ε-summary of `state` (computed first when needed).
    @inline(__always)
    func summaryParts(of state: Int32) -> SummaryParts {
        let start = summary(state)   // before `summaries` is read: computing it appends to it
        return SummaryParts(summaries, at: start)
    }

    /// The ε-summary of NFA state `state` (computed on first use), as an offset into `summaries`.
    @inline(__always)
    func summary(_ state: Int32) -> Int {
        let known = summaryOffset[Int(state)]
        if known >= 0 { return Int(known) }
        return computeSummary(state)
    }

    /// Computes the ε-summary of `state` into `summaries` (see `summaryOffset`).
    @inline(never)
    private func computeSummary(_ state: Int32) -> Int {
        summaryGeneration &+= 1
        if summaryGeneration == 0 {
            summaryVisitedAt = [UInt32](repeating: 0, count: summaryVisitedAt.count)
            summaryGeneration = 1
        }
        summaryVisitedAt[Int(state)] = summaryGeneration
        // The kernel states go straight into `summaries` after their count; the calls, which
        // follow them, wait in a reused list (as does the work list).
        var stack = summaryWork, calls = summaryCalls
        summaryWork = []
        summaryCalls = []
        stack.removeAll(keepingCapacity: true)
        calls.removeAll(keepingCapacity: true)
        stack.append(state)
        let offset = summaries.count
        summaries.append(0)
        var final = false
        let finalState = nfa.rules[Int(nfa.stateRules[Int(state)])].final
        while let t = stack.popLast() {
            if lazyTables.isUnbuilt(t) { buildLazyState(t) }
            if edgeStart[Int(t)] != edgeEnd[Int(t)] { summaries.append(t) }
            for c in nfa.callEdges[t] {
                calls.append(c.rule)
                calls.append(c.returnTarget)
            }
            if t == finalState { final = true }
            for u in nfa.epsilonEdges[t] where summaryVisitedAt[Int(u)] != summaryGeneration {
                summaryVisitedAt[Int(u)] = summaryGeneration
                stack.append(u)
            }
        }
        summaries[offset] = Int32(summaries.count - offset - 1)
        summaries.append(Int32(calls.count / 2))
        summaries += calls
        summaries.append(final ? 1 : 0)
        summaryOffset[Int(state)] = Int32(offset)
        summaryWork = stack
        summaryCalls = calls
        return offset
    }

    /// Appends to `closurePool` the closure of stack node `seed` under ε moves, calls and
    /// returns: the distinct nodes whose top state reads bytes. Returns whether the document may end.
    private func appendClosure(of seed: Int32) -> Bool {
        closureVisited.removeAll()
        var work = closeWork
        closeWork = []
        work.removeAll(keepingCapacity: true)
        work.append(seed)
        closureMembers.removeAll()
        var accepts = false
        let maxDepth = Int32(limits.maxStackDepth)
        while let n = work.popLast() {
            if !closureVisited.insert(n) { continue }
            let p = nodes[Int(n)].parent
            var i = summary(nodes[Int(n)].state)
            let kernelCount = Int(summaries[i])
            for k in 0..<kernelCount {
                let member = node(summaries[i + 1 + k], parent: p)
                if closureMembers.insert(member) { closurePool.append(member) }
            }
            i += 1 + kernelCount
            let callCount = Int(summaries[i])
            if callCount > 0, nodes[Int(n)].depth < maxDepth {
                for c in 0..<callCount {
                    let rule = summaries[i + 1 + 2 * c], returnTarget = summaries[i + 2 + 2 * c]
                    // A tail call (the caller only returns after it) returns straight to the
                    // caller's parent: right-linear rules then keep a constant stack depth
                    // instead of one frame per symbol read.
                    let parent = returnsAtOnce(returnTarget) ? p : node(returnTarget, parent: p)
                    work.append(node(ruleStart[Int(rule)], parent: parent))
                }
            }
            i += 1 + 2 * callCount
            if summaries[i] != 0 {
                if p < 0 { accepts = true } else { work.append(p) }
            }
        }
        closeWork = work
        return accepts
    }

    /// The kernel of `config`.
    func kernelRange(_ config: Int32) -> Range<Int> { kernelStart[Int(config)]..<kernelStart[Int(config) + 1] }

    /// A hash of a kernel (distinct nodes) and its accepting flag that does not depend on the
    /// kernel's order: a sum of the members' mixed bits.
    static func hash(_ kernel: UnsafeBufferPointer<Int32>, _ accepting: Bool) -> UInt64 {
        var sum: UInt64 = 0
        for x in kernel {
            var h = (UInt64(UInt32(bitPattern: x)) &+ 0x9E37_79B9_7F4A_7C15) &* 0xFF51_AFD7_ED55_8CCD
            h ^= h >> 32
            sum &+= h &* 0xC4CE_B9FE_1A85_EC53
        }
        var h = sum ^ UInt64(kernel.count) ^ (accepting ? 0x5555_0000_0000 : 0)
        h = (h ^ (h >> 29)) &* 0xBF58_476D_1CE4_E5B9
        return h ^ (h >> 32)
    }

    /// Whether configuration `candidate`'s kernel holds the same nodes as `kernel` (distinct
    /// nodes, in any order).
    private func sameKernel(_ candidate: Int32, _ kernel: UnsafeBufferPointer<Int32>, marked: inout Bool) -> Bool {
        let range = kernelRange(candidate)
        guard range.count == kernel.count else { return false }
        if !marked {
            kernelMembers.removeAll()
            for x in kernel { _ = kernelMembers.insert(x) }
            marked = true
        }
        for k in range where !kernelMembers.contains(kernelPool[k]) { return false }
        return true
    }

    /// The configuration of `kernel` (distinct nodes) and `isAccepting`, created if new.
    func intern(_ kernel: [Int32], accepting isAccepting: Bool) -> Int32 {
        kernel.withUnsafeBufferPointer { intern($0, accepting: isAccepting) }
    }

    /// The configuration of the closure of stack node `n` (`closure(of:)`), created if new.
    private func internClosure(of n: Int32) -> Int32 {
        let (start, count, accepts) = closure(of: n)
        return closurePool.withUnsafeBufferPointer {
            intern(UnsafeBufferPointer(rebasing: $0[start..<(start + count)]), accepting: accepts)
        }
    }

    /// The configuration of `kernel` (distinct nodes) and `isAccepting`, created if new.
    /// `membersMarked`: the kernel's nodes are exactly the members of `kernelMembers` already.
    private func intern(_ kernel: UnsafeBufferPointer<Int32>, accepting isAccepting: Bool, membersMarked: Bool = false) -> Int32 {
        if kernel.isEmpty && !isAccepting { return ConfigurationSpace.dead }
        let h = ConfigurationSpace.hash(kernel, isAccepting)
        let first = configByHash.value(for: h) ?? -1
        var candidate = first
        var marked = membersMarked
        while candidate >= 0 {
            if accepting[Int(candidate)] == isAccepting, sameKernel(candidate, kernel, marked: &marked) {
                return candidate
            }
            candidate = nextWithHash[Int(candidate)]
        }
        // The step cache is a cache: past the memory budget it is emptied (every step is
        // computed again when next needed) before any configuration is refused.
        var bytes = memoryBytes
        if bytes >= limits.maxGrammarBytes && residentRows > 0 {
            evictSteps()
            bytes = memoryBytes
        }
        guard accepting.count < limits.maxConfigurations, bytes < limits.maxGrammarBytes else {
            exhausted = true
            return ConfigurationSpace.dead
        }
        let id = Int32(accepting.count)
        nextWithHash.append(first)
        configByHash.set(id, for: h)
        kernelPool.append(contentsOf: kernel)
        kernelStart.append(kernelPool.count)
        accepting.append(isAccepting)
        var depth: Int32 = 0
        for n in kernel { depth = max(depth, nodes[Int(n)].depth) }
        configDepth.append(depth)
        transitions.initializeRow(Int(id))
        rowGeneration.append(stepGeneration)
        residentRows += 1
        return id
    }

    /// Counts `config`'s row resident before a step is written into it, first emptying the
    /// cache when one more row would take the space past `maxGrammarBytes`.
    private func noteRowWritten(_ config: Int32) {
        guard rowGeneration[Int(config)] != stepGeneration else { return }
        if memoryBytes + transitions.rowBytes > limits.maxGrammarBytes && residentRows > 0 { evictSteps() }
        rowGeneration[Int(config)] = stepGeneration
        residentRows += 1
    }

    /// Empties the step cache: every row reads `unknown` again and gives its memory back.
    /// Configurations keep their ids, so matchers and the tables keyed by configuration are
    /// unaffected; only steps are computed again.
    private func evictSteps() {
        transitions.evictAll()
        stepGeneration &+= 1
        residentRows = 0
        stepCacheEvictions += 1
    }

    /// The closure of one stack node (memoized): a range of `closurePool` and whether it accepts.
    func closure(of n: Int32) -> (start: Int, count: Int, accepts: Bool) {
        if nodes[Int(n)].closureStart < 0 {
            let start = closurePool.count
            let accepts = appendClosure(of: n)
            nodes[Int(n)].closureStart = Int32(start)
            nodes[Int(n)].closureCount = Int32(closurePool.count - start)
            nodes[Int(n)].closureAccepts = accepts
        }
        let info = nodes[Int(n)]
        return (Int(info.closureStart), Int(info.closureCount), info.closureAccepts)
    }

    /// The configuration after reading `byte` in `config` (computed and cached on first use).
    @inline(__always)
    public func step(_ config: Int32, _ byte: UInt8) -> Int32 {
        let cached = transitions.base[Int(config) &<< transitions.rowShift | Int(classOf[Int(byte)])]
        if cached != 0 { return TransitionRows.decoded(cached) }
        return computeStep(config, byte)
    }

    /// Computes and caches a step.
    @inline(never)
    public func computeStep(_ config: Int32, _ byte: UInt8) -> Int32 {
        work.stepsComputed += 1
        // The closure distributes over its seeds, so it is the union of each seed's memoized
        // closure. Meanwhile find the widest byte range around `byte` that no edge of this
        // configuration splits: every byte in it leads to the same place.
        var size = 0
        kernelMembers.removeAll()
        var accepts = false
        var seeded = false
        var low = 0, high = 255
        let b = Int(byte)
        for k in kernelRange(config) {
            let n = kernelPool[k]
            let parent = nodes[Int(n)].parent
            let state = Int(nodes[Int(n)].state)
            for e in Int(edgeStart[state])..<Int(edgeEnd[state]) {
                let edge = edges[e]
                let l = Int(edge.low), h = Int(edge.high)
                if h < b {
                    low = max(low, h + 1)
                } else if l > b {
                    high = min(high, l - 1)
                } else {
                    low = max(low, l)
                    high = min(high, h)
                    seeded = true
                    let (start, count, seedAccepts) = closure(of: node(edge.target, parent: parent))
                    // Element by element, keeping each node once (the union of the seeds'
                    // closures, in no particular order: the kernel is not sorted).
                    if size + count > stepKernelCapacity { growStepKernel(toHold: size + count) }
                    for k in start..<(start + count) where kernelMembers.insert(closurePool[k]) {
                        stepKernel[size] = closurePool[k]
                        size += 1
                    }
                    accepts = accepts || seedAccepts
                }
            }
        }
        var next = ConfigurationSpace.dead
        if seeded { next = intern(UnsafeBufferPointer(start: stepKernel, count: size), accepting: accepts, membersMarked: true) }
        noteRowWritten(config)
        // No edge splits a class: `low` starts one and `high` ends one.
        let row = Int(config) &<< transitions.rowShift
        let table = transitions.base
        let entry = TransitionRows.encoded(next)
        for member in Int(classOf[low])...Int(classOf[high]) { table[row | member] = entry }
        return next
    }

    /// What `byte` leads the stacks of `kernel` to, found as `computeStep` finds it but without
    /// making a configuration: the distinct nodes of the next kernel are appended to `next`
    /// (and are the members of `kernelMembers` afterwards); returns whether the output may end
    /// there, or nil when no stack reads `byte` (a dead step).
    func successorKernel(of kernel: ArraySlice<Int32>, _ byte: UInt8, into next: inout [Int32]) -> Bool? {
        kernelMembers.removeAll()
        var accepts = false, seeded = false
        for n in kernel {
            let parent = nodes[Int(n)].parent
            let state = Int(nodes[Int(n)].state)
            for e in Int(edgeStart[state])..<Int(edgeEnd[state]) where edges[e].low <= byte && byte <= edges[e].high {
                seeded = true
                let (start, count, seedAccepts) = closure(of: node(edges[e].target, parent: parent))
                for k in start..<(start + count) where kernelMembers.insert(closurePool[k]) { next.append(closurePool[k]) }
                accepts = accepts || seedAccepts
            }
        }
        return seeded ? accepts : nil
    }

    /// Makes `stepKernel` hold at least `count` entries, keeping its contents.
    private func growStepKernel(toHold count: Int) {
        let capacity = max(2 * stepKernelCapacity, count)
        let grown = UnsafeMutablePointer<Int32>.allocate(capacity: capacity)
        grown.moveInitialize(from: stepKernel, count: stepKernelCapacity)
        stepKernel.deallocate()
        stepKernel = grown
        stepKernelCapacity = capacity
    }

    /// Sets in `words` the bits of the tokens ending at trie node `node` (`TokenTrie.tokenStart`
    /// and `tokenIDs` as `starts` and `ids`); returns how many they are.
    @inline(__always)
    static func setTokenBits(of node: Int, starts: UnsafeBufferPointer<Int32>, ids: UnsafeBufferPointer<Int32>,
                             in words: UnsafeMutablePointer<UInt32>) -> Int {
        let start = Int(starts[node]), end = Int(starts[node + 1])
        for t in start..<end {
            let id = Int(ids[t])
            words[id >> 5] |= 1 << UInt32(id & 31)
        }
        return end - start
    }

    /// Sets in `words` the bits of the tokens `ids[from..<to]` and, with `list`, lists them there
    /// from position `listed` on while they fit; returns how many they are.
    @inline(__always)
    static func setTokenBits(from: Int, to: Int, ids: UnsafeBufferPointer<Int32>, in words: UnsafeMutablePointer<UInt32>,
                             list: UnsafeMutableBufferPointer<Int32>?, listed: Int) -> Int {
        var position = listed
        for t in from..<to {
            let id = ids[t]
            words[Int(id) >> 5] |= 1 << UInt32(id & 31)
            if let list, position < list.count { list[position] = id }
            position += 1
        }
        return to - from
    }

    /// The bytes the top states of `config`'s kernel read (as the words of a `ByteBits`): every
    /// byte whose step from `config` is not dead is among them. Cached per configuration.
    @inline(__always)
    package func readBytes(_ config: Int32) -> SIMD4<UInt64> {
        if Int(config) < readByteSetKnown.count, readByteSetKnown[Int(config)] { return readByteSets[Int(config)] }
        return computeReadBytes(config)
    }

    /// Computes and caches `readBytes(config)`.
    @inline(never)
    private func computeReadBytes(_ config: Int32) -> SIMD4<UInt64> {
        var bits = ByteBits()
        for k in kernelRange(config) { bits.formUnion(edgeBytes(Int(nodes[Int(kernelPool[k])].state))) }
        if readByteSets.count < accepting.count {
            readByteSets.append(contentsOf: repeatElement(.zero, count: accepting.count - readByteSets.count))
            readByteSetKnown.append(contentsOf: repeatElement(false, count: accepting.count - readByteSetKnown.count))
        }
        readByteSets[Int(config)] = bits.words
        readByteSetKnown[Int(config)] = true
        return bits.words
    }

    /// How many bytes of plain text `plainTextDepth` searches at most by default.
    public static let plainSearchBytes = 16

    /// Counts a token-tree walk made outside `fillAllowed` (with a counter).
    func recordWalk(visited: Int) {
        work.nodesVisited += visited
        work.walks += 1
    }

    /// Calls `body` with the NFA state on top of each stack of `config`'s kernel.
    func forEachKernelState(_ config: Int32, _ body: (Int32) -> Void) {
        for k in kernelRange(config) { body(nodes[Int(kernelPool[k])].state) }
    }

    /// `config` without the stacks whose top state fails `keep` (`dead` when none is left).
    func restricted(_ config: Int32, keeping keep: (Int32) -> Bool) -> Int32 {
        let kernel = kernelPool[kernelRange(config)].filter { keep(nodes[Int($0)].state) }
        return intern(kernel, accepting: accepting[Int(config)])
    }

    /// The length up to which `config` accepts every plain-text string (see `PlainTextSlices`):
    /// every such string of at most that many bytes leads to a live configuration (with a
    /// `plainTextRunLimit`, every such string of at most that many whitespace runs: every plain
    /// token of the vocabulary).
    ///
    /// A configuration reads a string when one of its stacks does, so this is the largest such
    /// length over its stacks, each searched alone (`stackPlainTextDepth`) and cached per stack
    /// node. Searching the configuration as a whole would walk the product of its stacks: a free
    /// string beside a `date-time` would enumerate every date and time prefix of `maxSearch`
    /// bytes, thousands of configurations per mask. (Stacks that only jointly cover plain text
    /// are missed; their mask is then walked token by token, with the same result.) One such
    /// case is searched whole: with a small `plainTextRunLimit`, a kernel of several stacks
    /// that together read every plain first byte but the space and where a space ends a word
    /// (a word-count pattern's `\S` and `\s` in stacks of their own): its run-limited search
    /// visits the next word or two only (`kernelPlainTextDepth`).
    /// Cached per configuration.
    public func plainTextDepth(_ config: Int32, limit: Int, maxSearch: Int = plainSearchBytes) -> Int {
        if Int(config) < plainDepths.count, plainDepths[Int(config)] >= 0 { return Int(plainDepths[Int(config)]) }
        var best = 0
        for k in kernelRange(config) where best < limit {
            let n = kernelPool[k]
            best = max(best, stackPlainTextDepth(n, limit: limit, maxSearch: maxSearch))
        }
        if best < limit, let whole = kernelPlainTextDepth(config, limit: limit, maxSearch: maxSearch), whole.depth > best {
            best = whole.depth
            kernelPlainDeepest[config] = whole.deepestStack
        }
        if plainDepths.count < accepting.count {
            plainDepths.append(contentsOf: repeatElement(-1, count: accepting.count - plainDepths.count))
        }
        plainDepths[Int(config)] = Int32(best)
        return best
    }

    /// The run-limited search (`searchPlainTextDepth(_:limit:maxSearch:maxRuns:)`) of `config`'s
    /// whole kernel, when it has several stacks, a small `plainTextRunLimit` is set, its top
    /// states together read every plain first byte but the space, and a space ends a word
    /// there (`separatesWords`); else nil. Each stack alone of a word-count pattern refuses at
    /// the first byte (the word's `\S` the space, the run's `\s` a letter), while together
    /// they accept every plain token: the search of every plain string would instead follow
    /// `a a a …` into a new copy of the pattern per run, a configuration each.
    private func kernelPlainTextDepth(_ config: Int32, limit: Int, maxSearch: Int) -> (depth: Int, deepestStack: Int32)? {
        let kernel = kernelRange(config)
        guard kernel.count > 1, plainTextRunLimit < ConfigurationSpace.searchedRunLimit else { return nil }
        var read = ByteBits()
        read.insert(0x20)
        for k in kernel { read.formUnion(edgeBytes(Int(topState(of: kernelPool[k])))) }
        guard read.isSuperset(of: PlainText.firstBytes), separatesWords(config) else { return nil }
        return searchPlainTextDepth(config, limit: limit, maxSearch: maxSearch, maxRuns: plainTextRunLimit)
    }

    /// The length up to which the single stack `n` accepts every plain-text string.
    ///
    /// The search is breadth-first over (configuration, plain-text state) pairs from the
    /// configuration of that stack alone. When it runs out of new pairs, every plain string is
    /// accepted and the answer is `limit`; otherwise it stops at the first rejected byte, or at
    /// `maxSearch` bytes (counted strings, whose every position is a new configuration, would
    /// otherwise build hundreds of them here). With a small `plainTextRunLimit`, where a space
    /// ends a word (`separatesWords`), only the strings of at most that many whitespace runs are
    /// searched (every token is one of them). Cached per stack node.
    private func stackPlainTextDepth(_ n: Int32, limit: Int, maxSearch: Int) -> Int {
        if Int(n) < stackPlainDepths.count, stackPlainDepths[Int(n)] >= 0 { return Int(stackPlainDepths[Int(n)]) }
        var depth = 0
        // A regular part reads plain text within its own frame: no stack grows.
        var deepest = nodes[Int(n)].depth
        let state = Int(nodes[Int(n)].state)
        if nfa.acceptsAllPlainText[state] {
            depth = limit
        } else if readsEveryPlainFirstByte(state) {
            let single = intern([n], accepting: false)
            if single >= 0 {
                (depth, deepest) = plainTextRunLimit < ConfigurationSpace.searchedRunLimit && separatesWords(single)
                    ? searchPlainTextDepth(single, limit: limit, maxSearch: maxSearch, maxRuns: plainTextRunLimit)
                    : searchPlainTextDepth(single, limit: limit, maxSearch: maxSearch)
            }
        }
        if stackPlainDepths.count <= Int(n) {
            stackPlainDepths.append(contentsOf: repeatElement(-1, count: Int(n) + 1 - stackPlainDepths.count))
            stackPlainDeepest.append(contentsOf: repeatElement(0, count: Int(n) + 1 - stackPlainDeepest.count))
        }
        stackPlainDepths[Int(n)] = Int32(depth)
        stackPlainDeepest[Int(n)] = deepest
        return depth
    }

    /// Whether the byte edges of NFA state `state` read every byte a plain-text string may start
    /// with: otherwise a stack with that state on top accepts no plain text at all, known
    /// without building its configuration. Cached per state.
    private func readsEveryPlainFirstByte(_ state: Int) -> Bool {
        if plainFirstByteCoverage.count <= state {
            plainFirstByteCoverage.append(contentsOf: repeatElement(-1, count: nfa.stateCount - plainFirstByteCoverage.count))
        }
        if plainFirstByteCoverage[state] >= 0 { return plainFirstByteCoverage[state] == 1 }
        let reads = edgeBytes(state).isSuperset(of: PlainText.firstBytes)
        plainFirstByteCoverage[state] = reads ? 1 : 0
        return reads
    }

    /// The deepest stack among the configurations that the plain text of `config`'s slice
    /// (`plainTextDepth`) reaches.
    public func plainTextDeepestStack(_ config: Int32, limit: Int) -> Int {
        _ = plainTextDepth(config, limit: limit)
        var deepest = Int(kernelPlainDeepest[config] ?? 0)
        for k in kernelRange(config) {
            let n = kernelPool[k]
            _ = stackPlainTextDepth(n, limit: limit, maxSearch: ConfigurationSpace.plainSearchBytes)
            deepest = max(deepest, Int(stackPlainDeepest[Int(n)]))
        }
        return deepest
    }

    /// The breadth-first search of `stackPlainTextDepth` from `config`, and the deepest stack
    /// of the configurations it visited.
    private func searchPlainTextDepth(_ config: Int32, limit: Int, maxSearch: Int) -> (depth: Int, deepestStack: Int32) {
        plainGeneration &+= 1
        if plainGeneration == 0 {
            plainVisitedAt = [UInt32](repeating: 0, count: plainVisitedAt.count)
            plainGeneration = 1
        }
        let stateCount = PlainText.stateCount
        /// Marks a pair visited; false when it already was.
        func visit(_ c: Int32, _ p: Int8) -> Bool {
            let slot = Int(c) * stateCount + Int(p)
            if slot >= plainVisitedAt.count {
                plainVisitedAt.append(contentsOf: repeatElement(0, count: max(slot + 1 - plainVisitedAt.count, plainVisitedAt.count)))
            }
            if plainVisitedAt[slot] == plainGeneration { return false }
            plainVisitedAt[slot] = plainGeneration
            return true
        }
        let representatives = plainRepresentatives
        var level: [(config: Int32, plain: Int8)] = [(config, 0)]
        _ = visit(config, 0)
        var next: [(config: Int32, plain: Int8)] = []
        var depth = 0
        var deepest = configDepth[Int(config)]
        explore: while !level.isEmpty && depth < min(limit, maxSearch) {
            next.removeAll(keepingCapacity: true)
            for (c, p) in level {
                for (byte, q) in representatives[Int(p)] {
                    let d = step(c, byte)
                    if d < 0 { break explore }
                    if visit(d, q) {
                        next.append((d, q))
                        deepest = max(deepest, configDepth[Int(d)])
                    }
                }
            }
            swap(&level, &next)
            depth += 1
        }
        return (level.isEmpty ? limit : depth, deepest)
    }

    /// The fewest bytes that complete a document from `config` (0 when it may end here).
    public func completionLength(_ config: Int32) -> Int {
        if config < 0 { return .max }
        if accepting[Int(config)] { return 0 }
        var best = Int.max
        for k in kernelRange(config) {
            let n = kernelPool[k]
            var total = 0
            var node = n
            while node >= 0 {
                total += completionDistance(of: nodes[Int(node)].state)
                node = nodes[Int(node)].parent
            }
            best = min(best, total)
        }
        return best
    }

    /// Runs `bytes` from `config`; `dead` as soon as one is rejected. Inlinable, so that
    /// callers in other modules (the run-time key checks run thousands of tokens per mask) get
    /// it specialized for their collection instead of iterating through generic witnesses.
    @inlinable
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
    /// With `whitespace` (`trie`'s whitespace subtrees), a subtree of whitespace runs is read
    /// off the trie when `config` reads exactly the runs up to some length (`whitespaceReach`).
    /// Walks without the fan-out gates (`TokenTrie.FanOut`): it serves the tokens outside a
    /// plain-text slice, inside strings, whose configurations read most bytes, so that the
    /// gates' compare at every visit would cost more than the visits they skip.
    public func fillAllowed(_ config: Int32, trie: TokenTrie, into words: UnsafeMutablePointer<UInt32>,
                            whitespace: TokenTrie.WhitespaceRuns? = nil) -> Int {
        var unused: [Int32] = []
        return walk(config, trie: trie, below: 0, into: words, returns: &unused, recording: false, maxReturnWork: .max,
                    whitespace: whitespace, gates: false).allowed
    }

    /// `fillAllowed(_:trie:into:)` that also writes the allowed token ids, in trie order, to
    /// `list` while they fit: when the returned count is at most `list.count`, the list's first
    /// that many entries are exactly the tokens set (each token ends at one trie node, so a
    /// walk meets it once), and a short mask needs no scan of its words to be listed.
    public func fillAllowed(_ config: Int32, trie: TokenTrie, into words: UnsafeMutablePointer<UInt32>,
                            listingInto list: UnsafeMutableBufferPointer<Int32>, whitespace: TokenTrie.WhitespaceRuns? = nil) -> Int {
        var unused: [Int32] = []
        return walk(config, trie: trie, below: 0, into: words, returns: &unused, recording: false, maxReturnWork: .max,
                    list: list, whitespace: whitespace).allowed
    }

    /// `fillAllowed(_:trie:into:listingInto:)` for a configuration that accepts every string of
    /// `textClass` (see `textClass(_:limit:)`), leaving out the class's own tokens (the caller
    /// adds them from `TokenTrie.TextSummary.mask(of:trie:wordCount:)`): a subtree whose tokens
    /// are all in the class (`summary`, of `trie`) is passed over without a step.
    public func fillAllowed(_ config: Int32, trie: TokenTrie, taking textClass: TextClass, summary: TokenTrie.TextSummary,
                            into words: UnsafeMutablePointer<UInt32>, listingInto list: UnsafeMutableBufferPointer<Int32>) -> Int {
        var unused: [Int32] = []
        return walk(config, trie: trie, below: 0, into: words, returns: &unused, recording: false, maxReturnWork: .max,
                    list: list, taking: (textClass, summary)).allowed
    }

    /// The fewest trie nodes below a child of the root for it to be read as a plain child.
    static let plainChildMinNodes = 4096

    /// The bytes a plain child may have: printable ASCII (0x20–0x7E) but `"` and `\` (plain
    /// text, each a whole character), as the low two words of a `ByteBits`.
    static var plainChildBytes: SIMD2<UInt64> { SIMD2(0xFFFF_FFFB_0000_0000, 0x7FFF_FFFF_EFFF_FFFF) }

    /// `fillAllowed(_:trie:into:whitespace:)` of the whole trie for a configuration that reads
    /// one byte only, which leads to a configuration accepting every plain-text string of up
    /// to `limit` bytes (a key under `^schema `, a pattern's fixed prefix before free text):
    /// below that byte's child of the root (a *plain child*: a `plainChildBytes` byte with more
    /// than `plainChildMinNodes` nodes below it), every token whose bytes after the first are
    /// plain text is allowed, so its subtrees of plain tokens (`summary`) are set whole,
    /// without a step (`limit` must be at least the longest plain token). Returns nil, having
    /// set nothing, when `config` reads more bytes (as the kernel's top states tell; with up to
    /// four, every 64th trace's replay was 0.08 % slower: configurations after `,` or `{`
    /// reading a space among few bytes, each looked up for nothing) or the byte leads to no
    /// plain child. `summary` is asked for only then.
    public func fillAllowed(_ config: Int32, trie: TokenTrie, plainBelowFirstByte summary: () -> TokenTrie.TextSummary,
                            limit: Int, into words: UnsafeMutablePointer<UInt32>) -> Int? {
        let read = readBytes(config)
        // One byte read, of a plain child's kind (bit tests, no count of the bits).
        let low = SIMD2(read[0], read[1])
        guard read[2] | read[3] == 0, low & ConfigurationSpace.plainChildBytes == low,
              (low[0] == 0) != (low[1] == 0), low[0] & (low[0] &- 1) == 0, low[1] & (low[1] &- 1) == 0 else { return nil }
        let byte = low[0] != 0 ? low[0].trailingZeroBitCount : 64 + low[1].trailingZeroBitCount
        // The root's child with that byte (the root, with a child per byte, is fanned out).
        let slot = Int(trie.fanOut.slotOfNode[0])
        guard slot != 0, trie.fanOut.childBytes[slot - 1][byte >> 6] >> UInt64(byte & 63) & 1 != 0 else { return nil }
        let child = Int(trie.fanOut.children[(slot - 1) << 8 | byte])
        guard Int(trie.subtreeEnd[child]) - child > ConfigurationSpace.plainChildMinNodes else { return nil }
        let next = step(config, UInt8(byte))
        guard next >= 0, plainTextDepth(next, limit: limit) >= limit else { return nil }
        var unused: [Int32] = []
        let own = trie.tokenStart.withUnsafeBufferPointer { starts in
            trie.tokenIDs.withUnsafeBufferPointer { ids in ConfigurationSpace.setTokenBits(of: child, starts: starts, ids: ids, in: words) }
        }
        let below = walk(next, trie: trie, below: child, into: words, returns: &unused, recording: false, maxReturnWork: .max,
                         taking: (.allPlainText(maxBytes: limit), summary()), settingTaken: true).allowed
        work.nodesVisited += 1
        work.walks += 1
        return own + below
    }

    /// Sets in `words` the bit of every token of the subtree below trie node `root` (not
    /// `root`'s own tokens) whose bytes after `root`'s prefix `config` can read; returns how
    /// many bits it set or found set.
    public func fillAllowed(_ config: Int32, below root: Int, trie: TokenTrie, into words: UnsafeMutablePointer<UInt32>,
                            whitespace: TokenTrie.WhitespaceRuns? = nil) -> Int {
        var unused: [Int32] = []
        return walk(config, trie: trie, below: root, into: words, returns: &unused, recording: false, maxReturnWork: .max,
                    whitespace: whitespace).allowed
    }

    /// `fillAllowed` for a local configuration (see `kernelGroups`), which also appends to
    /// `returns` every trie node with tokens below it at which its frames may return (the step
    /// into the node leads to an accepting configuration), and returns the deepest stack any
    /// configuration of the walk holds. Stops early, with `returnWork` past `maxReturnWork`
    /// and `words` incomplete, once the trie nodes below the return nodes exceed it. With
    /// `textClass` (which `config` accepts, see `textClass(_:limit:)`), the class's tokens are
    /// left out as in `fillAllowed(_:trie:taking:summary:into:listingInto:)`: a return node
    /// inside a subtree of an open class only leads to tokens of the class, so nothing is lost
    /// by not recording it; a closed class must be one none of whose strings returns (its
    /// `mayReturn` false), so that no return node lies inside its subtrees.
    public func fillAllowedLocally(_ config: Int32, trie: TokenTrie, into words: UnsafeMutablePointer<UInt32>,
                                   returns: inout [Int32], maxReturnWork: Int,
                                   taking textClass: (TextClass, TokenTrie.TextSummary)? = nil,
                                   whitespace: TokenTrie.WhitespaceRuns? = nil)
        -> (allowed: Int, deepestStack: Int, returnWork: Int) {
        if let textClass {
            return walk(config, trie: trie, below: 0, into: words, returns: &returns, recording: true, maxReturnWork: maxReturnWork,
                        taking: textClass)
        }
        return walk(config, trie: trie, below: 0, into: words, returns: &returns, recording: true, maxReturnWork: maxReturnWork,
                    whitespace: whitespace)
    }

    /// `fillAllowedLocally` over the subtree below trie node `root` (not `root`'s own tokens,
    /// nor `root` as a return node), whose prefix `config` has been read.
    func fillAllowedLocally(_ config: Int32, below root: Int, trie: TokenTrie, into words: UnsafeMutablePointer<UInt32>,
                            returns: inout [Int32], maxReturnWork: Int) -> (allowed: Int, deepestStack: Int, returnWork: Int) {
        walk(config, trie: trie, below: root, into: words, returns: &returns, recording: true, maxReturnWork: maxReturnWork)
    }

    /// The walk of the `fillAllowed` functions: depth first over the subtree below `root`,
    /// skipping a whole subtree on a dead step (and, below a node with many children, the
    /// children whose bytes the configuration does not read: `TokenTrie.FanOut`); computes
    /// missing steps as it goes. With
    /// `taking` (a class `config` accepts, and the trie's summary), the class's tokens are left
    /// out: a subtree whose tokens are all in the class (or, for a closed class, all of its
    /// bytes, the longer ones refused) is passed over without a step. With `whitespace` (not
    /// with a class), a subtree of whitespace runs below a configuration that reads exactly the
    /// runs up to some length is read off the trie: its tokens up to that length, no step (no
    /// return node lies there: such a configuration's bottom frames do not end in a run).
    /// Without `gates`, every child of a fanned-out node is visited. With `settingTaken` (and
    /// a class, not closed, whose strings start below `root` at a character boundary), the
    /// class's tokens are set too: a subtree passed over, all in the class, is set whole.
    @inline(__always)
    private func walk(_ config: Int32, trie: TokenTrie, below root: Int, into words: UnsafeMutablePointer<UInt32>,
                      returns: inout [Int32], recording: Bool, maxReturnWork: Int,
                      list: UnsafeMutableBufferPointer<Int32>? = nil,
                      taking textClass: (TextClass, TokenTrie.TextSummary)? = nil, settingTaken: Bool = false,
                      whitespace: TokenTrie.WhitespaceRuns? = nil, gates: Bool = true)
        -> (allowed: Int, deepestStack: Int, returnWork: Int) {
        precondition(whitespace == nil || (textClass == nil && whitespace!.runs.count == trie.nodeCount))
        var returnWork = 0
        var allowed = 0
        var visited = 0
        var deepest = recording ? Int(configDepth[Int(config)]) : 0
        if walkStackCapacity <= trie.maxDepth {
            walkStack.deallocate()
            walkClassState.deallocate()
            walkClassLength.deallocate()
            walkGateBytes.deallocate()
            walkGateChildren.deallocate()
            walkGateEnd.deallocate()
            walkStackCapacity = trie.maxDepth + 1
            walkStack = .allocate(capacity: walkStackCapacity)
            walkClassState = .allocate(capacity: walkStackCapacity)
            walkClassLength = .allocate(capacity: walkStackCapacity)
            // One more: the gate of the children of a node at the deepest depth.
            walkGateBytes = .allocate(capacity: walkStackCapacity + 1)
            walkGateChildren = .allocate(capacity: walkStackCapacity + 1)
            walkGateEnd = .allocate(capacity: walkStackCapacity + 1)
            walkGateEnd.initialize(repeating: 0, count: walkStackCapacity + 1)
        }
        let stack = walkStack
        stack[Int(trie.depth[root])] = config
        // Below a fanned-out node, only the children whose bytes the node's configuration reads
        // are visited: the others' steps are dead, and a dead step sets no token (nor does a
        // whitespace run or a class's subtree whose first byte is not read).
        // A gate applies to the nodes of its depth before its end: set anew when a fanned-out
        // node is entered, it holds for that node's children only (the nodes of that depth
        // visited before are earlier in the trie). Gates of earlier walks are cleared.
        let fanOut = trie.fanOut
        let gateBytes = walkGateBytes, gateChildren = walkGateChildren, gateEnd = walkGateEnd
        let gatedDepth = gates ? fanOut.deepestNode : -1
        walkGatedDepths = max(walkGatedDepths, gatedDepth + 2)
        gateEnd.update(repeating: 0, count: walkGatedDepths)
        /// Gates the children of node `node`, entered with `config`, when the node is fanned
        /// out and `config` reads few of its children's bytes (a jump to the next child read
        /// costs about as much as a visit).
        @inline(__always) func gate(below node: Int, depth: Int, config: Int32) {
            let slot = Int(fanOut.slotOfNode[node])
            guard slot != 0 else { return }
            let children = fanOut.childBytes[slot - 1]
            let read = readBytes(config) & children
            if TokenTrie.FanOut.count(read) * TokenTrie.FanOut.sparseness <= TokenTrie.FanOut.count(children) {
                gateBytes[depth + 1] = read
                gateChildren[depth + 1] = (slot - 1) << 8
                gateEnd[depth + 1] = Int(trie.subtreeEnd[node])
            }
        }
        if Int(trie.depth[root]) <= gatedDepth { gate(below: root, depth: Int(trie.depth[root]), config: config) }
        // With a class: the `PlainText` state after each depth of the current path, -1 once a
        // byte of the path is out of the class; and the class's bytes.
        let classState = walkClassState
        let classLength = walkClassLength   // the path's length in the class's unit
        var classBytes = (UInt64(0), UInt64(0), UInt64(0), UInt64(0))
        if let (textClass, _) = textClass {
            classState[Int(trie.depth[root])] = 0
            classLength[Int(trie.depth[root])] = 0
            withUnsafeMutableBytes(of: &classBytes) { table in
                for b in 0..<256 where textClass.contains(UInt8(b)) { table[b >> 3] |= 1 << UInt8(b & 7) }
            }
        }
        // The class's plain text (of at most `maxRuns` whitespace runs).
        let plainTransitions = textClass?.0.plainTransitions ?? PlainText.transitionTable
        // Subtrees of the class's bytes with tokens up to this length are passed over (those
        // longer than the class are refused when it is closed).
        let skipLength = textClass.map { $0.0.closed ? 254 : $0.0.maxBytes } ?? 0
        var i = root + 1
        let n = Int(trie.subtreeEnd[root])
        trie.byte.withUnsafeBufferPointer { bytes in
        trie.depth.withUnsafeBufferPointer { depths in
        trie.subtreeEnd.withUnsafeBufferPointer { ends in
        trie.tokenStart.withUnsafeBufferPointer { starts in
        trie.tokenIDs.withUnsafeBufferPointer { ids in
        fanOut.slotOfNode.withUnsafeBufferPointer { slots in
        fanOut.children.withUnsafeBufferPointer { children in
        (textClass?.1.groupsBelow ?? []).withUnsafeBufferPointer { groupsBelow in
        (textClass.map { $0.1.longestPlain(of: $0.0) } ?? []).withUnsafeBufferPointer { longestPlain in
        withUnsafeBytes(of: classBytes) { classBytes in
        (whitespace?.runs ?? []).withUnsafeBufferPointer { whitespaceRuns in
        plainTransitions.withUnsafeBufferPointer { plainTransitions in
            while i < n {
                // Fast loop over cached transitions; leaves to compute a missing one.
                let table = transitions.base
                let shift = transitions.rowShift
                let classes = classOf
                let pending: Int = {
                    while i < n {
                        let d = Int(depths[i])
                        if gates && i < gateEnd[d] {
                            let byte = Int(bytes[i])
                            let read = gateBytes[d]
                            if read[byte >> 6] >> UInt64(byte & 63) & 1 == 0 {
                                // On to the next child whose byte is read, or past the last.
                                let next = TokenTrie.FanOut.firstByte(of: read, above: byte)
                                if next < 0 {
                                    i = gateEnd[d]
                                    continue
                                }
                                i = Int(children[gateChildren[d] | next])
                            }
                        }
                        visited += 1
                        if !whitespaceRuns.isEmpty, whitespaceRuns[i] != 0 {
                            let reach = whitespaceReach(stack[d - 1])
                            if reach >= 0 {
                                // Every token of the subtree is a whitespace run from this node's
                                // byte on: allowed exactly when the run is at most `reach` long.
                                let end = Int(ends[i]), base = d - 1
                                var j = Int(whitespaceRuns[i]) <= reach ? end : i
                                if j == end {
                                    allowed += ConfigurationSpace.setTokenBits(from: Int(starts[i]), to: Int(starts[end]), ids: ids,
                                                                               in: words, list: list, listed: allowed)
                                }
                                while j < end {
                                    if j > i { visited += 1 }
                                    if Int(depths[j]) - base > reach {
                                        j = Int(ends[j])
                                        continue
                                    }
                                    allowed += ConfigurationSpace.setTokenBits(from: Int(starts[j]), to: Int(starts[j + 1]), ids: ids,
                                                                               in: words, list: list, listed: allowed)
                                    j += 1
                                }
                                i = end
                                continue
                            }
                        }
                        var ownTokensInClass = false
                        if let (textClass, _) = textClass {
                            let byte = Int(bytes[i])
                            let previous = Int(classState[d - 1])
                            let state = previous < 0 || classBytes[byte >> 3] >> UInt8(byte & 7) & 1 == 0 ? -1
                                : plainTransitions[previous << 8 | byte]
                            classState[d] = state
                            classLength[d] = classLength[d - 1] + UInt16(textClass.length(of: UInt8(byte)))
                            if state >= 0 {
                                if Int(longestPlain[i]) <= skipLength
                                    && textClass.contains(groupsLow: groupsBelow[2 * i], high: groupsBelow[2 * i + 1]) {
                                    // Every token at or below this node is in the class.
                                    if settingTaken {
                                        allowed += ConfigurationSpace.setTokenBits(from: Int(starts[i]), to: Int(starts[Int(ends[i])]), ids: ids,
                                                                                   in: words, list: nil, listed: allowed)
                                    }
                                    i = Int(ends[i])
                                    continue
                                }
                                ownTokensInClass = !settingTaken && Int(classLength[d]) <= textClass.maxBytes
                            }
                        }
                        let entry = table[Int(stack[d - 1]) &<< shift | Int(classes[Int(bytes[i])])]
                        if entry == 0 { return i }
                        let next = TransitionRows.decoded(entry)
                        if next < 0 {
                            i = Int(ends[i])
                            continue
                        }
                        stack[d] = next
                        if d <= gatedDepth && slots[i] != 0 { gate(below: i, depth: d, config: next) }
                        if recording {
                            // Only a return node with tokens below it adds to the mask.
                            if accepting[Int(next)] && Int(ends[i]) > i + 1 {
                                returns.append(Int32(i))
                                returnWork += Int(ends[i]) - i - 1
                                if returnWork > maxReturnWork { i = n; return -1 }
                            }
                            deepest = max(deepest, Int(configDepth[Int(next)]))
                        }
                        if ownTokensInClass {
                            // The caller adds the class's tokens.
                        } else if let list {
                            for t in Int(starts[i])..<Int(starts[i + 1]) {
                                let id = ids[t]
                                words[Int(id) >> 5] |= 1 << UInt32(id & 31)
                                if allowed < list.count { list[allowed] = id }
                                allowed += 1
                            }
                        } else {
                            allowed += ConfigurationSpace.setTokenBits(of: i, starts: starts, ids: ids, in: words)
                        }
                        i += 1
                    }
                    return -1
                }()
                if pending >= 0 {
                    // The fast loop stopped before the node's step: its path flag is set
                    // again when the loop comes back to it.
                    _ = computeStep(stack[Int(depths[pending]) - 1], bytes[pending])
                }
            }
        }}}}}}}}}}}}
        work.nodesVisited += visited
        if root == 0 { work.walks += 1 }
        return (allowed, deepest, returnWork)
    }

    /// A part of a configuration's kernel: its stacks that run through one *cut* node below
    /// their top frames, seen as a configuration of the frames above the cut alone (`local`:
    /// the same stacks with the cut node and everything below it removed), and the
    /// configuration they reach when those frames return (`returnTarget`: the closure of the
    /// cut node; `dead` when the stacks are kept whole).
    ///
    /// A configuration reads a token when one of its stacks does, and a stack reads it either
    /// within the frames above its cut (a token the local configuration reads) or by returning
    /// from them after some prefix (a trie node where the local walk reaches an accepting
    /// configuration) and reading the rest from the return target. So a mask is the union of
    /// its groups' local masks and of walks from each return node with the return target.
    /// Local configurations do not depend on what lies below the cut: stacks that differ only
    /// there (a definition used in many places) share one local mask.
    public struct KernelGroup: Sendable, Hashable {
        /// The configuration of the frames above the cut (not accepting).
        public var local: Int32
        /// The configuration the frames return to, or `dead` when the stacks are kept whole.
        public var returnTarget: Int32
        /// The depth of the cut node (0 when the stacks are kept whole).
        public var cutDepth: Int
    }

    /// The groups of `config`'s kernel (see `KernelGroup`), or nil when every stack is a single
    /// frame (nothing to share), when a local configuration is met for the first time (it is
    /// only worth walking once a second configuration uses it), or when the configuration
    /// budget is spent.
    ///
    /// Each stack is first cut below its top frame. When `acceptsLocal` refuses a group's local
    /// configuration (its frames return too early, after too many tokens, for the walks from
    /// the return nodes to pay), the group's stacks are cut one frame lower, up to
    /// `maxCutLevels` frames; past that they are kept whole.
    public func kernelGroups(_ config: Int32, maxCutLevels: Int = 4, acceptsLocal: (Int32) -> Bool) -> [KernelGroup]? {
        let range = kernelRange(config)
        if range.allSatisfy({ nodes[Int(kernelPool[$0])].parent < 0 }) { return nil }
        // Per kernel stack: its cut node and how many frames lie above it.
        var cuts = range.map { (node: kernelPool[$0], cut: nodes[Int(kernelPool[$0])].parent, levels: 1) }
        var done = [Bool](repeating: false, count: cuts.count)
        /// Cuts stack `k` one frame lower (or keeps it whole past `maxCutLevels`).
        func lower(_ k: Int) {
            let levels = cuts[k].levels + 1
            cuts[k].cut = levels > maxCutLevels ? -1 : nodes[Int(cuts[k].cut)].parent
            cuts[k].levels = levels
        }
        // Frames that may return before reading anything (whitespace, a number's digits)
        // return after nearly every token prefix: their stacks' cuts go lower without trying
        // them, all before any group is formed. (Lowered one group at a time, the stacks of a
        // long chain of optional members, each with its own cut, would each end up alone in a
        // group at the common cut: hundreds of local walks for one mask.) Each round finds the
        // cuts to lower in one pass: a kernel may hold hundreds of stacks.
        let toLower = cutsToLower
        var lowering = false
        repeat {
            toLower.removeAll()
            lowering = false
            for k in cuts.indices where cuts[k].cut >= 0 && !toLower.contains(cuts[k].cut)
                && returnsAtOnce(cuts[k].node, above: cuts[k].cut) {
                _ = toLower.insert(cuts[k].cut)
                lowering = true
            }
            for k in cuts.indices where cuts[k].cut >= 0 && toLower.contains(cuts[k].cut) { lower(k) }
        } while lowering
        var groups: [KernelGroup] = []
        var local: [Int32] = []
        var firstSighting = false
        while let first = done.firstIndex(of: false) {
            let cut = cuts[first].cut
            // Frames that may return before reading anything (whitespace, a number's digits)
            // return after nearly every token prefix: cut lower without trying them.
            var cutLower = cut >= 0 && cuts.indices.contains {
                !done[$0] && cuts[$0].cut == cut && returnsAtOnce(cuts[$0].node, above: cut)
            }
            var localConfig = ConfigurationSpace.dead
            if !cutLower {
                local.removeAll(keepingCapacity: true)
                for k in cuts.indices where !done[k] && cuts[k].cut == cut {
                    local.append(cut < 0 ? cuts[k].node : rebased(cuts[k].node, above: cut))
                }
                local.sortAndRemoveDuplicates()
                if cut >= 0 {
                    // A local configuration pays once a second configuration uses it: the first
                    // time, only note that it was met (and walk the configuration whole).
                    let h = local.withUnsafeBufferPointer { ConfigurationSpace.hash($0, false) }
                    if localSightings.value(for: h) == nil {
                        localSightings.set(0, for: h)
                        firstSighting = true
                    }
                }
                if firstSighting {
                    for k in cuts.indices where !done[k] && cuts[k].cut == cut { done[k] = true }
                    continue
                }
                localConfig = intern(local, accepting: false)
                if localConfig < 0 { return nil }
                cutLower = cut >= 0 && !acceptsLocal(localConfig)
            }
            if cutLower {
                // Cut these stacks one frame lower (or keep them whole), and group again.
                for k in cuts.indices where !done[k] && cuts[k].cut == cut { lower(k) }
                continue
            }
            var target = ConfigurationSpace.dead
            if cut >= 0 {
                target = internClosure(of: cut)
                if target < 0 { return nil }
            }
            groups.append(KernelGroup(local: localConfig, returnTarget: target, cutDepth: cut < 0 ? 0 : Int(nodes[Int(cut)].depth)))
            for k in cuts.indices where !done[k] && cuts[k].cut == cut { done[k] = true }
        }
        return firstSighting ? nil : groups
    }

    /// Whether every frame of stack node `n` above its ancestor `cut` may return by ε moves.
    private func returnsAtOnce(_ n: Int32, above cut: Int32) -> Bool {
        var m = n
        while m != cut {
            let i = summary(nodes[Int(m)].state)
            let end = i + 1 + Int(summaries[i])
            if summaries[end + 1 + 2 * Int(summaries[end])] == 0 { return false }
            m = nodes[Int(m)].parent
        }
        return true
    }

    /// The cut nodes `kernelGroups` lowers in a round.
    private let cutsToLower = StampedSet()

    /// The hashes of the local configurations `kernelGroups` has met.
    @exclusivity(unchecked) private var localSightings = IntegerMap()

    /// The stack node `n` with its ancestor `cut` and everything below removed.
    private func rebased(_ n: Int32, above cut: Int32) -> Int32 {
        let p = nodes[Int(n)].parent
        return node(nodes[Int(n)].state, parent: p == cut ? -1 : rebased(p, above: cut))
    }

    /// The deepest call stack the matcher follows (`CompileLimits.maxStackDepth`).
    public var maxStackDepth: Int { limits.maxStackDepth }
}

extension ConfigurationSpace {
    /// Compiles `grammar` to its pushdown NFA, prunes dead ends, rejects left recursion, and
    /// returns the (lazily built) configuration space.
    public static func compile(_ grammar: Grammar, limits: CompileLimits = .init()) throws(GrammarError) -> ConfigurationSpace {
        var nfa = try NFABuilder.build(grammar, limits: limits)
        try GrammarAnalysis.prune(&nfa)
        try GrammarAnalysis.checkLeftRecursion(nfa)
        let space = ConfigurationSpace(nfa: nfa, limits: limits)
        guard space.memoryBytes <= limits.maxGrammarBytes else {
            throw GrammarError(.limitExceeded, "the grammar's automaton needs \(space.memoryBytes) bytes, more than the limit of \(limits.maxGrammarBytes)")
        }
        return space
    }

    // MARK: Stacks, read by run-time checks (`ConfigurationSpace+UniqueArrays.swift`)

    /// The stack nodes of `config`'s kernel.
    func kernelNodes(_ config: Int32) -> ArraySlice<Int32> { kernelPool[kernelRange(config)] }

    /// The NFA state on top of stack node `node` and the node below it (-1 at the bottom).
    func stackNode(_ node: Int32) -> (state: Int32, parent: Int32) { (nodes[Int(node)].state, nodes[Int(node)].parent) }

    /// The configuration of `kernel` (distinct stack nodes, each reading bytes), or
    /// `dead` when it is empty and not accepting.
    func configuration(kernel: [Int32], accepting: Bool) -> Int32 { intern(kernel, accepting: accepting) }

    /// The number of NFA states and rules the grammar compiled to.
    public var nfaStateCount: Int { nfa.stateCount }
    /// The number of rules.
    public var ruleCount: Int { nfa.rules.count }
}

extension Array where Element == Int32 {
    /// Sorts the elements from `start` on and keeps one of each run of equal ones (the
    /// elements before `start` are left as they are): kernels and closures as sets, in place.
    @inline(__always)
    mutating func sortAndRemoveDuplicates(from start: Int = 0) {
        let unique = withUnsafeMutableBufferPointer { buffer in
            var elements = UnsafeMutableBufferPointer(rebasing: buffer[start...])
            if elements.count <= 32 {
                // Kernels and closures are mostly short: an insertion sort beats the general
                // sort's merging by a wide margin there.
                for k in elements.indices.dropFirst() {
                    let x = elements[k]
                    var j = k
                    while j > 0 && elements[j - 1] > x {
                        elements[j] = elements[j - 1]
                        j -= 1
                    }
                    elements[j] = x
                }
            } else {
                elements.sort()
            }
            var unique = 0
            for k in elements.indices where unique == 0 || elements[k] != elements[unique - 1] {
                elements[unique] = elements[k]
                unique += 1
            }
            return start + unique
        }
        removeLast(count - unique)
    }
}
