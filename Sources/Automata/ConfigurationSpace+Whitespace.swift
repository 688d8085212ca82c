/// What each NFA state and configuration reads of JSON whitespace (see
/// `ConfigurationSpace.whitespaceReach(_:)`), computed on first use.
struct WhitespaceTables {
    /// Per NFA state: its `StateReach`, packed (0: not computed yet).
    var states: [UInt32] = []
    /// Per configuration: `whitespaceReach`, or `unknown`.
    var configurations: [Int16] = []
    /// Per rule: whether a call of it surely reads a byte other than whitespace first
    /// (`callStartsWithoutWhitespace`): 0 not known yet, 1 yes, 2 not known to.
    var calls: [UInt8] = []
    /// Whether a state calls the root rule (nil: not looked up yet; see `endsDocument`).
    var rootCalled: Bool?
    /// A configuration's entry before it is computed.
    static let unknown: Int16 = -2

    /// Bytes held.
    var memoryBytes: Int { states.capacity * 4 + configurations.capacity * 2 + calls.capacity }
}

extension ConfigurationSpace {
    /// The most whitespace bytes the state analysis follows: past it (a whitespace loop), what a
    /// state reads is taken as unbounded.
    static let maxWhitespaceReach = 64
    /// The most NFA states after one length of whitespace the analysis follows.
    static let maxWhitespaceFrontier = 64

    /// What a stack whose top is one NFA state reads of JSON whitespace within that state's
    /// rule (byte edges and ε moves, no call, no return).
    struct StateReach {
        /// Every whitespace run of at most this many bytes is read within the rule.
        var within: Int
        /// No whitespace run longer than this is read within the rule (nil: unknown, as when
        /// the rule calls another one on the way, or loops).
        var most: Int?
        /// Whether the rule may end after some run (then what the frame below reads matters).
        var exits: Bool

        init(within: Int, most: Int?, exits: Bool) {
            self.within = within
            self.most = most
            self.exits = exits
        }

        /// In 32 bits, never 0 (`SharedStateTable`): `within` and `most` (255: unknown) in the
        /// low bytes (both at most `maxWhitespaceReach`), then `exits`, then a set bit.
        var packed: UInt32 {
            1 << 24 | (exits ? 1 << 16 : 0) | UInt32(most ?? 255) << 8 | UInt32(within)
        }

        /// The reach `packed` holds, or nil for 0.
        init?(packed: UInt32) {
            guard packed != 0 else { return nil }
            within = Int(packed & 0xFF)
            most = packed >> 8 & 0xFF == 255 ? nil : Int(packed >> 8 & 0xFF)
            exits = packed >> 16 & 1 != 0
        }
    }

    /// The length `n` such that `config` reads every run of JSON whitespace (space, tab, line
    /// feed, carriage return) of at most `n` bytes and none longer, or -1 when no such length is
    /// known: `walk` then takes the trie's whitespace subtrees without a step.
    ///
    /// A configuration reads a run when one of its stacks does. A stack reads a run within its
    /// top frame (`stateReach`: the runs of at most `within` bytes surely, none longer than
    /// `most`), and past that only by ending the frame; so where the frame may end, there must
    /// be a frame below (a local configuration's bottom frames return to frames it does not
    /// hold) whose closure reads no whitespace byte. Exact for the whitespace rule
    /// of a JSON grammar (a bounded run, then a delimiter). -1 in grammars with counted regions
    /// (whose guards drop stacks) and once the configuration budget is spent (a step can fail
    /// closed). Cached per configuration.
    func whitespaceReach(_ config: Int32) -> Int {
        if Int(config) < whitespaceTables.configurations.count,
           whitespaceTables.configurations[Int(config)] != WhitespaceTables.unknown {
            return Int(whitespaceTables.configurations[Int(config)])
        }
        let reach = computeWhitespaceReach(config)
        if whitespaceTables.configurations.count <= Int(config) {
            whitespaceTables.configurations.append(contentsOf: repeatElement(
                WhitespaceTables.unknown, count: max(Int(config) + 1, count) - whitespaceTables.configurations.count))
        }
        // A spent budget can come later: not cached then.
        if !exhausted { whitespaceTables.configurations[Int(config)] = Int16(reach) }
        return reach
    }

