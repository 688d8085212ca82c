extension RegularAutomaton {
    /// The minimal automaton of the same language, with the start state still 0. States of a
    /// trimmed automaton all reach acceptance, so two states are merged exactly when every byte
    /// string leads both to acceptance or both to rejection (a missing transition is rejection).
    ///
    /// Partition refinement after Valmari and Lehtinen (Hopcroft's "process the smaller half",
    /// on partial automata): blocks of states and *cords* of transitions (by class, then by the
    /// block they lead into) refine each other. O(transitions × log states), so automata with
    /// long distinguishing strings (`hostname`: 252 rounds of Moore's algorithm) cost no more
    /// than others. Worth its cost for automata built once and reused many times (see
    /// `RegularAutomatonCache`).
    func minimized() -> RegularAutomaton {
        let n = stateCount
        guard n > 1 else { return self }
        // The transitions, grouped by class: tails and heads.
        let m = transitions.reduce(0) { $0 + ($1 >= 0 ? 1 : 0) }
        var tails = [Int32](repeating: 0, count: m), heads = [Int32](repeating: 0, count: m)
        var classStarts: [Int32] = []
        transitions.withUnsafeBufferPointer { table in
            tails.withUnsafeMutableBufferPointer { tails in
                heads.withUnsafeMutableBufferPointer { heads in
                    var count = 0
                    for c in 0..<classCount {
                        let start = count
                        for s in 0..<n {
                            let t = table[s * classCount + c]
                            if t >= 0 { tails[count] = Int32(s); heads[count] = t; count += 1 }
                        }
                        if count > start { classStarts.append(Int32(start)) }
                    }
                }
            }
        }
        // Incoming transitions of each state: `incoming[incomingStart[s]..<incomingStart[s + 1]]`.
        var incomingStart = [Int32](repeating: 0, count: n + 1)
        for h in heads { incomingStart[Int(h) + 1] += 1 }
        for s in 0..<n { incomingStart[s + 1] += incomingStart[s] }
        var fill = incomingStart
        var incoming = [Int32](repeating: 0, count: m)
        for t in 0..<m {
            incoming[Int(fill[Int(heads[t])])] = Int32(t)
            fill[Int(heads[t])] += 1
        }
        let blocks = RefinablePartition(size: n)
        for s in 0..<n where accepting[s] { blocks.mark(Int32(s)) }
        blocks.split()
        let cords = RefinablePartition(size: m, groups: classStarts)
        var b = 1, c = 0
        while c < cords.count {
            for i in cords.members(of: c) { blocks.mark(tails[Int(i)]) }
            blocks.split()
            c += 1
            while b < blocks.count {
                for state in blocks.members(of: b) {
                    for j in Int(incomingStart[Int(state)])..<Int(incomingStart[Int(state) + 1]) { cords.mark(incoming[j]) }
                }
                cords.split()
                b += 1
            }
        }
        let block = Array(blocks.setOf)
        let blockCount = blocks.count
        // Renumber blocks in order of first reach from the start state, which becomes 0.
        var number = [Int32](repeating: -1, count: blockCount)
        var representative: [Int] = []
        var queue = [0]
        number[Int(block[0])] = 0
        representative.append(0)
        var head = 0
        while head < queue.count {
            let s = queue[head]
            head += 1
            for c in 0..<classCount {
                let t = transitions[s * classCount + c]
                if t >= 0, number[Int(block[Int(t)])] < 0 {
                    number[Int(block[Int(t)])] = Int32(representative.count)
                    representative.append(Int(t))
                    queue.append(Int(t))
                }
            }
        }
        var minimalTransitions: [Int32] = []
        minimalTransitions.reserveCapacity(representative.count * classCount)
        var minimalAccepting: [Bool] = []
        minimalAccepting.reserveCapacity(representative.count)
        for s in representative {
            for c in 0..<classCount {
                let t = transitions[s * classCount + c]
                minimalTransitions.append(t >= 0 ? number[Int(block[Int(t)])] : -1)
            }
            minimalAccepting.append(accepting[s])
        }
        return RegularAutomaton(classOf: classOf, classCount: classCount, transitions: minimalTransitions, accepting: minimalAccepting)
    }
}

