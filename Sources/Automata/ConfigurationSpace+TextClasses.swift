import Grammar

/// Text classes of configurations: for a configuration inside a string that is not free (a
/// pattern over a character class, a URI, a name, a string near its `maxLength`), a
/// `TextClass` whose every string it accepts, so that the mask walk takes the class's tokens
/// a whole trie subtree at a time instead of stepping through them.
extension ConfigurationSpace {
    /// The most times a stack's search drops the groups of the bytes that ended it and tries
    /// again.
    static let textClassAttempts = 10

    /// The fewest plain-text first bytes an NFA state reads for its stacks to be searched (a
    /// class of a few bytes holds few tokens, and the search may create configurations). One
    /// more than a JSON value's start reads (space, digits, `-`, `t`, `f`, `n`, `[`, `{`): its
    /// searches, a step per byte class and a search of the whole kernel per configuration,
    /// cost more than the classes they found saved (with 16: +7 % replay instructions on every
    /// 64th trace of the Llama 3 sample, and 6 % more configurations on the whole sample).
    static let textClassMinimumFirstBytes = 18

    /// The most (configuration, plain-text state) pairs one search visits: past it, the search
    /// stops at the depth reached.
    static let textClassMaxPairs = 2048

    /// A text class `config` accepts (every string of the class, each prefix of it leading to
    /// a live configuration), up to `limit` bytes, and the deepest stack of the configurations
    /// those strings reach; nil when none of its stacks is worth it. `tokenCount`: how many
    /// tokens a class holds (the class deciding the most tokens without a step is taken: a
    /// closed class decides all the tokens of its groups). Cached per configuration.
    /// `mayReturn`: whether a string of the class (up to its length) may lead to an accepting
    /// configuration; false only for a closed class found for a single stack whose strings all
    /// stay within its frames (a local configuration's walk may then keep the class closed:
    /// no return node lies in its subtrees, see `fillAllowedLocally`).
    ///
    /// As `plainTextDepth`, each stack is searched alone (cached per stack, it serves every
    /// configuration holding it; the configuration reads what any of its stacks reads); a
    /// kernel of several stacks is also searched whole, within `textClassMaxPairs`, since its
    /// stacks may read a class only together (a pattern's `\S` and `\s` in stacks of their own),
    /// and a class is closed for it only when all of its stacks refuse the longer strings.
    public func textClass(_ config: Int32, limit: Int, tokenCount: (TextClass) -> Int)
        -> (textClass: TextClass, deepestStack: Int, mayReturn: Bool)? {
        if let known = textClassTables.byConfiguration[config] { return known.map { ($0.textClass, Int($0.deepestStack), $0.mayReturn) } }
        // A configuration reads what any of its stacks reads: if it reads few plain first
        // bytes, every search below would stop at its first byte.
        guard readsManyPlainFirstBytes(config: config) else {
            textClassTables.byConfiguration[config] = .some(nil)
            return nil
        }
        /// `tokenCount`, cached per class (the classes of a grammar's stacks recur).
        func counted(_ textClass: TextClass) -> Int {
            if let known = textClassTables.tokenCounts[textClass] { return known }
            let count = tokenCount(textClass)
            textClassTables.tokenCounts[textClass] = count
            return count
        }
        /// The tokens a class decides without a step: all those of its groups when it is closed.
        func decided(_ textClass: TextClass) -> Int {
            guard textClass.closed else { return counted(textClass) }
            var all = textClass.opened
            all.maxBytes = limit
            return counted(all)
        }
        let several = kernelRange(config).count > 1
        var candidates: [TextClassTables.Entry] = []
        for k in kernelRange(config) {
            guard var found = stackTextClass(kernelPool[k], limit: limit, tokenCount: decided) else { continue }
            // A stack refusing the longer strings does not make the configuration refuse them.
            if several { found.textClass = found.textClass.opened; found.mayReturn = true }
            candidates.append(found)
        }
        if several {
            candidates += searchTextClasses(config, limit: limit, maxSearch: ConfigurationSpace.plainSearchBytes)
        }
        // Where a class had to leave out the space, one of fewer whitespace runs may hold more.
        if candidates.isEmpty || candidates.allSatisfy({ !$0.textClass.contains(0x20) }) {
            candidates = runLimitedTextClasses(config, limit: limit) + candidates
        }
        let best = ConfigurationSpace.richest(candidates, tokenCount: decided)
        textClassTables.byConfiguration[config] = .some(best)
        return best.map { ($0.textClass, Int($0.deepestStack), $0.mayReturn) }
    }

