/// The fewest bytes that complete the output from each NFA state: a generalized Dijkstra
/// (Knuth's algorithm) over the pushdown NFA, where a call edge costs the callee's shortest
/// string plus the distance from the return state.
struct CompletionDistance {
    /// Per NFA state: the fewest bytes from it to its rule's final state (`Int32.max`: none).
    let distance: [Int32]

    /// The distances of the first `stateCount` states of `nfa`: those it was built with, before
    /// any lazily built state (whose distances `ConfigurationSpace` finds from its automaton).
    init(_ nfa: ByteNFA, stateCount n: Int) {
        var dist = [Int32](repeating: .max, count: n)
        var done = [Bool](repeating: false, count: n)
        // Each state's predecessors (state, cost), the calls returning to it (caller, rule) and
        // each rule's calls (caller, return target), each kind in one flat list sliced by
        // offsets: counted, then placed (no array per state).
        var predecessorStart = [Int32](repeating: 0, count: n + 1)
        var returnStart = [Int32](repeating: 0, count: n + 1)
        var callStart = [Int32](repeating: 0, count: nfa.rules.count + 1)
        nfa.byteEdges.withBuffers { bytes in
            nfa.epsilonEdges.withBuffers { epsilons in
                nfa.callEdges.withBuffers { calls in
                    for s in 0..<n {
                        for e in bytes[s] where e.target < n { predecessorStart[Int(e.target) + 1] += 1 }
                        for t in epsilons[s] { predecessorStart[Int(t) + 1] += 1 }
                        for c in calls[s] {
                            returnStart[Int(c.returnTarget) + 1] += 1
                            callStart[Int(c.rule) + 1] += 1
                        }
                    }
                }
            }
        }
        for region in nfa.lazyRegions { predecessorStart[Int(region.exit) + 1] += 1 }
        for s in 0..<n {
            predecessorStart[s + 1] += predecessorStart[s]
            returnStart[s + 1] += returnStart[s]
        }
        for r in 0..<nfa.rules.count { callStart[r + 1] += callStart[r] }
        var predecessors = [(from: Int32, cost: Int32)](repeating: (0, 0), count: Int(predecessorStart[n]))
        var callsReturningTo = [(from: Int32, rule: Int32)](repeating: (0, 0), count: Int(returnStart[n]))
        var callsOf = [(from: Int32, returnTarget: Int32)](repeating: (0, 0), count: Int(callStart[nfa.rules.count]))
        var predecessorEnd = predecessorStart, returnEnd = returnStart, callEnd = callStart
        func place<T>(_ item: T, in list: inout [T], at end: inout [Int32], _ index: Int) {
            list[Int(end[index])] = item
            end[index] += 1
        }
        nfa.byteEdges.withBuffers { bytes in
            nfa.epsilonEdges.withBuffers { epsilons in
                nfa.callEdges.withBuffers { calls in
                    for s in 0..<n {
                        for e in bytes[s] where e.target < n { place((Int32(s), 1), in: &predecessors, at: &predecessorEnd, Int(e.target)) }
                        for t in epsilons[s] { place((Int32(s), 0), in: &predecessors, at: &predecessorEnd, Int(t)) }
                        for c in calls[s] {
                            place((Int32(s), c.rule), in: &callsReturningTo, at: &returnEnd, Int(c.returnTarget))
                            place((Int32(s), c.returnTarget), in: &callsOf, at: &callEnd, Int(c.rule))
                        }
                    }
                }
            }
        }
        for region in nfa.lazyRegions {
            let definition = region.automaton.definition
            let length = Int32(clamping: definition.shortestCompletion(from: definition.start))
            place((region.entry, length), in: &predecessors, at: &predecessorEnd, Int(region.exit))
        }
        var heap = DistanceQueue()
        for rule in nfa.rules {
            dist[Int(rule.final)] = 0
            heap.push(0, rule.final)
        }
        func relax(_ s: Int32, _ d: Int32) {
            if d < dist[Int(s)] {
                dist[Int(s)] = d
                heap.push(d, s)
            }
        }
        while let (d, x) = heap.pop() {
            if done[Int(x)] || d != dist[Int(x)] { continue }
            done[Int(x)] = true
            for (p, cost) in predecessors[Int(predecessorStart[Int(x)])..<Int(predecessorStart[Int(x) + 1])] { relax(p, d &+ cost) }
            for (p, rule) in callsReturningTo[Int(returnStart[Int(x)])..<Int(returnStart[Int(x) + 1])] {
                let start = nfa.rules[Int(rule)].start
                if done[Int(start)] { relax(p, dist[Int(start)] &+ d) }
            }
            let rule = nfa.stateRules[Int(x)]
            if nfa.rules[Int(rule)].start == x {
                for (p, r) in callsOf[Int(callStart[Int(rule)])..<Int(callStart[Int(rule) + 1])] where done[Int(r)] { relax(p, d &+ dist[Int(r)]) }
            }
        }
        distance = dist
    }
}

/// The states to finalize, by distance, for a search that finalizes them in nondecreasing
/// order and pushes none below the distance it is at (costs are not negative): those at the
/// current distance and the next in two lists (byte and epsilon edges cost 1 and 0, so
/// nearly every push lands there), the others — after a call, a callee's whole string — in a
/// heap. Pops are in nondecreasing order of distance, like a heap's, at a list's cost.
struct DistanceQueue {
    private var level: Int32 = 0
    private var current: [Int32] = []
    private var next: [Int32] = []
    private var later = MinHeap()

    mutating func push(_ priority: Int32, _ value: Int32) {
        if priority == level {
            current.append(value)
        } else if priority == level &+ 1 {
            next.append(value)
        } else {
            later.push(priority, value)
        }
    }

    mutating func pop() -> (Int32, Int32)? {
        while true {
            if let value = current.popLast() { return (level, value) }
            if !next.isEmpty {
                swap(&current, &next)
                level &+= 1
            } else if let lowest = later.lowest {
                level = lowest
            } else {
                return nil
            }
            while let lowest = later.lowest, lowest == level { current.append(later.pop()!.1) }
        }
    }
}

/// A binary min-heap of (priority, value) pairs.
struct MinHeap {
    private var items: [(Int32, Int32)] = []

    mutating func push(_ priority: Int32, _ value: Int32) {
        items.append((priority, value))
        var i = items.count - 1
        while i > 0 {
            let parent = (i - 1) / 2
            if items[parent].0 <= items[i].0 { break }
            items.swapAt(parent, i)
            i = parent
        }
    }

    /// The lowest priority, if any.
    var lowest: Int32? { items.first?.0 }

    mutating func pop() -> (Int32, Int32)? {
        guard let top = items.first else { return nil }
        let last = items.removeLast()
        if !items.isEmpty {
            items[0] = last
            var i = 0
            while true {
                let l = 2 * i + 1, r = l + 1
                var m = i
                if l < items.count, items[l].0 < items[m].0 { m = l }
                if r < items.count, items[r].0 < items[m].0 { m = r }
                if m == i { break }
                items.swapAt(m, i)
                i = m
            }
        }
        return top
    }
}
