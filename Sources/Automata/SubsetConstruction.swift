import Grammar

/// The subset construction behind `RegularAutomaton.determinize`, on flat arrays.
///
/// A DFA state is the set of NFA states with byte edges that the ε-closure reaches, plus whether
/// it reaches the final state (states without byte edges do not change what follows, so they are
/// left out and more subsets coincide). Subsets are stored in one pool and interned by a 64-bit
/// hash; closures use a generation-stamped visited array; each subset's successors for every byte
/// class are gathered in one pass over its edges.
struct SubsetConstruction {
    private let classOf: [UInt8]
    private let classCount: Int
    /// ε edges of NFA state `s`: `epsilonTargets[epsilonStart[s]..<epsilonStart[s + 1]]`.
    private let epsilonStart: [Int32]
    private let epsilonTargets: [Int32]
    /// Byte edges of NFA state `s`, as byte-class ranges: `edgeStart[s]..<edgeStart[s + 1]`.
    private let edgeStart: [Int32]
    private let edgeFirstClass: [UInt8]
    private let edgeLastClass: [UInt8]
    private let edgeTarget: [Int32]
    private let final: Int32

    private var visitedAt: [UInt32]
    private var generation: UInt32 = 0
    /// NFA states visited by closures so far.
    private var visits = 0
    /// Subsets: members `pool[subsetStart[i]..<subsetStart[i + 1]]`, acceptance `accepting[i]`.
    private var pool: [Int32] = []
    private var subsetStart: [Int32] = [0]
    private var accepting: [Bool] = []
    private var byHash = IntegerMap()
    private var nextWithHash: [Int32] = []

    /// Prepares the construction for the root rule of the call-free `nfa`, with the byte classes
    /// `classOf` (every edge boundary must be a class boundary).
    init(_ nfa: ByteNFA, classOf: [UInt8], classCount: Int) {
        self.classOf = classOf
        self.classCount = classCount
        var epsilonStart: [Int32] = [0], epsilonTargets: [Int32] = []
        var edgeStart: [Int32] = [0], edgeFirstClass: [UInt8] = [], edgeLastClass: [UInt8] = [], edgeTarget: [Int32] = []
        for state in 0..<nfa.stateCount {
            epsilonTargets += nfa.epsilonEdges[state]
            epsilonStart.append(Int32(epsilonTargets.count))
            for e in nfa.byteEdges[state] {
                edgeFirstClass.append(classOf[Int(e.low)])
                edgeLastClass.append(classOf[Int(e.high)])
                edgeTarget.append(e.target)
            }
            edgeStart.append(Int32(edgeTarget.count))
        }
        self.epsilonStart = epsilonStart
        self.epsilonTargets = epsilonTargets
        self.edgeStart = edgeStart
        self.edgeFirstClass = edgeFirstClass
        self.edgeLastClass = edgeLastClass
        self.edgeTarget = edgeTarget
        self.final = nfa.rules[Int(nfa.root)].final
        self.visitedAt = [UInt32](repeating: 0, count: nfa.stateCount)
    }

    /// Runs the construction from `start`: the transition table (`classCount` entries per
    /// state, -1 for dead) and each state's acceptance. `limitExceeded` beyond `maxStates`
    /// subsets or `maxVisits` NFA states visited by closures.
    mutating func run(from start: Int32, maxStates: Int, maxVisits: Int = .max) throws(GrammarError) -> (transitions: [Int32], accepting: [Bool]) {
        var closure = [Int32](repeating: 0, count: visitedAt.count + 1)
        var stack = [Int32](repeating: 0, count: visitedAt.count)
        let first = close([start], into: &closure, stack: &stack)
        _ = try intern(closure[0..<first], maxStates: maxStates)
        var transitions: [Int32] = []
        // The targets of the current subset by class, in one flat array (a counting sort of its
        // edges by class, edges in order within a class):
        // `targets[targetStart[c]..<targetStart[c + 1]]`.
        var targetStart = [Int](repeating: 0, count: classCount + 1)
        var targets: [Int32] = []
        var i = 0
        while i < accepting.count {
            let members = Int(subsetStart[i])..<Int(subsetStart[i + 1])
            for c in 0...classCount { targetStart[c] = 0 }
            for k in members {
                let s = Int(pool[k])
                for e in Int(edgeStart[s])..<Int(edgeStart[s + 1]) {
                    for c in Int(edgeFirstClass[e])...Int(edgeLastClass[e]) { targetStart[c + 1] += 1 }
                }
            }
            for c in 0..<classCount { targetStart[c + 1] += targetStart[c] }
            if targets.count < targetStart[classCount] { targets = [Int32](repeating: 0, count: targetStart[classCount]) }
            targetStart.withUnsafeMutableBufferPointer { start in
                targets.withUnsafeMutableBufferPointer { targets in
                    for k in members {
                        let s = Int(pool[k])
                        for e in Int(edgeStart[s])..<Int(edgeStart[s + 1]) {
                            for c in Int(edgeFirstClass[e])...Int(edgeLastClass[e]) {
                                targets[start[c]] = edgeTarget[e]
                                start[c] += 1
                            }
                        }
                    }
                    // Each class's start moved to its end: shift back.
                    for c in stride(from: classCount, to: 0, by: -1) { start[c] = start[c - 1] }
                    start[0] = 0
                }
            }
            for c in 0..<classCount {
                let range = targetStart[c]..<targetStart[c + 1]
                if range.isEmpty {
                    transitions.append(-1)
                } else if c > 0, targets[range].elementsEqual(targets[targetStart[c - 1]..<targetStart[c]]) {
                    // Neighbouring classes often read the same edges (the continuation bytes
                    // of a large character class): the same subset, without a closure.
                    transitions.append(transitions[transitions.count - 1])
                } else {
                    let count = close(targets[range], into: &closure, stack: &stack)
                    transitions.append(try intern(closure[0..<count], maxStates: maxStates))
                }
            }
            guard visits <= maxVisits else {
                throw GrammarError(.limitExceeded, "a determinization needs more than \(maxVisits) closure steps")
            }
            i += 1
        }
        return (transitions, accepting)
    }