    /// The text class of stack node `n` alone with the most tokens (cached per node).
    private func stackTextClass(_ n: Int32, limit: Int, tokenCount: (TextClass) -> Int) -> TextClassTables.Entry? {
        if let known = textClassTables.byStack[n] { return known }
        var found: TextClassTables.Entry?
        if readsManyPlainFirstBytes(Int(topState(of: n))) {
            let single = intern([n], accepting: false)
            if single >= 0 {
                found = ConfigurationSpace.richest(searchTextClasses(single, limit: limit, maxSearch: ConfigurationSpace.plainSearchBytes),
                                                   tokenCount: tokenCount)
            }
        }
        textClassTables.byStack[n] = .some(found)
        return found
    }

    /// The first of `candidates` whose class holds the most tokens (`tokenCount`), or nil when
    /// none holds any.
    private static func richest(_ candidates: [TextClassTables.Entry], tokenCount: (TextClass) -> Int) -> TextClassTables.Entry? {
        var best: TextClassTables.Entry?
        var bestCount = 0
        for candidate in candidates {
            let count = tokenCount(candidate.textClass)
            if count > bestCount {
                best = candidate
                bestCount = count
            }
        }
        return best
    }

    /// Whether `config` reads at least `textClassMinimumFirstBytes` bytes a plain-text string
    /// may start with: one step per byte class (steps every search of `config` takes first),
    /// unless the byte edges of its kernel's top states already hold fewer (a step only reads
    /// a byte on such an edge).
    private func readsManyPlainFirstBytes(config: Int32) -> Bool {
        var read = ByteBits()
        for k in kernelRange(config) { read.formUnion(edgeBytes(Int(topState(of: kernelPool[k])))) }
        if read.intersection(PlainText.firstBytes).count < ConfigurationSpace.textClassMinimumFirstBytes { return false }
        if textClassTables.plainFirstByteClasses.isEmpty {
            // Byte classes are runs of consecutive bytes: one pass, the first plain byte of
            // each class met and how many it has (the plain-text automaton's start row).
            var classes: [(byte: UInt8, plainBytes: Int)] = []
            var last = -1
            PlainText.transitionTable.withUnsafeBufferPointer { startRow in
                for b in 0..<256 where startRow[b] >= 0 {
                    let c = Int(byteClass[b])
                    if c == last {
                        classes[classes.count - 1].plainBytes += 1
                    } else {
                        classes.append((UInt8(b), 1))
                        last = c
                    }
                }
            }
            textClassTables.plainFirstByteClasses = classes
        }
        var count = 0
        for (byte, plainBytes) in textClassTables.plainFirstByteClasses where step(config, byte) >= 0 {
            count += plainBytes
            if count >= ConfigurationSpace.textClassMinimumFirstBytes { return true }
        }
        return false
    }

    /// Whether NFA state `state` reads at least `textClassMinimumFirstBytes` bytes a plain-text
    /// string may start with (cached per state).
    private func readsManyPlainFirstBytes(_ state: Int) -> Bool {
        if let known = textClassTables.readsManyFirstBytes[Int32(state)] { return known }
        let reads = edgeBytes(state).intersection(PlainText.firstBytes).count >= ConfigurationSpace.textClassMinimumFirstBytes
        textClassTables.readsManyFirstBytes[Int32(state)] = reads
        return reads
    }

