extension RegularAutomaton {
    /// The minimal automaton of the same language (Moore's partition refinement), with the start
    /// state still 0. States of a trimmed automaton all reach acceptance, so two states are
    /// merged exactly when every byte string leads both to acceptance or both to rejection.
    ///
    /// Each round splits the current blocks by the blocks of their successors, until a round
    /// splits none: O(states × classes) per round. Worth its cost for automata built once and
    /// reused many times (see `RegularAutomatonCache`).
    func minimized() -> RegularAutomaton {
        let n = stateCount
        guard n > 1 else { return self }
        // Block of each state; the dead state (-1) is a block of its own, never merged.
        var block = accepting.map { Int32($0 ? 1 : 0) }
        var blockCount = Set(block).count
        var signature = [Int32](repeating: 0, count: classCount + 1)
        while true {
            var blocksBySignature: [[Int32]: Int32] = [:]
            blocksBySignature.reserveCapacity(blockCount * 2)
            var refined = [Int32](repeating: 0, count: n)
            for s in 0..<n {
                signature[0] = block[s]
                for c in 0..<classCount {
                    let t = transitions[s * classCount + c]
                    signature[c + 1] = t >= 0 ? block[Int(t)] : -1
                }
                if let existing = blocksBySignature[signature] {
                    refined[s] = existing
                } else {
                    let id = Int32(blocksBySignature.count)
                    blocksBySignature[signature] = id
                    refined[s] = id
                }
            }
            block = refined
            // Refinement only splits blocks: the same count means the same partition.
            if blocksBySignature.count == blockCount { break }
            blockCount = blocksBySignature.count
        }
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