    private func computeWhitespaceReach(_ config: Int32) -> Int {
        if exhausted || config < 0 { return -1 }
        // First the cheap case of a bottom frame that may end at once where that is not the
        // document's end, before any state's runs are followed.
        for k in kernelRange(config) where parent(of: kernelPool[k]) < 0 && endsAtOnce(topState(of: kernelPool[k])) {
            if !endsDocument(topState(of: kernelPool[k])) { return -1 }
        }
        var within = 0, most = 0
        for k in kernelRange(config) {
            let n = kernelPool[k]
            let reach = stateReach(topState(of: n))
            guard let stateMost = reach.most else { return -1 }
            within = max(within, reach.within)
            most = max(most, stateMost)
            let below = parent(of: n)
            if reach.exits {
                // At the bottom, the frame ends the document (nothing is read after it), or in
                // a local configuration (see `kernelGroups`) returns to frames it does not hold:
                // not known.
                if below < 0 {
                    if endsDocument(topState(of: n)) { continue }
                    return -1
                }
                let (start, count, _) = closure(of: below)
                for m in start..<(start + count) where readsWhitespace(topState(of: closurePool[m])) { return -1 }
            }
        }
        return within == most ? within : -1
    }

    /// Whether a bottom frame with `state` on top ends the document when its rule ends: the
    /// state is in the root rule and no rule calls the root rule. Then such a frame is the
    /// bottom of a whole stack, never of a local configuration's (whose bottom frames were
    /// called from the frames cut off below them).
    private func endsDocument(_ state: Int32) -> Bool {
        guard nfa.stateRules[Int(state)] == nfa.root else { return false }
        if whitespaceTables.rootCalled == nil {
            // Once per grammar, over the call edges in one pass (the shared rules call no rule;
            // an unused slot of the edge lists can only make the answer true, which refuses the
            // shortcut). State by state, o21075's took 4.8 M instructions.
            let root = nfa.root
            whitespaceTables.rootCalled = nfa.callEdges.items.contains { $0.rule == root }
        }
        return whitespaceTables.rootCalled == false
    }

    /// Whether `state`'s ε moves reach the end of its rule.
    private func endsAtOnce(_ state: Int32) -> Bool {
        summaryParts(of: state).reachesEnd
    }

    /// Whether a byte edge of `state` reads a whitespace byte.
    private func readsWhitespace(_ state: Int32) -> Bool {
        for e in Int(edgeStart[Int(state)])..<Int(edgeEnd[Int(state)]) where Self.whitespaceBits(edges[e].low, edges[e].high) != 0 {
            return true
        }
        return false
    }

    /// The JSON whitespace bytes in `low...high`, as bits: 1 tab, 2 line feed, 4 carriage
    /// return, 8 space.
    @inline(__always)
    private static func whitespaceBits(_ low: UInt8, _ high: UInt8) -> Int {
        guard low <= 0x20 && high >= 0x09 else { return 0 }
        return (low <= 0x09 ? 1 : 0) | (low <= 0x0A && high >= 0x0A ? 2 : 0) | (low <= 0x0D && high >= 0x0D ? 4 : 0)
            | (high >= 0x20 ? 8 : 0)
    }

    /// What a stack with `state` on top reads of whitespace within the state's rule (cached; for
    /// the states of the shared rules, such as JSON whitespace, once per process).
    func stateReach(_ state: Int32) -> StateReach {
        if let known = knownReach(state) { return known }
        let reach = chainReach(state, depth: 0) ?? computeStateReach(state)
        remember(reach, of: state)
        return reach
    }

    /// The shared rules' table, when `state` is one of theirs.
    private func sharedReachTable(_ state: Int32) -> SharedStateTable? {
        guard Int(state) < nfa.sharedStateCount, let prefix = nfa.sharedPrefix, prefix.stateCount == nfa.sharedStateCount
        else { return nil }
        return prefix.whitespaceReach
    }

    /// The reach of `state` if this grammar or, for a shared state, any grammar worked it out.
    private func knownReach(_ state: Int32) -> StateReach? {
        if Int(state) < whitespaceTables.states.count, let known = StateReach(packed: whitespaceTables.states[Int(state)]) {
            return known
        }
        guard let shared = sharedReachTable(state), let known = StateReach(packed: shared.value(of: Int(state))) else { return nil }
        remember(known, of: state)
        return known
    }

