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
    static let searchedRunLimit = 4

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
        var visited = Set<UInt64>()
        var level: [(config: Int32, plain: Int8, run: UInt8, runs: Int)] = [(config, 0, SpaceRuns.start, 0)]
        visited.insert(key(config, 0, SpaceRuns.start, 0))
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
                    if visited.insert(key(d, q, entry & 0x7F, r)).inserted {
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

    /// For plain-text state `plain` and `SpaceRuns` state `run`: one plain byte per (byte
    /// class, next plain state, `SpaceRuns` entry), with that state and entry. Cached.
    private func spaceRunRepresentatives(plain: Int8, run: UInt8) -> [(byte: UInt8, plain: Int8, entry: UInt8)] {
        let slot = Int(plain) * SpaceRuns.stateCount + Int(run)
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
    /// Per (plain-text state, `SpaceRuns` state): `spaceRunRepresentatives`.
    var representatives: [Int: [(byte: UInt8, plain: Int8, entry: UInt8)]] = [:]
}
