import Grammar

extension PlainText {
    /// Per plain-text state: the bytes that leave plain text there (`next` is -1) other than
    /// `"` and `\`: control bytes and bytes that break UTF-8, which no JSON string reads.
    static let otherExits: [ByteBits] = (0..<stateCount).map { p in
        var bits = ByteBits()
        for b in 0...255 where next(Int8(p), UInt8(b)) < 0 && b != 0x22 && b != 0x5C { bits.insert(UInt8(b)) }
        return bits
    }

    /// The bytes that lead from each plain-text state to each next one, at `state * stateCount + next`.
    static let bytesBetween: [ByteBits] = (0..<stateCount * stateCount).map { k in
        var bits = ByteBits()
        for b in 0...255 where next(Int8(k / stateCount), UInt8(b)) == Int8(k % stateCount) { bits.insert(UInt8(b)) }
        return bits
    }
}

extension ConfigurationSpace {
    /// Whether every configuration that plain text (`PlainText`, of any length) leads `config`
    /// to reads none of the bytes that leave plain text there other than `"` and `\`
    /// (`PlainText.otherExits`): then no token that leaves plain text at such a byte is read,
    /// and a walk inside a JSON string may pass over them (`PlainTextSlices.Slice.stringRest`).
    ///
    /// A configuration reads a byte only through the byte edges of its kernel's top states.
    /// First, each stack alone, by its top state (`staysInStringFrame`, cached per NFA state);
    /// short of that, a breadth-first search over the (configuration, plain-text state) pairs
    /// plain text reaches, one byte per byte class and next plain-text state, false when more
    /// than `maxPairs` pairs are reached (a string beside other languages that read plain text,
    /// whose product would be searched).
    public func readsOnlyStringBytesAfterPlainText(_ config: Int32, maxPairs: Int = 64) -> Bool {
        var everyStackStays = true
        forEachKernelState(config) { if everyStackStays && !staysInStringFrame($0) { everyStackStays = false } }
        if everyStackStays { return true }
        let representatives = plainRepresentatives
        var pairs: [(config: Int32, plain: Int8)] = [(config, 0)]
        var next = 0
        while next < pairs.count {
            let (c, p) = pairs[next]
            next += 1
            var read = ByteBits()
            forEachKernelState(c) { read.formUnion(edgeBytes(Int($0))) }
            if !read.isDisjoint(with: PlainText.otherExits[Int(p)]) { return false }
            for (byte, q) in representatives[Int(p)] {
                let d = step(c, byte)
                if d < 0 || pairs.contains(where: { $0.config == d && $0.plain == q }) { continue }
                if pairs.count == maxPairs { return false }
                pairs.append((d, q))
            }
        }
        return true
    }

    /// Whether plain text read from NFA state `state` (a stack's top, at the start of plain
    /// text) keeps the stack within its frame, neither calling a rule nor reaching the rule's
    /// end, and every state it reaches reads none of `PlainText.otherExits` there: then the
    /// stack reads no byte that leaves plain text other than `"` and `\`, whatever lies below
    /// it. A search over (NFA state, plain-text state) pairs, at most `maxPairs` (past them:
    /// false). Cached per state.
    func staysInStringFrame(_ state: Int32, maxPairs: Int = 64) -> Bool {
        if Int(state) < stringFrameStates.count, stringFrameStates[Int(state)] >= 0 { return stringFrameStates[Int(state)] == 1 }
        var pairs: [(state: Int32, plain: Int8)] = [(state, 0)]
        var next = 0
        var stays = true
        search: while next < pairs.count {
            let (s, p) = pairs[next]
            next += 1
            _ = summary(s)   // builds a lazily built state's edges
            if !edgeBytes(Int(s)).isDisjoint(with: PlainText.otherExits[Int(p)]) {
                stays = false
                break
            }
            for e in Int(edgeStart[Int(s)])..<Int(edgeEnd[Int(s)]) {
                let (low, high, target) = (edges[e].low, edges[e].high, edges[e].target)
                let range = ByteBits(low, high)
                for q in 0..<PlainText.stateCount
                where !range.isDisjoint(with: PlainText.bytesBetween[Int(p) * PlainText.stateCount + q]) {
                    let parts = summaryParts(of: target)
                    if parts.reachesEnd || parts.calls.contains(where: { _ in true }) {
                        stays = false
                        break search
                    }
                    for k in parts.kernel {
                        let t = summaries[k]
                        if pairs.contains(where: { $0.state == t && $0.plain == Int8(q) }) { continue }
                        if pairs.count == maxPairs {
                            stays = false
                            break search
                        }
                        pairs.append((t, Int8(q)))
                    }
                }
            }
        }
        if stringFrameStates.count <= Int(state) {
            stringFrameStates.append(contentsOf: repeatElement(-1, count: Int(state) + 1 - stringFrameStates.count))
        }
        stringFrameStates[Int(state)] = stays ? 1 : 0
        return stays
    }
}