    /// Records the reach of `state` for this grammar and, for a shared state, for every grammar.
    private func remember(_ reach: StateReach, of state: Int32) {
        if whitespaceTables.states.count <= Int(state) {
            // Grown as states are met (a large grammar's first mask meets a few of them).
            let grown = min(max(Int(state) + 1, 2 * whitespaceTables.states.count), nfa.stateCount)
            whitespaceTables.states.append(contentsOf: repeatElement(0, count: grown - whitespaceTables.states.count))
        }
        if whitespaceTables.states[Int(state)] == 0 {
            whitespaceTables.states[Int(state)] = reach.packed
            if let shared = sharedReachTable(state), shared.value(of: Int(state)) == 0 { shared.set(reach.packed, of: Int(state)) }
        }
    }

    /// `computeStateReach` for the usual shape of a whitespace run, a counter: each state reads
    /// each whitespace byte into at most one state, which reads on alone or ends the rule (calls
    /// there must surely read another byte first, see `callStartsWithoutWhitespace`). Built from
    /// the targets' reaches (each remembered), a chain of n states costs n steps instead of n²
    /// (the frontier search runs from every state of the chain). nil for another shape, or for
    /// runs of `maxWhitespaceReach` bytes or more (the search says the same as this then).
    private func chainReach(_ state: Int32, depth: Int) -> StateReach? {
        if let known = knownReach(state) { return known }
        if depth + 1 >= ConfigurationSpace.maxWhitespaceReach { return nil }
        // The target of each whitespace byte (in the order of `whitespaceBits`), -1 for none.
        var targets: (Int32, Int32, Int32, Int32) = (-1, -1, -1, -1)
        var seen = 0
        for e in Int(edgeStart[Int(state)])..<Int(edgeEnd[Int(state)]) {
            let bits = Self.whitespaceBits(edges[e].low, edges[e].high)
            if bits & seen != 0 { return nil }   // a byte with two targets
            seen |= bits
            let target = edges[e].target
            if bits & 1 != 0 { targets.0 = target }
            if bits & 2 != 0 { targets.1 = target }
            if bits & 4 != 0 { targets.2 = target }
            if bits & 8 != 0 { targets.3 = target }
        }
        var exits = endsAtOnce(state)
        if seen == 0 { return StateReach(within: 0, most: 0, exits: exits) }
        var within = seen == 15 ? Int.max : 0, most = 0
        // The bytes usually share one target (a class): its reach is worked out once.
        var previous: Int32 = -1
        for k in 0..<4 {
            let target = k == 0 ? targets.0 : k == 1 ? targets.1 : k == 2 ? targets.2 : targets.3
            guard target >= 0 && target != previous else { continue }
            guard let (reach, ends) = runReach(from: target, depth: depth + 1), let restMost = reach.most else { return nil }
            previous = target
            within = min(within, 1 + reach.within)
            most = max(most, 1 + restMost)
            exits = exits || ends || reach.exits
        }
        if most >= ConfigurationSpace.maxWhitespaceReach { return nil }
        return StateReach(within: min(within, most), most: most, exits: exits)
    }

    /// For `chainReach`: what the stack reads on after a whitespace byte leads into `target`,
    /// and whether the rule may end there; nil when it is not a counter's next state.
    private func runReach(from target: Int32, depth: Int) -> (StateReach, ends: Bool)? {
        if lazyTables.isUnbuilt(target) { return nil }
        let parts = summaryParts(of: target)
        if !callsStartWithoutWhitespace(parts) { return nil }
        if parts.kernel.isEmpty { return (StateReach(within: 0, most: 0, exits: false), parts.reachesEnd) }
        guard parts.kernel.count == 1 && summaries[parts.kernel.lowerBound] == target,
              let reach = chainReach(target, depth: depth) else { return nil }
        remember(reach, of: target)
        return (reach, parts.reachesEnd)
    }

