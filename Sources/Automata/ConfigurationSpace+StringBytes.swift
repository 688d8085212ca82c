import Grammar

extension PlainText {
    /// A run of bytes that plain text treats alike in one state: each leads to plain-text
    /// state `next`, or leaves plain text (`next` -1 for `"` and `\`, -2 for a byte no JSON
    /// string reads there: a control byte or one that breaks UTF-8).
    struct ByteRun {
        let low: UInt8
        let high: UInt8
        let next: Int8
    }

    /// The runs of bytes alike in each plain-text state, in byte order, covering every byte:
    /// state `p`'s at `byteRuns[byteRunStart[p]..<byteRunStart[p + 1]]`.
    static let byteRuns: [ByteRun] = (0..<stateCount).flatMap { p in
        func kind(_ b: Int) -> Int8 {
            let q = next(Int8(p), UInt8(b))
            return q >= 0 ? q : b == 0x22 || b == 0x5C ? -1 : -2
        }
        var runs: [ByteRun] = []
        var low = 0
        for b in 1...256 where b == 256 || kind(b) != kind(low) {
            runs.append(ByteRun(low: UInt8(low), high: UInt8(b - 1), next: kind(low)))
            low = b
        }
        return runs
    }

    /// Where each plain-text state's runs start in `byteRuns` (and the end, last).
    static let byteRunStart: [Int] = {
        var starts = [0]
        for (i, run) in byteRuns.enumerated() where run.high == 255 { starts.append(i + 1) }
        return starts
    }()
}

/// What plain text does to one frame of a stack (`ConfigurationSpace.frameOutcome`), per NFA
/// state and per stack node, computed once per grammar.
struct StringFrameTables {
    /// What plain text read from a frame can lead to, as the tables store it.
    enum Outcome: Int8 {
        /// Not computed yet.
        case unknown = -1
        /// Being computed (a rule that calls itself): taken as `reads`.
        case pending = -2
        /// It may read a byte that leaves plain text other than `"` and `\` (or the search
        /// gave up).
        case reads = 0
        /// It reads no such byte and the frame never returns.
        case stays = 1
        /// It reads no such byte in the frame, and the frame may return, always at a
        /// character boundary: what the frame below reads then decides.
        case returns = 2
    }

    /// Per NFA state with byte edges: the outcome of plain text read from a frame whose top
    /// state it is (`Outcome.rawValue`; shorter than the state count: unknown).
    var fromTop: [Int8] = []
    /// Per NFA state: the outcome of a frame entered at the state (its ε-summary taken): a
    /// rule's start, or a return target when the frame above returns.
    var fromEntry: [Int8] = []
    /// Per stack node of a kernel: 1 when plain text read from its stack reads no byte that
    /// leaves plain text other than `"` and `\`, 0 when it may, -1 not computed.
    var stacks: [Int8] = []

    /// Search scratch, per NFA state: the search (`search`) that last reached it, and the
    /// plain-text states (bits) at which that search reached it as a kernel state and took
    /// its ε-summary.
    struct Reached {
        var search: UInt16 = 0
        var asKernel: UInt8 = 0
        var summaryTaken: UInt8 = 0
    }

    /// `Reached` per NFA state, up to the highest a search reached.
    var reached: [Reached] = []
    /// The last search's number (each search, nested ones too, takes the next).
    var search: UInt16 = 0

    /// Bytes held.
    var memoryBytes: Int { fromTop.count + fromEntry.count + stacks.count + reached.count * MemoryLayout<Reached>.stride }

