import Grammar

/// Plain-text searches that follow only the strings of at most `plainTextRunLimit` whitespace
/// runs (`SpaceRuns`): the strings that tokens of the vocabulary can be.
///
/// A word-count pattern such as `^(?:\S+\s+){0,49}\S+$` is unrolled: each word is a copy of the
/// pattern's states, so the plain strings from a word cross into as many more copies as they
/// hold runs of whitespace, and the search of every plain string (`plainTextDepth`) stops where
/// `a a a a …` runs out of words, or after `plainSearchBytes` bytes of new copies. No token
/// holds more than a run or two (Llama 3: one), so as long as that many more words are allowed
/// the state accepts every plain token: with the run limit the search visits the next copy or
/// two and runs out of new states, and the mask is the slice of all plain tokens plus a walk of
/// the few others, instead of a walk of the 16-byte slice's rest or of the whole trie.
extension ConfigurationSpace {
    /// Run limits below this are searched with runs; at or above it, every plain string is
    /// (a string of `plainSearchBytes` bytes holds at most half as many runs, and the places of
    /// many runs would outnumber the plain search's pairs).
    static let searchedRunLimit = SpaceRuns.limitedRuns + 1

    /// The breadth-first search of `stackPlainTextDepth` from `config` over the plain strings of
    /// at most `maxRuns` whitespace runs, and the deepest stack of the configurations it
    /// visited: the length up to which `config` accepts every such string.
    ///
    /// The search is over (configuration, `PlainText` state, `SpaceRuns` state, runs so far)
    /// places. A step that would start run `maxRuns + 1` is not followed (no token has that
    /// prefix): neither as a place nor as a refusal.
    func searchPlainTextDepth(_ config: Int32, limit: Int, maxSearch: Int, maxRuns: Int) -> (depth: Int, deepestStack: Int32) {
        /// A place, packed: configuration, plain state, run state, runs.
        func key(_ c: Int32, _ p: Int8, _ w: UInt8, _ runs: Int) -> UInt64 {
            UInt64(UInt32(bitPattern: c)) << 32 | UInt64(UInt8(p)) << 24 | UInt64(w) << 16 | UInt64(runs)
        }
        var visited = IntegerMap()
        /// Marks a place visited; false when it already was.
        func visit(_ place: UInt64) -> Bool {
            if visited.value(for: place) != nil { return false }
            visited.set(0, for: place)
            return true
        }
        var level: [(config: Int32, plain: Int8, run: UInt8, runs: Int)] = [(config, 0, SpaceRuns.start, 0)]
        _ = visit(key(config, 0, SpaceRuns.start, 0))
        var next: [(config: Int32, plain: Int8, run: UInt8, runs: Int)] = []
        var depth = 0
        var deepest = configDepth[Int(config)]
        explore: while !level.isEmpty && depth < min(limit, maxSearch) {
            next.removeAll(keepingCapacity: true)
            for (c, p, w, runs) in level {
                for (byte, q, entry) in spaceRunRepresentatives(plain: p, run: w) {
                    let r = runs + Int(entry >> 7)
                    if r > maxRuns { continue }
                    let d = step(c, byte)
                    if d < 0 { break explore }
                    if visit(key(d, q, entry & 0x7F, r)) {
                        next.append((d, q, entry & 0x7F, r))
                        deepest = max(deepest, configDepth[Int(d)])
                    }
                }
            }
            swap(&level, &next)
            depth += 1
        }
        return (level.isEmpty ? limit : depth, deepest)
    }

    /// Whether the space leads `config` elsewhere than a letter (a word ends there): else
    /// whitespace runs make no difference to what it reads next, and the searches by runs,
    /// which visit more places than the plain-text search, are left out (a string of counted
    /// positions, where each byte leads to a new configuration, would search them in vain).
    func separatesWords(_ config: Int32) -> Bool {
        step(config, 0x20) != step(config, UInt8(ascii: "a"))
    }

