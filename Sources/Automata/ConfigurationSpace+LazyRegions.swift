import Grammar

/// States of lazily built automata (`LazyRegion`): NFA states created as the output reaches
/// them.
///
/// A region's entry is an NFA state without edges when the space is created. The first time a
/// state of a region is needed (its ε-summary, so before any stack sits on it), it gets byte
/// edges to one NFA state per live successor of its automaton state, each created then, without
/// edges of its own yet, and an ε edge to the region's exit if it accepts. Everything else — closures,
/// configurations, steps, masks — sees ordinary NFA states. The automaton is trim, so every
/// state created has a completion, as pruning guarantees for the rest of the NFA.
extension ConfigurationSpace {
    /// The byte edges of lazily built `state` (creating the NFA states of its successors) and
    /// its exit, if it accepts.
    func lazyEdges(of state: Int32) -> (edges: [ByteNFA.ByteEdge], exit: Int32?) {
        let (region, key) = lazyTables.key(of: state)
        lazyTables.unbuilt.remove(state)
        let definition = nfa.lazyRegions[Int(region)].automaton.definition
        var byteEdges: [ByteNFA.ByteEdge] = []
        for (byte, next) in definition.successors(of: key) {
            let target = lazyState(region: region, next)
            if let last = byteEdges.last, last.target == target, Int(last.high) + 1 == Int(byte) {
                byteEdges[byteEdges.count - 1].high = byte
            } else {
                byteEdges.append(ByteNFA.ByteEdge(low: byte, high: byte, target: target))
            }
        }
        return (byteEdges, definition.isAccepting(key) ? nfa.lazyRegions[Int(region)].exit : nil)
    }

    /// The NFA state of automaton state `key` of `region` (created, unbuilt, on first use).
    private func lazyState(region: Int32, _ key: LazyAutomatonState) -> Int32 {
        let tableKey = LazyRegionTables.Key(region: region, state: key)
        if let known = lazyTables.ids[tableKey] { return known }
        let rule = nfa.stateRules[Int(nfa.lazyRegions[Int(region)].entry)]
        let id = appendLazyNFAState(rule: rule)
        lazyTables.ids[tableKey] = id
        lazyTables.states.append((region, key))
        lazyTables.completions.append(-1)
        lazyTables.unbuilt.insert(id)
        return id
    }

    /// The fewest bytes from NFA state `state` to its rule's final state.
    func completionDistance(of state: Int32) -> Int {
        let index = Int(state) - builtStateCount
        guard index >= 0 else { return Int(completion.distance[Int(state)]) }
        if lazyTables.completions[index] < 0 {
            let (region, key) = lazyTables.states[index]
            let definition = nfa.lazyRegions[Int(region)].automaton.definition
            let exit = Int(completion.distance[Int(nfa.lazyRegions[Int(region)].exit)])
            lazyTables.completions[index] = Int32(clamping: definition.shortestCompletion(from: key) + exit)
        }
        return Int(lazyTables.completions[index])
    }
}

/// The lazily built states of a `ConfigurationSpace` (see `ConfigurationSpace+LazyRegions.swift`).
struct LazyRegionTables {
    /// A state of a region's automaton.
    struct Key: Hashable {
        var region: Int32
        var state: LazyAutomatonState
    }

    /// How many NFA states were built ahead.
    let builtStateCount: Int
    /// Per region, its entry state and the automaton's start state.
    private(set) var entries: [(state: Int32, start: LazyAutomatonState)] = []
    /// The NFA state of each region state created so far.
    var ids: [Key: Int32] = [:]
    /// Per NFA state from `builtStateCount`: its region and automaton state.
    var states: [(region: Int32, state: LazyAutomatonState)] = []
    /// Per NFA state from `builtStateCount`: its completion distance (-1: not computed yet).
    var completions: [Int32] = []
    /// The states without their edges yet.
    var unbuilt: Set<Int32> = []

    init(_ nfa: ByteNFA) {
        builtStateCount = nfa.stateCount
        for (r, region) in nfa.lazyRegions.enumerated() {
            entries.append((region.entry, region.automaton.definition.start))
            ids[Key(region: Int32(r), state: region.automaton.definition.start)] = region.entry
            unbuilt.insert(region.entry)
        }
    }

    /// Whether `state` still needs its edges.
    @inline(__always)
    func isUnbuilt(_ state: Int32) -> Bool {
        !unbuilt.isEmpty && unbuilt.contains(state)
    }

    /// The region and automaton state of a lazily built state or region entry.
    func key(of state: Int32) -> (region: Int32, state: LazyAutomatonState) {
        let index = Int(state) - builtStateCount
        if index >= 0 { return states[index] }
        let region = entries.firstIndex { $0.state == state }!
        return (Int32(region), entries[region].start)
    }

    /// Approximate bytes held: an NFA state, its edges and table entries per lazily built state.
    var memoryBytes: Int { states.count * 160 }
}
