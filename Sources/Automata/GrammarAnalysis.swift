import Grammar

/// Static checks and clean-up of a `ByteNFA` before it is run.
///
/// * Pruning: removes every edge into a state from which its rule's final state cannot be
///   reached, and every call to a rule that derives no finite string. Afterwards every stack of
///   states the matcher can hold has a completion, so a non-empty configuration is never a
///   dead end.
/// * Left recursion (a rule reaching a call to itself without reading a byte) is rejected: it
///   would make the call closure infinite.
enum GrammarAnalysis {
    /// Prunes `nfa` in place; throws `.unsatisfiable` when the root derives nothing.
    static func prune(_ nfa: inout ByteNFA) throws(GrammarError) {
        let n = nfa.stateCount
        // Shared rules' states are all live, and their rules productive (`sharedStateCount`);
        // no edge enters them, so only the other states are walked.
        let shared = nfa.sharedStateCount
        let ruleCount = nfa.rules.count
        // Flat buffers for the walk (an array written per edge checked its uniqueness each time).
        let live = UnsafeMutableBufferPointer<Bool>.allocate(capacity: n)
        let productive = UnsafeMutableBufferPointer<Bool>.allocate(capacity: ruleCount)
        // Rule starts from a flat buffer: `nfa.rules[r].start` in the loop would copy the
        // element (retaining its name).
        let ruleStart = UnsafeMutableBufferPointer<Int32>.allocate(capacity: ruleCount)
        // A state is pushed once, when it is marked live: the stack never holds more than `n`.
        let work = UnsafeMutableBufferPointer<Int32>.allocate(capacity: n)
        defer { live.deallocate(); productive.deallocate(); ruleStart.deallocate(); work.deallocate() }
        live.initialize(repeating: false)
        for s in 0..<shared { live[s] = true }
        for (r, rule) in nfa.rules.enumerated() {
            ruleStart[r] = rule.start
            productive[r] = rule.start < shared
        }
        var top = 0
        @inline(__always) func mark(_ s: Int32) {
            if !live[Int(s)] { live[Int(s)] = true; work[top] = s; top += 1 }
        }
        for rule in nfa.rules where rule.final >= shared { mark(rule.final) }
        // A lazily built automaton is trim and accepts something: its entry reaches its exit.
        var lazyEntries: [Int32: [Int32]] = [:]
        for region in nfa.lazyRegions { lazyEntries[region.exit, default: []].append(region.entry) }
        // Trim blocks by exit, chained (`blockByExit[exit]` the first, `nextBlock[b]` the next):
        // marking an exit marks its blocks, whose own edges are left out of the reverse edges.
        let blocks = nfa.trimBlocks
        let blockByExit = UnsafeMutableBufferPointer<Int32>.allocate(capacity: blocks.isEmpty ? 0 : n)
        let nextBlock = UnsafeMutableBufferPointer<Int32>.allocate(capacity: blocks.count)
        defer { blockByExit.deallocate(); nextBlock.deallocate() }
        if !blocks.isEmpty {
            blockByExit.initialize(repeating: -1)
            for (b, block) in blocks.enumerated() {
                nextBlock[b] = blockByExit[Int(block.exit)]
                blockByExit[Int(block.exit)] = Int32(b)
            }
        }
        let reverse = ReverseEdges(nfa, from: shared, skipping: blocks)
        let (simpleStart, simplePredecessors) = (reverse.simpleStart, reverse.simplePredecessors)
        let (returnStart, callsByReturn) = (reverse.returnStart, reverse.callsByReturn)
        let (calleeStart, callsByCallee) = (reverse.calleeStart, reverse.callsByCallee)
        nfa.stateRules.withUnsafeBufferPointer { stateRules in
            while top > 0 {
                top -= 1
                let s = work[top]
                for i in Int(simpleStart[Int(s)])..<Int(simpleStart[Int(s) + 1]) { mark(simplePredecessors[i]) }
                if !lazyEntries.isEmpty { for entry in lazyEntries[s] ?? [] { mark(entry) } }
                if !blocks.isEmpty {
                    var b = blockByExit[Int(s)]
                    while b >= 0 {
                        // Only the first state has a predecessor outside the block (`TrimBlock`).
                        let block = blocks[Int(b)]
                        mark(block.first)
                        for t in Int(block.first) + 1..<Int(block.first + block.count) { live[t] = true }
                        b = nextBlock[Int(b)]
                    }
                }
                for i in Int(returnStart[Int(s)])..<Int(returnStart[Int(s) + 1]) where productive[Int(callsByReturn[i].rule)] {
                    mark(callsByReturn[i].source)
                }
                let rule = Int(stateRules[Int(s)])
                if ruleStart[rule] == s, !productive[rule] {
                    productive[rule] = true
                    for i in Int(calleeStart[rule])..<Int(calleeStart[rule + 1]) where live[Int(callsByCallee[i].returnTarget)] {
                        mark(callsByCallee[i].source)
                    }
                }
            }
        }
        guard productive[Int(nfa.root)] else {
            throw GrammarError(.unsatisfiable, "the grammar matches no document")
        }
        // A live block keeps every edge (its states and exit are live, it makes no call): only
        // the other states and the dead blocks are filtered.
        var segmentStart = shared
        func filter(_ states: Range<Int>) {
            guard !states.isEmpty else { return }
            nfa.byteEdges.removeAll(from: states) { !live[Int($0.target)] }
            nfa.epsilonEdges.removeAll(from: states) { !live[Int($0)] }
            nfa.callEdges.removeAll(from: states) { !productive[Int($0.rule)] || !live[Int($0.returnTarget)] }
        }
        for block in blocks where Int(block.first) >= shared && live[Int(block.first)] {
            filter(segmentStart..<Int(block.first))
            segmentStart = Int(block.first) + Int(block.count)
        }
        filter(segmentStart..<n)
    }