    /// Records that search `search` reached `state` at plain-text state `plain`, as a kernel
    /// state (`summary` false) or by taking its ε-summary; false when it had already. (A
    /// nested search may take over a state of the search around it, which may then reach it
    /// again: more work, the same outcome.)
    @inline(__always)
    mutating func reach(_ state: Int32, _ plain: Int8, summary: Bool, search: UInt16) -> Bool {
        if Int(state) >= reached.count {
            reached.append(contentsOf: repeatElement(Reached(), count: Int(state) + 1 - reached.count))
        }
        let bit = UInt8(1) << UInt8(plain)
        if reached[Int(state)].search != search { reached[Int(state)] = Reached(search: search) }
        if summary {
            if reached[Int(state)].summaryTaken & bit != 0 { return false }
            reached[Int(state)].summaryTaken |= bit
        } else {
            if reached[Int(state)].asKernel & bit != 0 { return false }
            reached[Int(state)].asKernel |= bit
        }
        return true
    }

    /// The entry of `table` at `index` (`unknown` past its end).
    @inline(__always)
    static func outcome(_ table: [Int8], _ index: Int32) -> Outcome {
        Int(index) < table.count ? Outcome(rawValue: table[Int(index)])! : .unknown
    }

    /// Sets the entry of `table` at `index`, growing it with unknowns.
    static func set(_ table: inout [Int8], _ index: Int32, _ outcome: Outcome) {
        if table.count <= Int(index) {
            table.append(contentsOf: repeatElement(Outcome.unknown.rawValue, count: Int(index) + 1 - table.count))
        }
        table[Int(index)] = outcome.rawValue
    }
}

extension ConfigurationSpace {
    /// Whether every configuration that plain text (`PlainText`, of any length) leads `config`
    /// to reads none of the bytes that leave plain text there other than `"` and `\`
    /// (`PlainText.byteRuns` with `next` -2): then no token that leaves plain text at such a
    /// byte is read, and a walk inside a JSON string may pass over them
    /// (`PlainTextSlices.Slice.stringRest`).
    ///
    /// A configuration reads a byte only through the byte edges of its kernel's top states, so
    /// each stack is checked alone (`stringStackReadsOnlyStringBytes`, cached per stack node).
    public func readsOnlyStringBytesAfterPlainText(_ config: Int32) -> Bool {
        for k in kernelRange(config) {
            let n = kernelPool[k]
            let known = Int(n) < stringFrameTables.stacks.count ? stringFrameTables.stacks[Int(n)] : -1
            if known == 0 || (known < 0 && !stringStackReadsOnlyStringBytes(n)) { return false }
        }
        return true
    }

    /// Whether plain text read from the stack of kernel node `n` reads no byte that leaves
    /// plain text other than `"` and `\`: its top frame's outcome (`frameOutcome`), then, as
    /// long as the frame may return, the outcome of the frame below entered at its return
    /// target (a frame returning at the stack's bottom ends the document and reads nothing
    /// more). Cached in `stringFrameTables.stacks`.
    @inline(never)
    func stringStackReadsOnlyStringBytes(_ n: Int32) -> Bool {
        var outcome = frameOutcome(topState(of: n), entered: false)
        var below = parent(of: n)
        while outcome == .returns {
            if below < 0 {
                outcome = .stays
                break
            }
            outcome = frameOutcome(topState(of: below), entered: true)
            below = parent(of: below)
        }
        let result = outcome == .stays
        StringFrameTables.set(&stringFrameTables.stacks, n, result ? .stays : .reads)
        return result
    }

