/// One kind of edge list of every state of a `ByteNFA`, in one flat array: state `s` owns
/// `items[start[s]..<end[s]]`. A grammar's automaton has thousands of mostly short lists; as
/// arrays of their own each took an allocation (more as it grew), a retain per copy and a
/// release when the automaton went away.
///
/// Ranges need not be in state order, nor adjacent: a list that grows after other lists were
/// placed moves to the end (its old slots stay unused), and removing edges leaves a gap.
struct EdgeLists<Edge: Sendable>: Sendable {
    /// The edges of all lists.
    private(set) var items: [Edge] = []
    /// Per state, where its list starts in `items`.
    private(set) var start: [Int32] = []
    /// Per state, where its list ends in `items`.
    private(set) var end: [Int32] = []

    /// No states.
    init() {}

    /// The lists of `base`, then lists for states `base.count..<stateCount`: the edges of `log`
    /// whose state is `s`, in their order in `log`, for state `s` (a counting sort: each
    /// state's list in one range, the edges placed once); then, for the states of each block
    /// (states `first + k`, which must have no edge in `log`), the block's edges of its state
    /// `k` (`edges[edgeStart[k]..<edgeStart[k + 1]]`), each passed through `renumbered` with
    /// `first`: a spliced automaton's lists, placed without going through the log.
    init(_ base: EdgeLists, appending log: [(state: Int32, edge: Edge)],
         blocks: [(first: Int32, edgeStart: [Int32], edges: [Edge])] = [], renumbered: (Edge, Int32) -> Edge = { e, _ in e },
         stateCount: Int) {
        let first = base.start.count, baseCount = base.items.count
        // Per own state, its list's size, then (summed) its start, then its fill cursor.
        var cursor = [Int32](repeating: 0, count: stateCount - first + 1)
        var blockEdgeCount = 0
        cursor.withUnsafeMutableBufferPointer { cursor in
            for entry in log { cursor[Int(entry.state) - first + 1] += 1 }
            for block in blocks {
                block.edgeStart.withUnsafeBufferPointer { edgeStart in
                    let offset = Int(block.first) - first + 1
                    for k in 0..<edgeStart.count - 1 { cursor[offset + k] += edgeStart[k + 1] - edgeStart[k] }
                }
                blockEdgeCount += block.edges.count
            }
            cursor[0] = Int32(baseCount)
            for k in 1..<cursor.count { cursor[k] += cursor[k - 1] }
        }
        func table(_ baseTable: [Int32], ownFrom offset: Int) -> [Int32] {
            [Int32](unsafeUninitializedCapacity: stateCount) { table, initialized in
                baseTable.withUnsafeBufferPointer { baseTable in
                    if let from = baseTable.baseAddress { table.baseAddress!.initialize(from: from, count: first) }
                }
                cursor.withUnsafeBufferPointer { cursor in
                    (table.baseAddress! + first).initialize(from: cursor.baseAddress! + offset, count: stateCount - first)
                }
                initialized = stateCount
            }
        }
        start = table(base.start, ownFrom: 0)
        end = table(base.end, ownFrom: 1)
        let total = baseCount + log.count + blockEdgeCount
        items = [Edge](unsafeUninitializedCapacity: total) { buffer, initialized in
            base.items.withUnsafeBufferPointer { baseItems in
                if let from = baseItems.baseAddress { buffer.baseAddress!.initialize(from: from, count: baseCount) }
            }
            cursor.withUnsafeMutableBufferPointer { cursor in
                log.withUnsafeBufferPointer { log in
                    for entry in log {
                        let k = Int(entry.state) - first
                        (buffer.baseAddress! + Int(cursor[k])).initialize(to: entry.edge)
                        cursor[k] += 1
                    }
                }
                for block in blocks {
                    block.edgeStart.withUnsafeBufferPointer { edgeStart in
                        block.edges.withUnsafeBufferPointer { edges in
                            for k in 0..<edgeStart.count - 1 {
                                var at = buffer.baseAddress! + Int(cursor[Int(block.first) - first + k])
                                for i in Int(edgeStart[k])..<Int(edgeStart[k + 1]) {
                                    at.initialize(to: renumbered(edges[i], block.first))
                                    at += 1
                                }
                            }
                        }
                    }
                }
            }
            initialized = total
        }
    }