    /// Classes that `config` accepts, found by searching breadth first, over (configuration,
    /// plain-text state) pairs from `config`, the strings of a class, starting from every
    /// plain byte. When the search meets a byte that leads nowhere, the class up to the depth
    /// reached is a candidate; if other bytes of the class still read there, the groups of
    /// the bytes that lead nowhere, or of those that led there when they are fewer, leave the
    /// class and the search starts again (at most
    /// `textClassAttempts` times); if none does at any pair of that depth, the class up to
    /// that depth is closed, and otherwise its ASCII part is searched again (a length bound
    /// counts characters: multi-byte ones make longer strings in bytes). A search that meets no such byte gives the last candidate,
    /// up to `maxSearch` bytes (`limit` when it ran out of new pairs). Lengths of classes that
    /// are not closed are rounded down to `TextClass.roundedLength` (fewer distinct classes).
    private func searchTextClasses(_ config: Int32, limit: Int, maxSearch: Int) -> [TextClassTables.Entry] {
        var candidates: [TextClassTables.Entry] = []
        var textClass = TextClass.allPlainText(maxBytes: 0)
        let stateCount = PlainText.stateCount
        // Each pair with the pair it was first reached from (-1 for the start).
        var level: [(config: Int32, plain: Int8, from: Int32, fromPlain: Int8)] = []
        var next: [(config: Int32, plain: Int8, from: Int32, fromPlain: Int8)] = []
        for _ in 0..<ConfigurationSpace.textClassAttempts {
            let representatives = classRepresentatives(textClass)
            // A pair's mark is `base` plus the depth at which it was first reached (the marks of
            // one search are above every earlier mark; `plainTextDepth` marks with the next).
            if plainGeneration > UInt32.max - 2 * UInt32(maxSearch + 2) {
                plainVisitedAt = [UInt32](repeating: 0, count: plainVisitedAt.count)
                plainGeneration = 0
            }
            let base = plainGeneration + 1
            plainGeneration += UInt32(maxSearch + 2)
            // Whether a pair was met again deeper than where it was first reached: the levels
            // then do not hold every pair of their depth, and no class is known closed.
            var metAgainDeeper = false
            /// Marks a pair reached at `depth`; false when it already was.
            func visit(_ c: Int32, _ p: Int8, at depth: Int) -> Bool {
                let slot = Int(c) * stateCount + Int(p)
                if slot >= plainVisitedAt.count {
                    plainVisitedAt.append(contentsOf: repeatElement(0, count: max(slot + 1 - plainVisitedAt.count, plainVisitedAt.count)))
                }
                let mark = plainVisitedAt[slot]
                if mark >= base {
                    if mark < base + UInt32(depth) { metAgainDeeper = true }
                    return false
                }
                plainVisitedAt[slot] = base + UInt32(depth)
                return true
            }
            level.removeAll(keepingCapacity: true)
            level.append((config, 0, -1, 0))
            _ = visit(config, 0, at: 0)
            var depth = 0
            var deepest = configDepth[Int(config)]
            var failure: (config: Int32, plain: Int8, from: Int32, fromPlain: Int8)?
            var pairs = 1
            // Whether a string searched reached an accepting configuration (its frames return).
            var reachedAccepting = false
            explore: while !level.isEmpty && depth < min(limit, maxSearch) {
                next.removeAll(keepingCapacity: true)
                if pairs > ConfigurationSpace.textClassMaxPairs {
                    // Too wide to search further: the class up to the depth reached.
                    textClass.maxBytes = TextClass.roundedLength(depth)
                    if depth > 0 { candidates.append(TextClassTables.Entry(textClass: textClass, deepestStack: deepest)) }
                    return candidates
                }
                for (c, p, from, fromPlain) in level {
                    for (byte, q) in representatives[Int(p)] {
                        let d = step(c, byte)
                        if d < 0 {
                            failure = (c, p, from, fromPlain)
                            break explore
                        }
                        if visit(d, q, at: depth + 1) {
                            next.append((d, q, c, p))
                            pairs += 1
                            deepest = max(deepest, configDepth[Int(d)])
                            if accepting[Int(d)] { reachedAccepting = true }
                        }
                    }
                }
                swap(&level, &next)
                depth += 1
            }
            guard let failure else {
                textClass.maxBytes = level.isEmpty ? limit : TextClass.roundedLength(depth)
                candidates.append(TextClassTables.Entry(textClass: textClass, deepestStack: deepest))
                return candidates
            }
            if depth > 0 {
                var candidate = textClass
                candidate.maxBytes = TextClass.roundedLength(depth)
                candidates.append(TextClassTables.Entry(textClass: candidate, deepestStack: deepest))
            }
            // The class's bytes that lead nowhere from the failing pair, and whether any still reads.
            var deadGroups: [Int] = []
            var live = 0
            for b in 0..<256 where textClass.contains(UInt8(b)) && PlainText.next(failure.plain, UInt8(b)) >= 0 {
                if step(failure.config, UInt8(b)) < 0 { deadGroups.append(TextClass.group(of: UInt8(b))) } else { live += 1 }
            }
            let someLive = live > 0
            // A start reading few plain bytes (a key, a number, a literal) has no class worth it.
            if depth == 0 && live < ConfigurationSpace.textClassMinimumFirstBytes { return candidates }
            if !someLive {
                // Nothing of the class reads there: if nothing reads anywhere at this depth,
                // every longer string of the class is refused.
                if depth > 0 && !metAgainDeeper && level.allSatisfy({ pair in representatives[Int(pair.plain)].allSatisfy { step(pair.config, $0.byte) < 0 } }) {
                    textClass.maxBytes = depth
                    textClass.closed = true
                    candidates.append(TextClassTables.Entry(textClass: textClass, deepestStack: deepest, mayReturn: reachedAccepting))
                    return candidates
                }
                // Strings of multi-byte characters may be longer in bytes (a length bound counts
                // characters): the class may be closed in characters, and its ASCII part in bytes.
                if depth > 0, let (characters, mayReturn) = closedCharacterLength(from: config, textClass, maxSearch: maxSearch) {
                    var byCharacters = textClass
                    byCharacters.maxBytes = characters
                    byCharacters.closed = true
                    byCharacters.countsCharacters = true
                    candidates.append(TextClassTables.Entry(textClass: byCharacters, deepestStack: deepest, mayReturn: mayReturn))
                }
                let multiByteGroups: UInt64 = 0x3FFF_FFFF << 32   // lead and continuation bytes 0x80–0xF7
                guard depth > 0, textClass.high & multiByteGroups != 0 else { return candidates }
                textClass.high &= ~multiByteGroups
                continue
            }
            // Drop the fewest groups: those that lead nowhere there, or (a byte that must be
            // followed by few others, `%` in a URI) those of the bytes that led there.
            let dead = Set(deadGroups)
            var leading = Set<Int>()
            if failure.from >= 0 && dead.count > 1 {
                for b in 0..<256 where textClass.contains(UInt8(b)) && PlainText.next(failure.fromPlain, UInt8(b)) == failure.plain
                    && step(failure.from, UInt8(b)) == failure.config {
                    leading.insert(TextClass.group(of: UInt8(b)))
                }
            }
            for g in !leading.isEmpty && leading.count < dead.count ? leading : dead { textClass.remove(group: g) }
        }
        return candidates
    }