    /// Follows the whitespace runs from `state` length by length over the set of states they
    /// reach (`frontier`): every run of a length is read when every state of the frontier reads
    /// every whitespace byte (a sufficient condition: the frontier mixes the states of all runs
    /// of the length), and the run goes on from a target that reads bytes.
    func computeStateReach(_ state: Int32) -> StateReach {
        let unbounded = StateReach(within: 0, most: nil, exits: true)
        var exits = endsAtOnce(state)
        // Most states read no whitespace at all.
        if !readsWhitespace(state) { return StateReach(within: 0, most: 0, exits: exits) }
        var within = Int.max, most = 0
        var frontier: [Int32] = [state]
        var next: [Int32] = []
        var length = 0   // the run's length before the frontier's next byte
        while !frontier.isEmpty {
            if length >= ConfigurationSpace.maxWhitespaceReach { return unbounded }
            next.removeAll(keepingCapacity: true)
            for q in frontier {
                for b in TokenTrie.WhitespaceRuns.bytes {
                    var read = false
                    for e in Int(edgeStart[Int(q)])..<Int(edgeEnd[Int(q)]) {
                        let edge = edges[e]
                        guard edge.low <= b && b <= edge.high else { continue }
                        let t = edge.target
                        if lazyTables.isUnbuilt(t) { return unbounded }
                        read = true
                        let parts = summaryParts(of: t)
                        // A rule called on the way may read whitespace of its own.
                        if !callsStartWithoutWhitespace(parts) { return unbounded }
                        if parts.reachesEnd { exits = true }
                        // A target that reads no byte ends this run: one byte longer is not read.
                        if parts.kernel.isEmpty { within = min(within, length + 1) }
                        for k in parts.kernel where !next.contains(summaries[k]) { next.append(summaries[k]) }
                    }
                    if read { most = length + 1 } else { within = min(within, length) }
                }
            }
            if next.count > ConfigurationSpace.maxWhitespaceFrontier { return unbounded }
            swap(&frontier, &next)
            length += 1
        }
        return StateReach(within: min(within, length), most: most, exits: exits)
    }

    /// Whether every rule an ε-summary calls surely reads a byte other than whitespace before
    /// anything else (`callStartsWithoutWhitespace`): then a run of whitespace ends at such a
    /// call, and the calls add nothing to what the state reads.
    private func callsStartWithoutWhitespace(_ parts: SummaryParts) -> Bool {
        for c in parts.calls where !callStartsWithoutWhitespace(summaries[c], depth: 0) { return false }
        return true
    }

    /// The most nested calls `callStartsWithoutWhitespace` follows.
    static let maxWhitespaceCallDepth = 8

    /// Whether a call of `rule` surely reads a byte other than JSON whitespace first: no state
    /// its start reaches by ε moves reads whitespace, the rule cannot end at once (its frame
    /// would return without a byte, and what follows could be whitespace), and the same holds
    /// for every rule it calls there. Cached per rule; false when not known (calls nested past
    /// `maxWhitespaceCallDepth`, a lazily built state).
    private func callStartsWithoutWhitespace(_ rule: Int32, depth: Int) -> Bool {
        if Int(rule) < whitespaceTables.calls.count, whitespaceTables.calls[Int(rule)] != 0 {
            return whitespaceTables.calls[Int(rule)] == 1
        }
        if depth >= ConfigurationSpace.maxWhitespaceCallDepth { return false }
        let ruleStart = nfa.rules[Int(rule)].start
        if lazyTables.isUnbuilt(ruleStart) { return false }
        let parts = summaryParts(of: ruleStart)
        var answer = !parts.reachesEnd
        for k in parts.kernel where answer && readsWhitespace(summaries[k]) { answer = false }
        for c in parts.calls where answer {
            answer = callStartsWithoutWhitespace(summaries[c], depth: depth + 1)
        }
        if whitespaceTables.calls.count <= Int(rule) {
            whitespaceTables.calls.append(contentsOf: repeatElement(0, count: nfa.rules.count - whitespaceTables.calls.count))
        }
        whitespaceTables.calls[Int(rule)] = answer ? 1 : 2
        return answer
    }
}

extension ConfigurationSpace {
    /// Whether a byte edge of `state` reads `byte`.
    private func readsByte(_ state: Int32, _ byte: UInt8) -> Bool {
        for e in Int(edgeStart[Int(state)])..<Int(edgeEnd[Int(state)]) where edges[e].low <= byte && byte <= edges[e].high { return true }
        return false
    }

    /// The JSON whitespace bytes, in the order `stepsAfterWhitespace` follows them.
    private static let whitespaceBytes: [UInt8] = [0x20, 0x0A, 0x09, 0x0D]

    /// The live configurations `byte` leads to from `config` and from every configuration that
    /// runs of JSON whitespace lead `config` to, each once: `step(x, byte)` for each `x` of the
    /// breadth-first closure of `config` under the four whitespace bytes (space, line feed, tab,
    /// carriage return, in that order), up to `maxClosure` members — the answer a caller
    /// stepping that closure itself would find.
    ///
    /// The closure's own configurations are not made: their kernels are followed as
    /// `computeStep` builds them (and told apart as `intern` tells configurations apart), and
    /// only the results are configurations. A question about what may follow optional
    /// whitespace (a comma, a quote, a closing brace after a JSON value) would otherwise make a
    /// configuration per run length, 21 for JSON's 20-byte runs, that no mask needs: masks read
    /// runs off the trie (`whitespaceReach`). Past a spent configuration budget (where steps
    /// fail closed) the closure is stepped as configurations, as before.
    public func stepsAfterWhitespace(_ config: Int32, _ byte: UInt8, maxClosure: Int = 256) -> [Int32] {
        stepsAfterWhitespaceClosure(config, byte, maxClosure: maxClosure).steps
    }

