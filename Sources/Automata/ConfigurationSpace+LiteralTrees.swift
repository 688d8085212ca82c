extension ConfigurationSpace {
    /// `fillAllowed(_:trie:into:listingInto:whitespace:)` for a configuration inside a tree of
    /// literals (an `enum` of many strings): the token trie and the literals' NFA states are
    /// walked together, without a configuration per literal prefix.
    ///
    /// A *literal state* reads single bytes only, none of them back to itself. When every
    /// stack of `config` has a literal state on top, over one parent, a byte leads to the
    /// stacks of the ε-closures of the targets of the edges reading it, over the same parent;
    /// when those closures make no call and reach no rule end, and hold literal states only,
    /// these stacks alone are the next configuration's kernel (not accepting), so the walk only
    /// needs their states. Where a byte leads anywhere else (the end of a literal, where the
    /// rule returns, or a state of another kind), the configuration of the stacks is made as a
    /// step makes it and the subtree below is walked as usual
    /// (`fillAllowed(_:below:trie:into:whitespace:)`). The tokens set are exactly those of the
    /// usual walk; the configurations of the prefixes inside the literals are not made (a
    /// decoder makes those it reads).
    ///
    /// `config` must be of that kind (`readsLiteralTree`). The allowed tokens are written to
    /// `list` in trie order while they fit, as `fillAllowed(_:trie:into:listingInto:whitespace:)` does.
    public func fillAllowedThroughLiterals(_ config: Int32, trie: TokenTrie, into words: UnsafeMutablePointer<UInt32>,
                                           listingInto list: UnsafeMutableBufferPointer<Int32>) -> Int {
        let parent = self.parent(of: kernelPool[kernelRange(config).lowerBound])
        let (allowed, visited) = trie.tokenStart.withUnsafeBufferPointer { starts in
            trie.tokenIDs.withUnsafeBufferPointer { ids in
                walkLiterals(config, parent: parent, trie: trie, starts: starts, ids: ids, into: words, listingInto: list)
            }
        }
        recordWalk(visited: visited)
        return allowed
    }

    /// `fillAllowedThroughLiterals` for a local configuration (see `fillAllowedLocally`): also
    /// appends to `returns` the trie nodes with tokens below them at which its frames may
    /// return, and gives the deepest stack met and the trie nodes below the return nodes
    /// (stopping early once those pass `maxReturnWork`), as `fillAllowedLocally` does. The
    /// literal states' stacks are not accepting and lie one frame above the parent, as
    /// `config`'s: only the configurations where the walk leaves the literals can return.
    public func fillAllowedThroughLiteralsLocally(_ config: Int32, trie: TokenTrie, into words: UnsafeMutablePointer<UInt32>,
                                                  returns: inout [Int32], maxReturnWork: Int)
        -> (allowed: Int, deepestStack: Int, returnWork: Int) {
        let parent = self.parent(of: kernelPool[kernelRange(config).lowerBound])
        var local = LocalLiteralWalk(returns: returns, deepestStack: Int(configDepth[Int(config)]), maxReturnWork: maxReturnWork)
        returns = []
        let (allowed, visited) = trie.tokenStart.withUnsafeBufferPointer { starts in
            trie.tokenIDs.withUnsafeBufferPointer { ids in
                walkLiterals(config, parent: parent, trie: trie, starts: starts, ids: ids, into: words,
                             listingInto: UnsafeMutableBufferPointer(start: nil, count: 0), local: &local)
            }
        }
        recordWalk(visited: visited)
        returns = local.returns
        return (allowed, local.deepestStack, local.returnWork)
    }

    /// What a local walk through literals records (see `fillAllowedThroughLiteralsLocally`).
    private struct LocalLiteralWalk {
        /// The return nodes found so far, in trie order.
        var returns: [Int32]
        /// The deepest stack of the configurations met.
        var deepestStack: Int
        /// The trie nodes below the return nodes.
        var returnWork = 0
        /// Past this much return work the walk gives up (`words` then incomplete).
        var maxReturnWork: Int
    }

    /// Whether `fillAllowedThroughLiterals` may walk `config`: its stacks all have literal
    /// states on top, over one parent, reading at least `minLiteralBytes` bytes together (a
    /// choice among many literals: below that, the usual walk, whose steps a decoder reuses,
    /// costs less), and the configuration budget is not exhausted (the usual walk, which may
    /// then refuse tokens, decides).
    public func readsLiteralTree(_ config: Int32) -> Bool {
        let kernel = kernelRange(config)
        var bytesRead = 0
        for k in kernel {
            let state = Int(topState(of: kernelPool[k]))
            bytesRead += Int(edgeEnd[state] - edgeStart[state])
        }
        guard bytesRead >= ConfigurationSpace.minLiteralBytes, !exhausted else { return false }
        let parent = self.parent(of: kernelPool[kernel.lowerBound])
        for k in kernel where self.parent(of: kernelPool[k]) != parent || !isLiteralState(topState(of: kernelPool[k])) {
            return false
        }
        return true
    }

    /// The walk of `fillAllowedThroughLiterals` (`starts` and `ids`: the trie's `tokenStart`
    /// and `tokenIDs`): returns the tokens allowed and the trie nodes visited.
    private func walkLiterals(_ config: Int32, parent: Int32, trie: TokenTrie, starts: UnsafeBufferPointer<Int32>,
                              ids: UnsafeBufferPointer<Int32>, into words: UnsafeMutablePointer<UInt32>,
                              listingInto list: UnsafeMutableBufferPointer<Int32>,
                              local: UnsafeMutablePointer<LocalLiteralWalk>? = nil) -> (allowed: Int, visited: Int) {
        // The literal states of the trie node being visited at each depth: those of depth d
        // are `states[setStart[d]..<setStart[d + 1]]` (depth 0: `config`'s top states).
        var states = kernelRange(config).map { topState(of: kernelPool[$0]) }
        var setStart = [Int](repeating: 0, count: trie.maxDepth + 2)
        setStart[1] = states.count
        var count = states.count   // `states[count...]` is scratch
        // The bytes the states of each depth read: a trie node with another byte is passed over.
        var setBytes = [SIMD4<UInt64>](repeating: .zero, count: trie.maxDepth + 1)
        setBytes[0] = literalBytes(of: states[0..<count])
        var allowed = 0
        var visited = 0
        let end = Int(trie.subtreeEnd[0])
        var node = 1
        while node < end {
            visited += 1
            let depth = Int(trie.depth[node])
            let byte = trie.byte[node]
            guard setBytes[depth - 1][Int(byte >> 6)] >> UInt64(byte & 63) & 1 != 0 else {
                node = Int(trie.subtreeEnd[node])
                continue
            }
            // The closures of the targets of the edges reading `byte`, as the states of this depth.
            let from = setStart[depth - 1], to = setStart[depth]
            count = to
            var literal = true
            for i in from..<to {
                let state = Int(states[i])
                for e in Int(edgeStart[state])..<Int(edgeEnd[state]) where edges[e].low == byte {
                    guard let closure = literalClosure(of: edges[e].target) else {
                        literal = false
                        continue
                    }
                    for k in closure {
                        let member = summaries[k]
                        var known = false
                        for j in to..<count where states[j] == member { known = true }
                        if known { continue }
                        if count == states.count { states.append(member) } else { states[count] = member }
                        count += 1
                    }
                }
            }
            if literal && count == to {   // no stack left: a dead step
                node = Int(trie.subtreeEnd[node])
                continue
            }
            if literal {
                allowed += ConfigurationSpace.setTokenBits(from: Int(starts[node]), to: Int(starts[node + 1]), ids: ids,
                                                           in: words, list: list, listed: allowed)
                setStart[depth + 1] = count
                if depth < trie.maxDepth { setBytes[depth] = literalBytes(of: states[to..<count]) }
                node += 1
                continue
            }
            // The configuration the usual walk has at the parent node, its step, and the usual
            // walk below.
            let here = depth == 1 ? config : intern(states[from..<to].map { self.node($0, parent: parent) }, accepting: false)
            let next = here < 0 ? here : step(here, byte)
            let subtreeEnd = Int(trie.subtreeEnd[node])
            if next >= 0 {
                allowed += ConfigurationSpace.setTokenBits(from: Int(starts[node]), to: Int(starts[node + 1]), ids: ids,
                                                           in: words, list: list, listed: allowed)
                if let local {
                    // A local walk: `node` returns when `next` accepts; below it, the usual
                    // local walk, within the return work left.
                    if accepting[Int(next)] && subtreeEnd > node + 1 {
                        local.pointee.returns.append(Int32(node))
                        local.pointee.returnWork += subtreeEnd - node - 1
                        if local.pointee.returnWork > local.pointee.maxReturnWork { return (allowed, visited) }
                    }
                    local.pointee.deepestStack = max(local.pointee.deepestStack, Int(configDepth[Int(next)]))
                    let below = fillAllowedLocally(next, below: node, trie: trie, into: words, returns: &local.pointee.returns,
                                                   maxReturnWork: local.pointee.maxReturnWork - local.pointee.returnWork)
                    allowed += below.allowed
                    local.pointee.deepestStack = max(local.pointee.deepestStack, below.deepestStack)
                    local.pointee.returnWork += below.returnWork
                    if local.pointee.returnWork > local.pointee.maxReturnWork { return (allowed, visited) }
                    node = subtreeEnd
                    continue
                }
                let listedBefore = allowed
                allowed += fillAllowed(next, below: node, trie: trie, into: words)
                // The tokens the walk below set, listed in trie order.
                var position = listedBefore
                for t in Int(starts[node + 1])..<Int(starts[subtreeEnd]) where position < list.count {
                    let id = Int(ids[t])
                    if words[id >> 5] & (1 << UInt32(id & 31)) != 0 {
                        list[position] = ids[t]
                        position += 1
                    }
                }
            }
            node = subtreeEnd
        }
        return (allowed, visited)
    }

    /// The bytes the literal states `states` read (as the words of a `ByteBits`).
    private func literalBytes(of states: ArraySlice<Int32>) -> SIMD4<UInt64> {
        var bits = SIMD4<UInt64>.zero
        for state in states {
            for e in Int(edgeStart[Int(state)])..<Int(edgeEnd[Int(state)]) {   // single bytes
                let byte = edges[e].low
                bits[Int(byte >> 6)] |= 1 << UInt64(byte & 63)
            }
        }
        return bits
    }

    /// The fewest bytes the top states of a configuration read for `fillAllowedThroughLiterals`
    /// to walk it (see `readsLiteralTree`).
    static let minLiteralBytes = 16

    /// The offsets in `summaries` of the ε-closure of NFA state `state` (its summary's kernel
    /// states) when the closure makes no call, reaches no rule end and holds literal states
    /// only; nil otherwise.
    private func literalClosure(of state: Int32) -> Range<Int>? {
        let parts = summaryParts(of: state)   // builds a lazy state's edges first
        guard summaries[parts.kernel.upperBound] == 0, !parts.reachesEnd else { return nil }
        for k in parts.kernel where !isLiteralState(summaries[k]) { return nil }
        return parts.kernel
    }

    /// Whether NFA state `state`, a kernel state (it reads bytes), is a literal state (see
    /// `fillAllowedThroughLiterals`).
    private func isLiteralState(_ state: Int32) -> Bool {
        for e in Int(edgeStart[Int(state)])..<Int(edgeEnd[Int(state)]) where edges[e].low != edges[e].high || edges[e].target == state {
            return false
        }
        return true
    }
}