    /// The number of characters `k` (at most `maxSearch`) such that `config` reads every string
    /// of `textClass` of at most `k` characters and refuses every one of `k + 1` (at its
    /// `k + 1`th first byte), or nil: a search breadth first by characters, each level the
    /// pairs after so many whole characters, every byte of a character followed before the
    /// next level. Nil as soon as a byte is refused inside a level, a pair is met at two
    /// levels (the levels would not hold every pair of their length), or the pairs exceed
    /// `textClassMaxPairs`. `mayReturn`: whether a configuration reached by those strings is
    /// accepting.
    private func closedCharacterLength(from config: Int32, _ textClass: TextClass, maxSearch: Int) -> (characters: Int, mayReturn: Bool)? {
        let representatives = classRepresentatives(textClass)
        var level: Set<Int32> = [config]   // configurations after whole characters
        var seen: Set<Int32> = [config]
        var pairs = 1
        var reachedAccepting = false
        for k in 0...maxSearch {
            // Does any first byte read from this level, and does every one?
            var someReads = false, someRefused = false
            for c in level {
                for (byte, _) in representatives[0] {
                    if step(c, byte) < 0 { someRefused = true } else { someReads = true }
                }
            }
            if !someReads { return k > 0 ? (k, reachedAccepting) : nil }
            if someRefused || k == maxSearch { return nil }
            // The configurations after one more character, through its continuation bytes.
            // Pairs inside a character are followed once each (many byte classes among the
            // continuation bytes would otherwise multiply the paths).
            var next: Set<Int32> = []
            var inside: [(config: Int32, plain: Int8)] = []
            // Marked in `plainVisitedAt` with a generation of their own (above the marks of
            // the search that called this one, which reads none after it).
            if plainGeneration == UInt32.max {
                plainVisitedAt = [UInt32](repeating: 0, count: plainVisitedAt.count)
                plainGeneration = 0
            }
            plainGeneration += 1
            let mark = plainGeneration
            /// Whether (`c`, `q`) is met for the first time in this level.
            func firstInside(_ c: Int32, _ q: Int8) -> Bool {
                let slot = Int(c) * PlainText.stateCount + Int(q)
                if slot >= plainVisitedAt.count {
                    plainVisitedAt.append(contentsOf: repeatElement(0, count: max(slot + 1 - plainVisitedAt.count, plainVisitedAt.count)))
                }
                if plainVisitedAt[slot] == mark { return false }
                plainVisitedAt[slot] = mark
                return true
            }
            for c in level {
                for (byte, q) in representatives[0] {
                    let d = step(c, byte)
                    if q == 0 { next.insert(d) } else if firstInside(d, q) { inside.append((d, q)) }
                }
            }
            while let (c, p) = inside.popLast() {
                if accepting[Int(c)] { reachedAccepting = true }
                for (byte, q) in representatives[Int(p)] {
                    let d = step(c, byte)
                    if d < 0 { return nil }
                    if q == 0 {
                        next.insert(d)
                    } else if firstInside(d, q) {
                        pairs += 1
                        if pairs > ConfigurationSpace.textClassMaxPairs { return nil }
                        inside.append((d, q))
                    }
                }
            }
            if !seen.isDisjoint(with: next) { return nil }
            if next.contains(where: { accepting[Int($0)] }) { reachedAccepting = true }
            seen.formUnion(next)
            pairs += next.count
            if pairs > ConfigurationSpace.textClassMaxPairs { return nil }
            level = next
        }
        return nil
    }