    /// The lists read in place (see `withBuffers`).
    struct Buffers {
        let items: UnsafeBufferPointer<Edge>
        let start: UnsafeBufferPointer<Int32>
        let end: UnsafeBufferPointer<Int32>

        /// The list of `state`.
        @inline(__always)
        subscript(state: Int) -> Slice<UnsafeBufferPointer<Edge>> { items[Int(start[state])..<Int(end[state])] }
    }

    /// Calls `body` with the lists read in place: no retain or bounds check per list, for
    /// passes over every state.
    func withBuffers<R>(_ body: (Buffers) throws -> R) rethrows -> R {
        try items.withUnsafeBufferPointer { items in
            try start.withUnsafeBufferPointer { start in
                try end.withUnsafeBufferPointer { end in try body(Buffers(items: items, start: start, end: end)) }
            }
        }
    }

    /// The list of `state`.
    @inline(__always)
    subscript(state: Int) -> ArraySlice<Edge> { items[Int(start[state])..<Int(end[state])] }

    /// The list of `state`.
    @inline(__always)
    subscript(state: Int32) -> ArraySlice<Edge> { self[Int(state)] }

    /// The range of `state`'s list in `items`.
    @inline(__always)
    func range(of state: Int) -> Range<Int> { Int(start[state])..<Int(end[state]) }

    /// Adds a state with an empty list.
    mutating func appendState() {
        start.append(Int32(items.count))
        end.append(Int32(items.count))
    }

    /// Appends `edges` to `state`'s list (moving the list to the end of `items` unless it is
    /// there already).
    mutating func append(contentsOf edges: some Collection<Edge>, to state: Int) {
        guard !edges.isEmpty else { return }
        if Int(end[state]) != items.count {
            let old = range(of: state)
            start[state] = Int32(items.count)
            // Appended without `reserveCapacity`, which allocates exactly what is asked: every
            // lazily built state (an empty list not at the end) copied all the items.
            for i in old { items.append(items[i]) }
        }
        items += edges
        end[state] = Int32(items.count)
    }

    /// Removes from the lists of `states` the edges for which `isRemoved` holds, keeping the
    /// others in their order (in place: each list's range shrinks).
    mutating func removeAll(from states: Range<Int>, where isRemoved: (Edge) -> Bool) {
        items.withUnsafeMutableBufferPointer { items in
            start.withUnsafeBufferPointer { start in
                end.withUnsafeMutableBufferPointer { end in
                    for s in states {
                        var kept = Int(start[s])
                        for i in kept..<Int(end[s]) where !isRemoved(items[i]) {
                            items[kept] = items[i]
                            kept += 1
                        }
                        end[s] = Int32(kept)
                    }
                }
            }
        }
    }

    /// Bytes the lists would take as an array each (header and elements, none when empty):
    /// what `ByteNFA.memoryBytes` counts for them, as before the lists were flattened.
    func arrayBytes(of states: Range<Int>) -> Int {
        start.withUnsafeBufferPointer { start in
            end.withUnsafeBufferPointer { end in
                // The edges and the non-empty lists counted without a branch, through pointers and
                // wrapping arithmetic (a `for` over the range checks each step and stays scalar;
                // this loop vectorizes). Both fit `Int32`: edges are indexed by `Int32`, and there
                // is a list per state.
                guard !states.isEmpty, let start = start.baseAddress, let end = end.baseAddress else { return 0 }
                var edges: Int32 = 0, lists: Int32 = 0
                var s = states.lowerBound
                while s < states.upperBound {
                    let count = end[s] &- start[s]
                    edges &+= count
                    lists &+= count != 0 ? 1 : 0
                    s &+= 1
                }
                return Int(lists) * ByteNFA.arrayHeaderBytes + Int(edges) * MemoryLayout<Edge>.stride
            }
        }
    }
}