/// A partition of `0..<size` that can be refined (Valmari and Lehtinen): each set is a range of
/// `elements`; marking moves an element to the front of its set, and `split` separates the
/// marked elements of every touched set from the others, the smaller part becoming a new set.
/// A class over raw buffers: `mark` runs once per transition and refinement step.
private final class RefinablePartition {
    /// The elements, set by set.
    private let elements: UnsafeMutableBufferPointer<Int32>
    /// The position of each element in `elements`.
    private let location: UnsafeMutableBufferPointer<Int32>
    /// The set of each element.
    let setOf: UnsafeMutableBufferPointer<Int32>
    /// Each set's range in `elements`, and how many of its elements are marked.
    private let first: UnsafeMutableBufferPointer<Int32>, past: UnsafeMutableBufferPointer<Int32>
    private let marked: UnsafeMutableBufferPointer<Int32>
    /// The sets with marked elements: `touched[0..<touchedCount]` (each set at most once, so
    /// at most `size` of them).
    private let touched: UnsafeMutableBufferPointer<Int32>
    private var touchedCount = 0
    /// The number of sets.
    private(set) var count: Int

    /// One set of all elements, or consecutive nonempty sets starting at `groups` (ascending,
    /// from 0).
    init(size: Int, groups: [Int32] = [0]) {
        let capacity = max(size, 1)
        elements = .allocate(capacity: capacity)
        location = .allocate(capacity: capacity)
        setOf = .allocate(capacity: capacity)
        first = .allocate(capacity: capacity)
        past = .allocate(capacity: capacity)
        marked = .allocate(capacity: capacity)
        marked.initialize(repeating: 0)
        touched = .allocate(capacity: capacity)
        for e in 0..<size {
            elements[e] = Int32(e)
            location[e] = Int32(e)
        }
        count = size > 0 ? groups.count : 0
        for g in 0..<count {
            let end = g + 1 < groups.count ? groups[g + 1] : Int32(size)
            first[g] = groups[g]
            past[g] = end
            for e in groups[g]..<end { setOf[Int(e)] = Int32(g) }
        }
    }

    deinit {
        for buffer in [elements, location, setOf, first, past, marked, touched] { buffer.deallocate() }
    }

    /// The elements of set `s`.
    func members(of s: Int) -> Slice<UnsafeMutableBufferPointer<Int32>> { elements[Int(first[s])..<Int(past[s])] }

    /// Marks `e` (each element at most once between splits).
    @inline(__always)
    func mark(_ e: Int32) {
        let s = Int(setOf[Int(e)]), i = Int(location[Int(e)]), j = Int(first[s] + marked[s])
        let moved = elements[j]
        elements[i] = moved
        location[Int(moved)] = Int32(i)
        elements[j] = e
        location[Int(e)] = Int32(j)
        if marked[s] == 0 {
            touched[touchedCount] = Int32(s)
            touchedCount += 1
        }
        marked[s] += 1
    }

    /// Splits every touched set into its marked and unmarked elements.
    func split() {
        while touchedCount > 0 {
            touchedCount -= 1
            let s = Int(touched[touchedCount]), j = first[s] + marked[s]
            marked[s] = 0
            guard j != past[s] else { continue }
            let z = count
            if j - first[s] <= past[s] - j {
                first[z] = first[s]
                past[z] = j
                first[s] = j
            } else {
                past[z] = past[s]
                first[z] = j
                past[s] = j
            }
            marked[z] = 0
            for i in Int(first[z])..<Int(past[z]) { setOf[Int(elements[i])] = Int32(z) }
            count += 1
        }
    }
}