    /// What plain text read within one frame leads to (cached per state): from a top state
    /// `state` reading bytes, or (`entered`) from the frame entered at `state` (a rule's start
    /// or a return target at a character boundary, its ε-summary taken).
    ///
    /// A search over (NFA state, plain-text state) pairs of the frame along byte edges and
    /// ε-summaries, at most `maxPairs`: `reads` as soon as a state reads a byte that leaves
    /// plain text at its plain-text state other than `"` and `\`. A call made at a character
    /// boundary enters the callee's frame (its outcome, computed the same way); when it may
    /// return, the search goes on at the call's return target. The frame's end at a boundary
    /// gives `returns`; the frame's end or a call inside a character gives `reads` (not
    /// followed: byte-level grammars only).
    func frameOutcome(_ state: Int32, entered: Bool, maxPairs: Int = 64) -> StringFrameTables.Outcome {
        let known = StringFrameTables.outcome(entered ? stringFrameTables.fromEntry : stringFrameTables.fromTop, state)
        switch known {
        case .unknown: break
        case .pending: return .reads
        default: return known
        }
        if entered { StringFrameTables.set(&stringFrameTables.fromEntry, state, .pending) }
        // The kernel states reached, each with its plain-text state, and the ε-summaries still
        // to take (at a plain-text state), each once (`StringFrameTables.reach`).
        stringFrameTables.search &+= 1
        if stringFrameTables.search == 0 {
            for i in stringFrameTables.reached.indices { stringFrameTables.reached[i] = .init() }
            stringFrameTables.search = 1
        }
        let search = stringFrameTables.search
        _ = stringFrameTables.reach(state, 0, summary: entered, search: search)
        var pairs: [(state: Int32, plain: Int8)] = entered ? [] : [(state, Int8(0))]
        var summariesToTake: [(state: Int32, plain: Int8)] = entered ? [(state, Int8(0))] : []
        var nextPair = 0
        var returns = false
        var outcome = StringFrameTables.Outcome.stays
        let byteRuns = PlainText.byteRuns, byteRunStart = PlainText.byteRunStart
        search: while true {
            if let (target, q) = summariesToTake.popLast() {
                let parts = summaryParts(of: target)
                if parts.reachesEnd {
                    if q != 0 {
                        outcome = .reads
                        break
                    }
                    returns = true
                }
                for k in parts.kernel {
                    let t = summaries[k]
                    if !stringFrameTables.reach(t, q, summary: false, search: search) { continue }
                    if pairs.count == maxPairs {
                        outcome = .reads
                        break search
                    }
                    pairs.append((t, q))
                }
                for c in parts.calls {
                    let (rule, returnTarget) = (summaries[c], summaries[c + 1])
                    let callee = q == 0 ? frameOutcome(nfa.rules[Int(rule)].start, entered: true, maxPairs: maxPairs) : .reads
                    if callee == .stays { continue }
                    if callee != .returns {
                        outcome = .reads
                        break search
                    }
                    if stringFrameTables.reach(returnTarget, 0, summary: true, search: search) {
                        summariesToTake.append((returnTarget, 0))
                    }
                }
                continue
            }
            guard nextPair < pairs.count else { break }
            let (s, p) = pairs[nextPair]
            nextPair += 1
            for e in Int(edgeStart[Int(s)])..<Int(edgeEnd[Int(s)]) {
                let (low, high, target) = (edges[e].low, edges[e].high, edges[e].target)
                for r in byteRunStart[Int(p)]..<byteRunStart[Int(p) + 1] where byteRuns[r].high >= low {
                    if byteRuns[r].low > high { break }
                    if byteRuns[r].next == -2 {
                        outcome = .reads
                        break search
                    }
                    if byteRuns[r].next >= 0 && stringFrameTables.reach(target, byteRuns[r].next, summary: true, search: search) {
                        summariesToTake.append((target, byteRuns[r].next))
                    }
                }
            }
        }
        if outcome == .stays && returns { outcome = .returns }
        if outcome == .stays {
            // What plain text reads from a state the search reached at a boundary, it reads
            // from `state` too: those states stay as well.
            for (t, p) in pairs where p == 0 && StringFrameTables.outcome(stringFrameTables.fromTop, t) == .unknown {
                StringFrameTables.set(&stringFrameTables.fromTop, t, .stays)
            }
        }
        if entered {
            StringFrameTables.set(&stringFrameTables.fromEntry, state, outcome)
        } else {
            StringFrameTables.set(&stringFrameTables.fromTop, state, outcome)
        }
        return outcome
    }
}
