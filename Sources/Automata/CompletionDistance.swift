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
        var predecessors = [[(from: Int32, cost: Int32)]](repeating: [], count: n)
        var callsReturningTo = [[(from: Int32, rule: Int32)]](repeating: [], count: n)
        var callsOf = [[(from: Int32, returnTarget: Int32)]](repeating: [], count: nfa.rules.count)
        for (s, state) in nfa.states.prefix(n).enumerated() {
            for e in state.byteEdges where e.target < n { predecessors[Int(e.target)].append((Int32(s), 1)) }
            for t in state.epsilonEdges { predecessors[Int(t)].append((Int32(s), 0)) }
            for c in state.callEdges {
                callsReturningTo[Int(c.returnTarget)].append((Int32(s), c.rule))
                callsOf[Int(c.rule)].append((Int32(s), c.returnTarget))
            }
        }
        for region in nfa.lazyRegions {
            let definition = region.automaton.definition
            let length = Int32(clamping: definition.shortestCompletion(from: definition.start))
            predecessors[Int(region.exit)].append((region.entry, length))
        }
        var heap = MinHeap()
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
            for (p, cost) in predecessors[Int(x)] { relax(p, d &+ cost) }
            for (p, rule) in callsReturningTo[Int(x)] {
                let start = nfa.rules[Int(rule)].start
                if done[Int(start)] { relax(p, dist[Int(start)] &+ d) }
            }
            let rule = nfa.states[Int(x)].rule
            if nfa.rules[Int(rule)].start == x {
                for (p, r) in callsOf[Int(rule)] where done[Int(r)] { relax(p, d &+ dist[Int(r)]) }
            }
        }
        distance = dist
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