    /// The ε-closure of `seeds` into `members[0..<count]`, returning `count`: its states with
    /// byte edges, sorted, then -1 when it reaches the final state. `members` has a slot per
    /// NFA state and one more, `stack` a slot per NFA state (a closure visits a state once).
    private mutating func close(_ seeds: some Collection<Int32>, into members: inout [Int32], stack: inout [Int32]) -> Int {
        generation &+= 1
        if generation == 0 {
            for i in visitedAt.indices { visitedAt[i] = 0 }
            generation = 1
        }
        let generation = self.generation, final = self.final
        let epsilonStart = self.epsilonStart, epsilonTargets = self.epsilonTargets, edgeStart = self.edgeStart
        var count = 0, visited = 0, reachesFinal = false
        visitedAt.withUnsafeMutableBufferPointer { visitedAt in
            stack.withUnsafeMutableBufferPointer { stack in
                members.withUnsafeMutableBufferPointer { members in
                    epsilonStart.withUnsafeBufferPointer { epsilonStart in
                        epsilonTargets.withUnsafeBufferPointer { epsilonTargets in
                            edgeStart.withUnsafeBufferPointer { edgeStart in
                                var top = 0
                                for s in seeds where visitedAt[Int(s)] != generation {
                                    visitedAt[Int(s)] = generation
                                    stack[top] = s
                                    top += 1
                                }
                                while top > 0 {
                                    top -= 1
                                    let s = stack[top]
                                    visited += 1
                                    if s == final { reachesFinal = true }
                                    if edgeStart[Int(s)] != edgeStart[Int(s) + 1] {
                                        members[count] = s
                                        count += 1
                                    }
                                    for e in Int(epsilonStart[Int(s)])..<Int(epsilonStart[Int(s) + 1]) {
                                        let t = epsilonTargets[e]
                                        if visitedAt[Int(t)] != generation {
                                            visitedAt[Int(t)] = generation
                                            stack[top] = t
                                            top += 1
                                        }
                                    }
                                }
                            }
                        }
                    }
                    members[0..<count].sort()
                }
            }
        }
        visits += visited
        if reachesFinal {
            members[count] = -1
            count += 1
        }
        return count
    }

    /// The id of the subset `members` (as `close` leaves it), added when new.
    private mutating func intern(_ members: ArraySlice<Int32>, maxStates: Int) throws(GrammarError) -> Int32 {
        var h: UInt64 = 0x9E37_79B9_7F4A_7C15 ^ UInt64(members.count)
        for x in members {
            h = (h ^ UInt64(UInt32(bitPattern: x))) &* 0xFF51_AFD7_ED55_8CCD
            h ^= h >> 29
        }
        let reachesFinal = members.last == -1
        let count = members.count - (reachesFinal ? 1 : 0)
        let head = byHash.value(for: h) ?? -1
        var candidate = head
        while candidate >= 0 {
            let start = Int(subsetStart[Int(candidate)]), end = Int(subsetStart[Int(candidate) + 1])
            if accepting[Int(candidate)] == reachesFinal, end - start == count,
               pool[start..<end].elementsEqual(members.prefix(count)) {
                return candidate
            }
            candidate = nextWithHash[Int(candidate)]
        }
        guard accepting.count < maxStates else {
            throw GrammarError(.limitExceeded, "an intersection or difference needs more than \(maxStates) automaton states")
        }
        let id = Int32(accepting.count)
        pool += members.prefix(count)
        subsetStart.append(Int32(pool.count))
        accepting.append(reachesFinal)
        nextWithHash.append(head)
        byHash.set(id, for: h)
        return id
    }
}