    /// `stepsAfterWhitespace`, and whether the closure was followed to its end (it has fewer
    /// than `maxClosure` members): then the closure of any configuration whitespace leads
    /// `config` to is part of it, and so are its steps.
    public func stepsAfterWhitespaceClosure(_ config: Int32, _ byte: UInt8, maxClosure: Int = 256) -> (steps: [Int32], complete: Bool) {
        var results: [Int32] = []
        func add(_ c: Int32) { if c >= 0 && !results.contains(c) { results.append(c) } }
        guard config >= 0 else { return (results, true) }
        if exhausted {
            var found = [config]
            var i = 0
            while i < found.count && found.count < maxClosure {
                for w in Self.whitespaceBytes {
                    let next = step(found[i], w)
                    if next >= 0 && !found.contains(next) { found.append(next) }
                }
                i += 1
            }
            for x in found { add(step(x, byte)) }
            return (results, i >= found.count)
        }
        add(step(config, byte))
        // The closure's kernels, flattened (member `j` owns `pool[starts[j]..<starts[j + 1]]`),
        // with their accepting flags and hashes.
        var pool = Array(kernelNodes(config))
        var starts = [0, pool.count]
        var accepts = [accepting[Int(config)]]
        var hashes = [pool.withUnsafeBufferPointer { Self.hash($0, accepts[0]) }]
        var next: [Int32] = [], stepped: [Int32] = []
        // The whitespace bytes of distinct byte classes (bytes of one class lead every kernel to
        // the same place).
        var runBytes: [UInt8] = []
        for w in Self.whitespaceBytes where !runBytes.contains(where: { byteClass[Int($0)] == byteClass[Int(w)] }) { runBytes.append(w) }
        // The stacks of each kernel met that read `byte`, flattened as `pool`: kernels whose
        // readers were met before step to the same place.
        var readerPool: [Int32] = [], readerStarts = [0], readerHashes: [UInt64] = []
        var i = 0
        while i < accepts.count && accepts.count < maxClosure {
            for w in runBytes {
                next.removeAll(keepingCapacity: true)
                guard let nextAccepts = successorKernel(of: pool[starts[i]..<starts[i + 1]], w, into: &next),
                      !(next.isEmpty && !nextAccepts) else { continue }
                // Met before: the same nodes (the members of `kernelMembers` now) and flag.
                let h = next.withUnsafeBufferPointer { Self.hash($0, nextAccepts) }
                let known = accepts.indices.contains { j in
                    hashes[j] == h && accepts[j] == nextAccepts && starts[j + 1] - starts[j] == next.count
                        && pool[starts[j]..<starts[j + 1]].allSatisfy { kernelMembers.contains($0) }
                }
                if known { continue }
                pool += next
                starts.append(pool.count)
                accepts.append(nextAccepts)
                hashes.append(h)
                let readersStart = readerPool.count
                for n in next where readsByte(topState(of: n), byte) { readerPool.append(n) }
                let readers = readerPool[readersStart...]
                let readersHash = readerPool.withUnsafeBufferPointer { Self.hash(UnsafeBufferPointer(rebasing: $0[readersStart...]), false) }
                let stepsAsBefore = readerHashes.indices.contains { j in
                    readerHashes[j] == readersHash && readerStarts[j + 1] - readerStarts[j] == readers.count
                        && readerPool[readerStarts[j]..<readerStarts[j + 1]].elementsEqual(readers)
                }
                if stepsAsBefore {
                    readerPool.removeLast(readers.count)
                    continue
                }
                readerStarts.append(readerPool.count)
                readerHashes.append(readersHash)
                stepped.removeAll(keepingCapacity: true)
                if let steppedAccepts = successorKernel(of: readerPool[readersStart...], byte, into: &stepped) {
                    add(intern(stepped, accepting: steppedAccepts))
                }
            }
            i += 1
        }
        return (results, i >= accepts.count)
    }
}