    /// For each plain-text state, one byte of `textClass` per (byte class, next plain state)
    /// pair (bytes of one byte class step every configuration alike). Cached per class (its
    /// groups; the length does not matter).
    private func classRepresentatives(_ textClass: TextClass) -> [[(byte: UInt8, next: Int8)]] {
        var key = textClass
        key.maxBytes = 0
        if let known = textClassTables.representatives[key] { return known }
        var seen = [Int8](repeating: -1, count: 256 * PlainText.stateCount)   // the plain state that last saw a key
        let transitions = PlainText.transitionTable
        let all = (0..<PlainText.stateCount).map { p in
            var representatives: [(byte: UInt8, next: Int8)] = []
            for b in 0..<256 where textClass.contains(UInt8(b)) {
                let q = transitions[p << 8 | b]
                guard q >= 0 else { continue }
                let key = Int(byteClass[b]) * PlainText.stateCount + Int(q)
                if seen[key] != Int8(p) {
                    seen[key] = Int8(p)
                    representatives.append((UInt8(b), q))
                }
            }
            return representatives
        }
        textClassTables.representatives[key] = all
        return all
    }
}

/// The text classes a `ConfigurationSpace` has found (an entry of nil: none worth it).
struct TextClassTables {
    /// A class and the deepest stack its strings reach.
    struct Entry {
        var textClass: TextClass
        var deepestStack: Int32
        /// Whether a string of the class may reach an accepting configuration (see
        /// `ConfigurationSpace.textClass(_:limit:tokenCount:)`); kept true unless shown otherwise.
        var mayReturn = true
    }
    /// Per configuration.
    var byConfiguration: [Int32: Entry?] = [:]
    /// Per stack node.
    var byStack: [Int32: Entry?] = [:]
    /// Per class (length 0): `classRepresentatives`.
    var representatives: [TextClass: [[(byte: UInt8, next: Int8)]]] = [:]
    /// Per NFA state: whether it reads enough plain first bytes to be searched.
    var readsManyFirstBytes: [Int32: Bool] = [:]
    /// Per class: the `tokenCount` of `textClass(_:limit:tokenCount:)` (one vocabulary's).
    var tokenCounts: [TextClass: Int] = [:]
    /// Per byte class holding bytes a plain-text string may start with: one of them and how
    /// many they are (empty until first used).
    var plainFirstByteClasses: [(byte: UInt8, plainBytes: Int)] = []
}