    /// Throws `.invalidGrammar` naming the rules of a left-recursive cycle, if there is one.
    static func checkLeftRecursion(_ nfa: ByteNFA) throws(GrammarError) {
        let ruleCount = nfa.rules.count
        let leftCalls = nfa.epsilonEdges.withBuffers { epsilons in
            nfa.callEdges.withBuffers { calls in GrammarAnalysis.leftCalls(nfa, epsilons: epsilons, calls: calls) }
        }
        // Iterative DFS for a cycle.
        var color = [UInt8](repeating: 0, count: ruleCount)  // 0 new, 1 on path, 2 done
        for start in 0..<ruleCount where color[start] == 0 {
            var path: [(rule: Int, next: Int)] = [(start, 0)]
            color[start] = 1
            while !path.isEmpty {
                let (r, i) = path[path.count - 1]
                if i < leftCalls[r].count {
                    path[path.count - 1].next += 1
                    let c = leftCalls[r][i]
                    if color[c] == 1 {
                        let cycle = path.map { nfa.rules[$0.rule].name }.drop { $0 != nfa.rules[c].name } + [nfa.rules[c].name]
                        throw GrammarError(.invalidGrammar, "left recursion: \(cycle.joined(separator: " → ")) reaches itself without reading input")
                    }
                    if color[c] == 0 {
                        color[c] = 1
                        path.append((c, 0))
                    }
                } else {
                    color[r] = 2
                    path.removeLast()
                }
            }
        }
    }