    /// Classes of every plain string of fewer runs than `plainTextRunLimit` that `config`
    /// accepts (its last word's plain text has no whitespace): for each run count below the
    /// limit with a search reaching past the first byte, `allPlainText` of that many runs up to
    /// the depth reached, each stack searched alone as in `plainTextDepth`.
    func runLimitedTextClasses(_ config: Int32, limit: Int) -> [TextClassTables.Entry] {
        guard plainTextRunLimit < ConfigurationSpace.searchedRunLimit else { return [] }
        var classes: [TextClassTables.Entry] = []
        for runs in 0..<plainTextRunLimit {
            var best = (depth: 0, deepestStack: Int32(0))
            for k in kernelRange(config) where best.depth < limit {
                let found = stackRunLimitedDepth(kernelPool[k], runs: runs, limit: limit)
                if found.depth > best.depth { best = found }
            }
            guard best.depth > 0 else { continue }
            let maxBytes = best.depth >= limit ? limit : TextClass.roundedLength(best.depth)
            classes.append(.init(textClass: .allPlainText(maxBytes: maxBytes, maxRuns: runs), deepestStack: best.deepestStack))
        }
        return classes
    }

    /// The length up to which the stack of node `n` alone accepts every plain string of at most
    /// `runs` whitespace runs, and the deepest stack its search met (cached per node and runs).
    private func stackRunLimitedDepth(_ n: Int32, runs: Int, limit: Int) -> (depth: Int, deepestStack: Int32) {
        let slot = UInt64(UInt32(bitPattern: n)) << 8 | UInt64(runs)
        if let known = spaceRunTables.depths[slot] { return (Int(known.depth), known.deepestStack) }
        var found = (depth: 0, deepestStack: stackDepth(of: n))
        let state = Int(topState(of: n))
        if nfa.acceptsAllPlainText[state] {
            found.depth = limit
        } else if readsEveryPlainFirstByteButTheSpace(state) {
            let single = intern([n], accepting: false)
            if single >= 0, separatesWords(single) {
                found = searchPlainTextDepth(single, limit: limit, maxSearch: ConfigurationSpace.plainSearchBytes, maxRuns: runs)
            }
        }
        spaceRunTables.depths[slot] = (Int32(min(found.depth, Int(Int32.max))), found.deepestStack)
        return found
    }

    /// Whether NFA state `state` reads every byte a plain-text string may start with but the
    /// space (a word of a word-count pattern; a class of fewer runs holds little elsewhere).
    private func readsEveryPlainFirstByteButTheSpace(_ state: Int) -> Bool {
        var read = edgeBytes(state)
        read.insert(0x20)
        return read.isSuperset(of: PlainText.firstBytes)
    }

    /// For plain-text state `plain` and `SpaceRuns` state `run`: one plain byte per (byte
    /// class, next plain state, `SpaceRuns` entry), with that state and entry. Cached.
    private func spaceRunRepresentatives(plain: Int8, run: UInt8) -> [(byte: UInt8, plain: Int8, entry: UInt8)] {
        let slot = Int(plain) * SpaceRuns.stateCount + Int(run)
        if spaceRunTables.representatives.isEmpty {
            spaceRunTables.representatives = Array(repeating: nil, count: PlainText.stateCount * SpaceRuns.stateCount)
        }
        if let known = spaceRunTables.representatives[slot] { return known }
        var seen = Set<Int>()
        var representatives: [(byte: UInt8, plain: Int8, entry: UInt8)] = []
        let table = SpaceRuns.table
        for b in 0..<256 {
            let q = PlainText.next(plain, UInt8(b))
            guard q >= 0 else { continue }
            let entry = table[Int(run) << 8 | b]
            if seen.insert(Int(byteClass[b]) << 16 | Int(q) << 8 | Int(entry)).inserted {
                representatives.append((UInt8(b), q, entry))
            }
        }
        spaceRunTables.representatives[slot] = representatives
        return representatives
    }
}

/// The caches of `ConfigurationSpace+SpaceRuns.swift`.
struct SpaceRunTables {
    /// Per (plain-text state, `SpaceRuns` state), at `plain * SpaceRuns.stateCount + run`:
    /// `spaceRunRepresentatives` (empty until first used).
    var representatives: [[(byte: UInt8, plain: Int8, entry: UInt8)]?] = []
    /// Per (stack node, runs): `stackRunLimitedDepth`.
    var depths: [UInt64: (depth: Int32, deepestStack: Int32)] = [:]
}