    /// Per rule, the rules it calls before reading a byte (sorted, distinct), given the
    /// automaton's ε and call lists read in place.
    private static func leftCalls(_ nfa: ByteNFA, epsilons: EdgeLists<Int32>.Buffers,
                                  calls: EdgeLists<ByteNFA.CallEdge>.Buffers) -> [[Int]] {
        let ruleCount = nfa.rules.count
        var nullable = [Bool](repeating: false, count: ruleCount)
        // The states reachable from a rule's start without reading a byte, given `nullable`,
        // left in `reached` (a stamped visited array: this runs once per rule per round).
        // Flat buffers: a state is pushed (and reached) at most once per stamp, so `n` bounds both.
        let n = nfa.stateCount
        let stamps = UnsafeMutableBufferPointer<UInt32>.allocate(capacity: n)
        let stack = UnsafeMutableBufferPointer<Int32>.allocate(capacity: n)
        let reachedStates = UnsafeMutableBufferPointer<Int32>.allocate(capacity: n)
        // Rule starts flat: `nfa.rules[r].start` would copy the element (retaining its name).
        let ruleStart = nfa.rules.map(\.start), ruleFinal = nfa.rules.map(\.final)
        defer { stamps.deallocate(); stack.deallocate(); reachedStates.deallocate() }
        stamps.initialize(repeating: 0)
        var stamp: UInt32 = 0
        var reachedCount = 0
        var reached: UnsafeMutableBufferPointer<Int32> { UnsafeMutableBufferPointer(rebasing: reachedStates[..<reachedCount]) }
        func findNullReachable(_ rule: Int) {
            stamp += 1
            reachedCount = 0
            let start = ruleStart[rule]
            stamps[Int(start)] = stamp
            stack[0] = start
            var top = 1
            while top > 0 {
                top -= 1
                let s = stack[top]
                reachedStates[reachedCount] = s
                reachedCount += 1
                for t in epsilons[Int(s)] where stamps[Int(t)] != stamp {
                    stamps[Int(t)] = stamp
                    stack[top] = t
                    top += 1
                }
                for c in calls[Int(s)] where nullable[Int(c.rule)] && stamps[Int(c.returnTarget)] != stamp {
                    stamps[Int(c.returnTarget)] = stamp
                    stack[top] = c.returnTarget
                    top += 1
                }
            }
        }
        // A worklist: a rule is looked at again only when a rule it calls without reading a
        // byte becomes nullable (recomputing every rule per round was quadratic in big grammars).
        var waiting = [[Int]](repeating: [], count: ruleCount)
        var queued = [Bool](repeating: true, count: ruleCount)
        var work = Array((0..<ruleCount).reversed())
        while let r = work.popLast() {
            queued[r] = false
            guard !nullable[r] else { continue }
            findNullReachable(r)
            if stamps[Int(ruleFinal[r])] == stamp {
                nullable[r] = true
                for w in waiting[r] where !nullable[w] && !queued[w] {
                    queued[w] = true
                    work.append(w)
                }
                waiting[r] = []
            } else {
                for s in reached {
                    for c in calls[Int(s)] where !nullable[Int(c.rule)] { waiting[Int(c.rule)].append(r) }
                }
            }
        }
        var leftCalls = [[Int]](repeating: [], count: ruleCount)
        var callees: [Int] = []
        for r in 0..<ruleCount {
            callees.removeAll(keepingCapacity: true)
            findNullReachable(r)
            for s in reached {
                for c in calls[Int(s)] { callees.append(Int(c.rule)) }
            }
            guard !callees.isEmpty else { continue }
            callees.sort()
            var distinct: [Int] = []
            for c in callees where distinct.last != c { distinct.append(c) }
            leftCalls[r] = distinct
        }
        return leftCalls
    }
}

/// The reverse edges of the states of an NFA from a given one on, in compressed rows (row `i`
/// is `values[start[i]..<start[i + 1]]`), for pruning.
private struct ReverseEdges {
    /// Byte and ε predecessors, by target state.
    var simpleStart: [Int32], simplePredecessors: [Int32]
    /// Call edges (source, callee), by return state.
    var returnStart: [Int32], callsByReturn: [(source: Int32, rule: Int32)]
    /// Call edges (source, return state), by callee.
    var calleeStart: [Int32], callsByCallee: [(source: Int32, returnTarget: Int32)]

    /// The reverse edges of `nfa`'s states from `first` on but those of `blocks` (sorted by
    /// state, disjoint; see `TrimBlock`), its lists read in place, in two passes: counts, then rows.
    init(_ nfa: ByteNFA, from first: Int, skipping blocks: [TrimBlock]) {
        let n = nfa.stateCount, ruleCount = nfa.rules.count
        // Row starts, counted then summed in plain buffers (no uniqueness check per edge).
        let simpleStart = UnsafeMutableBufferPointer<Int32>.allocate(capacity: n + 1)
        let returnStart = UnsafeMutableBufferPointer<Int32>.allocate(capacity: n + 1)
        let calleeStart = UnsafeMutableBufferPointer<Int32>.allocate(capacity: ruleCount + 1)
        defer { simpleStart.deallocate(); returnStart.deallocate(); calleeStart.deallocate() }
        simpleStart.initialize(repeating: 0)
        returnStart.initialize(repeating: 0)
        calleeStart.initialize(repeating: 0)
        let (byteEdges, epsilonEdges, callEdges) = (nfa.byteEdges, nfa.epsilonEdges, nfa.callEdges)
        byteEdges.withBuffers { bytes in
            epsilonEdges.withBuffers { epsilons in
                callEdges.withBuffers { calls in
                    ReverseEdges.forEachState(from: first, to: n, skipping: blocks) { s in
                        for e in bytes[s] { simpleStart[Int(e.target) + 1] += 1 }
                        for t in epsilons[s] { simpleStart[Int(t) + 1] += 1 }
                        for c in calls[s] {
                            returnStart[Int(c.returnTarget) + 1] += 1
                            calleeStart[Int(c.rule) + 1] += 1
                        }
                    }
                }
            }
        }
        for i in 0..<n {
            simpleStart[i + 1] += simpleStart[i]
            returnStart[i + 1] += returnStart[i]
        }
        for r in 0..<ruleCount { calleeStart[r + 1] += calleeStart[r] }
        self.simpleStart = Array(simpleStart)
        self.returnStart = Array(returnStart)
        self.calleeStart = Array(calleeStart)
        // The start buffers, copied out above, now serve as fill cursors: each row fills from its start.
        var simplePredecessors = [Int32](repeating: 0, count: Int(simpleStart[n]))
        var callsByReturn = [(source: Int32, rule: Int32)](repeating: (0, 0), count: Int(returnStart[n]))
        var callsByCallee = [(source: Int32, returnTarget: Int32)](repeating: (0, 0), count: Int(calleeStart[ruleCount]))
        simplePredecessors.withUnsafeMutableBufferPointer { simplePredecessors in
            callsByReturn.withUnsafeMutableBufferPointer { callsByReturn in
                callsByCallee.withUnsafeMutableBufferPointer { callsByCallee in
                    byteEdges.withBuffers { bytes in
                        epsilonEdges.withBuffers { epsilons in
                            callEdges.withBuffers { calls in
                                ReverseEdges.forEachState(from: first, to: n, skipping: blocks) { s in
                                    let source = Int32(s)
                                    for e in bytes[s] {
                                        simplePredecessors[Int(simpleStart[Int(e.target)])] = source
                                        simpleStart[Int(e.target)] += 1
                                    }
                                    for t in epsilons[s] {
                                        simplePredecessors[Int(simpleStart[Int(t)])] = source
                                        simpleStart[Int(t)] += 1
                                    }
                                    for c in calls[s] {
                                        callsByReturn[Int(returnStart[Int(c.returnTarget)])] = (source, c.rule)
                                        returnStart[Int(c.returnTarget)] += 1
                                        callsByCallee[Int(calleeStart[Int(c.rule)])] = (source, c.returnTarget)
                                        calleeStart[Int(c.rule)] += 1
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        self.simplePredecessors = simplePredecessors
        self.callsByReturn = callsByReturn
        self.callsByCallee = callsByCallee
    }

    /// Calls `body` with each state of `first..<end` outside `blocks` (sorted by state, disjoint).
    @inline(__always)
    static func forEachState(from first: Int, to end: Int, skipping blocks: [TrimBlock], _ body: (Int) -> Void) {
        var s = first
        for block in blocks where Int(block.first) + Int(block.count) > first {
            let stop = min(Int(block.first), end)
            while s < stop { body(s); s += 1 }
            s = max(s, Int(block.first) + Int(block.count))
        }
        while s < end { body(s); s += 1 }
    }
}
