import Foundation
import Automata

/// Whether an object being written can still be completed with distinct member names: the
/// dead-end check behind `JSONKeyTracker` for key languages that are not open.
///
/// The grammar alone cannot keep names distinct, so the matcher refuses a token that completes
/// a used name. Over an *open* key language (`"[^"]*"`, a pattern such as `^x-`) that is all:
/// every unfinished name still has infinitely many completions, so some are unused. Over a
/// finite one (`patternProperties: {"^[ab]$": …}` with `additionalProperties: false`, an enum
/// of `propertyNames`, a branch that needs more members than names remain) a token can lead to
/// a place from which every completion repeats a name: `{"a":0,"a` (only `a` can follow), the
/// `,` after `{"a":0,"b":0` (no name is left), or the first name of a branch whose required
/// members can only repeat it.
///
/// So, in grammars with `Grammar.narrowedObjectKeys` (the index exists only there), in each
/// *constrained* object — one where a name of a finite key language of several names, one of
/// which the next member may use again, was opened (`JSONKeyTracker.Frame.isConstrained`), or
/// right before such a name — after each
/// token that leaves the output at a member boundary (inside a name, before one, between a name
/// and its value, after a value: a closed string or container, or whitespace after a number or
/// literal) the matcher asks whether the object can still be closed: a depth-first search from
/// the automaton's configuration through the rest of the name (byte by byte, the names it
/// completes must be unused), each member's value (skipped: the configurations where it can
/// end, small values first), and the members after it, until a `}` can follow. Shortcuts, each
/// a documented assumption: a name from a place whose key language is open (every place
/// reachable in the name can be lengthened) is taken as completable with an unused name and a
/// completable object after it; the ends of a value are looked for through at most
/// `maxValueDepth` levels of nesting, and a value whose skip passes `valueNodeBudget` places is
/// taken as completable; a search of more than `nodeBudget` places answers yes. Places inside a
/// member's value are not checked for the object around it (a value choosing a branch that
/// needs repeated names is caught only at the value's end), and an object is not constrained
/// when the names of its finite key languages come back only two members later or after a
/// longer value.
///
/// Most tokens never need the search: per mask (a configuration, or its count zone) and lexical
/// signature, read from the grammar's own mask, only the allowed tokens that end at such a
/// place in a configuration whose answer is not yes regardless of names are listed
/// (`Candidate`), each with the names of one way to complete the object found with no name
/// used; a matcher whose used names avoid those names keeps the token at once. The
/// configurations are stepped without counters or unique-array checks, the same way on every
/// path, so masks, `accept`, `canAccept` and `accept(bytes:)` agree.
final class ObjectKeyIndex: @unchecked Sendable {
    /// The most places one search looks at; past it the answer is yes.
    static let nodeBudget = 20_000
    /// The most places one value skip looks at; past it the value is taken as completable.
    static let valueNodeBudget = 4_096
    /// The deepest nesting a value skip follows (ends reachable only through deeper nesting are
    /// not looked for: in a JSON grammar a value returns to the same places at any depth).
    static let maxValueDepth = 3
    /// How many names of a finite key language are probed for coming back, and the longest
    /// shortest value followed for each (a longer one is taken not to bring the name back).
    static let repeatProbes = 8
    static let repeatProbeSteps = 64
    /// The most bytes the walk to the end of a shortest value reads.
    static let greedySteps = 512
    /// The most places the first, shallow value skip looks at.
    static let shallowValueNodes = 256
    /// A key language with more completions than this is taken as open: no object uses them
    /// all up.
    static let manyNames = 64

    private let engine: MaskEngine
    /// Guards `candidates` (the other tables are used under the engine's lock only).
    private let lock = NSLock()
    /// By mask id (`MaskEngine.fillMask`), then lexical signature: the allowed tokens needing a
    /// check.
    private var candidates: [Int32: [(signature: UInt32, entries: [Candidate])]] = [:]

    // Under the engine's lock (inside `engine.withSpace`).
    private var completionCounts: [RegionKey: Int] = [:]
    private var valueEnds: [Int32: ValueEnds] = [:]
    private var shallowValueEnds: [Int32: ValueEnds] = [:]
    private var greedyEnds: [GreedyKey: Int32?] = [:]
    private var repeatableRegions: [Int32: Bool] = [:]
    private var precedingFiniteKey: [Int32: Bool] = [:]
    private var whitespaceClosures: [Int32: [Int32]] = [:]
    private var regionNames: [Int32: [(name: [UInt8], after: Int32)]] = [:]
    private var closable: [Int32: Bool] = [:]
    /// One byte of each pair of (byte class, lexical kind): what a value skip reads.
    private var representatives: [UInt8] = []
    /// By configuration and byte (`config << 8 | byte`): `stepsAfterWhitespace`'s answer, and
    /// whether its whitespace closure was followed to its end.
    private var whitespaceSteps: [Int: (steps: [Int32], complete: Bool)] = [:]
    /// By lexical signature: the quote tokens that may end at a checked place from there
    /// (`quoteTokensReachingChecks`).
    private var quoteTokenFilters: [UInt32: [Int32]] = [:]
    /// By lexical signature between tokens: which structural tokens may end at a checked place.
    private var structuralFilters: [UInt32: TokenFilter] = [:]

    init(engine: MaskEngine) {
        self.engine = engine
    }

    /// An allowed token that ends at a place where names decide whether the object can be
    /// completed.
    struct Candidate: Sendable {
        var token: Int32
        /// The configuration after the token (stepped without counters or unique arrays).
        var next: Int32
        /// The names of one completion of the object found with no name used (the first one
        /// continuing the current name when the token ends inside one), or nil when there is
        /// none or the search gave up.
        var witness: [[UInt8]]?
        /// Whether a nil witness proves there is no completion whatever the names (the
        /// token does not end inside a name, and the search did not give up).
        var provedDead: Bool
    }

    // MARK: Matcher hooks

    /// Whether the object around the end of `bytes`, read by `keys` from `config` (`keys` as
    /// it was before them), can still be completed with distinct names. `keys` must not repeat
    /// a name over `bytes`.
    func canComplete(after bytes: some Collection<UInt8>, from config: Int32, keys: JSONKeyTracker) -> Bool {
        engine.withSpace { space in
            let opens = finiteKeyOpenings(bytes, from: config, space: space)
            let (place, _, known) = keys.place(after: bytes, opensFiniteKey: opens)
            if known && place == nil { return true }
            var after = keys
            _ = after.consume(bytes, opensFiniteKey: opens)
            let next = space.run(bytes, from: config)
            guard next >= 0, let place = after.place, isChecked(place, at: next, keys: after, space: space) else { return true }
            return check(place, at: next, keys: after, space: space)
        }
    }

    /// Reads `bytes` (from `config`) into `keys`, marking the objects where a name opens in a
    /// finite key language of several names (`JSONKeyTracker.Frame.isConstrained`); false when
    /// they repeat a name.
    func advance(_ keys: inout JSONKeyTracker, over bytes: some Collection<UInt8>, from config: Int32) -> Bool {
        engine.withSpace { space in keys.consume(bytes, opensFiniteKey: finiteKeyOpenings(bytes, from: config, space: space)) }
    }

    /// Reads a whole `output` from the start into a new tracker (after a rollback).
    func replay(_ output: [UInt8]) -> JSONKeyTracker {
        var keys = JSONKeyTracker()
        engine.withSpace { space in
            var config = space.initial
            for byte in output {
                let next = config >= 0 ? space.step(config, byte) : ConfigurationSpace.dead
                _ = keys.consume(CollectionOfOne(byte), opensFiniteKey: { _ in next >= 0 && isFiniteRegion(next, space: space) })
                config = next
            }
        }
        return keys
    }

    /// For `bytes` read from `config`: whether the name opened by the quote at an offset has a
    /// finite key language of several names.
    private func finiteKeyOpenings<C: Collection<UInt8>>(_ bytes: C, from config: Int32, space: ConfigurationSpace) -> (Int) -> Bool {
        { offset in
            let quote = space.run(bytes.prefix(offset + 1), from: config)
            return quote >= 0 && self.isFiniteRegion(quote, space: space)
        }
    }

    /// Whether the object around the place of `keys` (after its last byte), in `config`, can
    /// still be completed with distinct names.
    func canComplete(at config: Int32, keys: JSONKeyTracker) -> Bool {
        guard config >= 0, let place = keys.place else { return true }
        return engine.withSpace { space in
            !isChecked(place, at: config, keys: keys, space: space) || check(place, at: config, keys: keys, space: space)
        }
    }

    /// Whether `place` (in `config`, for `keys` after the token) is checked at all: in an
    /// object where a name of a finite language of several names was opened, or before a name
    /// of such a language.
    private func isChecked(_ place: JSONKeyTracker.Place, at config: Int32, keys: JSONKeyTracker, space: ConfigurationSpace) -> Bool {
        keys.isInConstrainedObject || (place == .beforeKey && precedesFiniteKey(config, space: space))
    }

    /// Whether a name of a finite key language of several names may open after `config` (and
    /// whitespace). With `base`, a configuration whitespace leads to `config`: no when it is no
    /// for `base` and `base`'s whitespace closure was followed to its end (which then holds
    /// `config`'s), without following `config`'s (a run of whitespace tokens otherwise follows
    /// one closure per run length).
    private func precedesFiniteKey(_ config: Int32, whitespaceAfter base: Int32? = nil, space: ConfigurationSpace) -> Bool {
        if let known = precedingFiniteKey[config] { return known }
        if let base, base != config, base >= 0, !precedesFiniteKey(base, space: space),
           whitespaceSteps[Int(base) << 8 | Int(UInt8(ascii: "\""))]?.complete == true {
            precedingFiniteKey[config] = false
            return false
        }
        let result = stepsAfterWhitespace(config, UInt8(ascii: "\""), space: space).contains { isFiniteRegion($0, space: space) }
        precedingFiniteKey[config] = result
        return result
    }

    /// The configuration `bytes` lead `config` to before their trailing JSON whitespace (nil
    /// when they end in none).
    private static func beforeWhitespace(_ bytes: ArraySlice<UInt8>, from config: Int32, space: ConfigurationSpace) -> Int32? {
        let trimmed = bytes.reversed().drop { $0 == 0x20 || $0 == 0x0A || $0 == 0x09 || $0 == 0x0D }.count
        guard trimmed < bytes.count else { return nil }
        return space.run(bytes.prefix(trimmed), from: config)
    }

    /// Clears from `words` every allowed token of `entries` (the candidates of the mask)
    /// after which the object around it cannot be completed with distinct names.
    func removeDeadEnds(_ entries: [Candidate], from words: UnsafeMutableBufferPointer<UInt32>, config: Int32,
                        keys: JSONKeyTracker, vocabulary: PreparedVocabulary) {
        let vocab = vocabulary.vocabulary
        for candidate in entries where words[Int(candidate.token) >> 5] & (1 << UInt32(candidate.token & 31)) != 0 {
            let alive = engine.withSpace { space in
                var after = keys
                let bytes = vocab.bytes(of: Int(candidate.token))
                // A token repeating a name is cleared by `removeRepeatedKeys` already.
                guard after.consume(bytes, opensFiniteKey: finiteKeyOpenings(bytes, from: config, space: space)),
                      let place = after.place, isChecked(place, at: candidate.next, keys: after, space: space) else { return true }
                if let witness = candidate.witness, Self.witness(witness, holdsFor: after, at: place) { return true }
                return !candidate.provedDead && check(place, at: candidate.next, keys: after, space: space)
            }
            if !alive { words[Int(candidate.token) >> 5] &= ~(1 << UInt32(candidate.token & 31)) }
        }
    }

    /// Whether the names of `witness` (a completion found with no name used) are unused and
    /// distinct for `keys`: then the search with its names finds that completion or another.
    private static func witness(_ witness: [[UInt8]], holdsFor keys: JSONKeyTracker, at place: JSONKeyTracker.Place) -> Bool {
        var names = witness
        if place == .inKey {
            let state = keys.keyState
            guard state.escape == .none, state.highSurrogate == nil else { return false }
            if !names.isEmpty { names[0] = state.text + names[0] }
        }
        var used = keys.innermostNames
        for name in names where !used.insert(name).inserted { return false }
        return true
    }

    /// The exact answer at `place` in `config` for `keys` (after the token).
    private func check(_ place: JSONKeyTracker.Place, at config: Int32, keys: JSONKeyTracker, space: ConfigurationSpace) -> Bool {
        let state = keys.keyState
        if isSettled(place, at: config, escape: state.escape, space: space) { return true }
        var search = Search(index: self, space: space, used: keys.innermostNames)
        return search.run(place, at: config, text: state.text, escape: state.escape, highSurrogate: state.highSurrogate)
    }

    // MARK: Candidates

    /// The candidates of mask `maskID` (of configuration `config`, whose mask before any key
    /// check is `words`) for a tracker in the lexical state of `keys`: computed once per mask
    /// and lexical signature, so shared by matchers with any names.
    func candidates(forMask maskID: Int32, config: Int32, keys: JSONKeyTracker, mask words: UnsafeMutableBufferPointer<UInt32>,
                    vocabulary: PreparedVocabulary) -> [Candidate] {
        let signature = keys.lexicalSignature
        lock.lock()
        if let known = candidates[maskID]?.first(where: { $0.signature == signature }) {
            lock.unlock()
            return known.entries
        }
        lock.unlock()
        let entries = engine.withSpace { space in computeCandidates(config, keys: keys, mask: words, vocabulary: vocabulary, space: space) }
        lock.lock()
        candidates[maskID, default: []].append((signature, entries))
        lock.unlock()
        return entries
    }

    private func computeCandidates(_ config: Int32, keys: JSONKeyTracker, mask words: UnsafeMutableBufferPointer<UInt32>,
                                   vocabulary: PreparedVocabulary, space: ConfigurationSpace) -> [Candidate] {
        let vocab = vocabulary.vocabulary
        @inline(__always) func allowed(_ id: Int32) -> Bool { words[Int(id) >> 5] & (1 << UInt32(id & 31)) != 0 }
        // Tokens that can end at a checked place: in a string, only by closing it (a quote);
        // in a name, also by staying in it unless its language is open from here; between
        // tokens, by holding a structural byte or whitespace.
        var ids: [Int32] = []
        if keys.isReadingString || (keys.isReadingKey && isOpen(config, escape: keys.keyState.escape, space: space)) {
            ids = quoteTokensReachingChecks(keys, vocabulary: vocabulary).filter(allowed)
        } else {
            // In a name of a finite language (few tokens), or between tokens (few with a
            // structural byte).
            let inKey = keys.isReadingKey
            let filter = inKey ? nil : structuralFilter(keys, vocabulary: vocabulary)
            TokenBitmask.forEachSetBit(in: UnsafeBufferPointer(words)) { id in
                guard id < vocab.definedCount, !vocab.isSpecial(id), inKey || vocabulary.isStructural[id] else { return }
                if let filter, !filter.mayReachCheck(Int32(id), from: keys, vocabulary: vocabulary) { return }
                ids.append(Int32(id))
            }
        }
        var entries: [Candidate] = []
        // Relative searches by place, configuration and escape: tokens often end alike.
        var searched: [SearchKey: (found: Bool, witness: [[UInt8]]?)] = [:]
        for id in ids {
            let bytes = vocab.bytes(of: Int(id))
            let closings = bytes.lazy.filter { $0 == UInt8(ascii: "}") || $0 == UInt8(ascii: "]") }.count
            let (place, isConstrained, known) = keys.place(after: bytes, opensFiniteKey: finiteKeyOpenings(bytes, from: config, space: space))
            if place == nil && known && closings < JSONKeyTracker.signatureLevels { continue }
            // Outside constrained objects only a place before a name may need the check.
            if known && !isConstrained && place != .beforeKey && closings < JSONKeyTracker.signatureLevels { continue }
            let next = space.run(bytes, from: config)
            guard next >= 0 else { continue }
            if known && !isConstrained && closings < JSONKeyTracker.signatureLevels
                && !(place == .beforeKey && precedesFiniteKey(next, whitespaceAfter: Self.beforeWhitespace(bytes, from: config, space: space),
                                                               space: space)) { continue }
            guard let place, known, closings < JSONKeyTracker.signatureLevels else {
                // Its place depends on levels the signature does not describe: always searched.
                entries.append(Candidate(token: id, next: next, witness: nil, provedDead: false))
                continue
            }
            // The escape pending at the end, read on a copy only for the few tokens ending here.
            var after = keys.lexicalCopy
            _ = after.consume(bytes, opensFiniteKey: finiteKeyOpenings(bytes, from: config, space: space))
            let escape = after.keyState.escape
            if isSettled(place, at: next, escape: escape, space: space) { continue }
            let key = SearchKey(place: place, config: next, escape: RegionKey.code(escape))
            let (found, witness) = searched[key] ?? {
                var search = Search(index: self, space: space, used: [])
                let found = search.run(place, at: next, text: [], escape: escape, highSurrogate: nil)
                let result = (found, found && !search.gaveUp ? search.path : nil)
                searched[key] = result
                return result
            }()
            entries.append(Candidate(token: id, next: next, witness: witness,
                                     provedDead: !found && place != .inKey))
        }
        return entries
    }

    /// Whether a token read by a tracker in the lexical state of `keys` may end at a place
    /// `computeCandidates` checks, in some configuration: not when it ends outside objects or
    /// inside a value, or at a place other than before a name in an object that is not
    /// constrained even if every name it opens has a finite key language (opening a name only
    /// ever marks its object constrained, so that reading skips no token the real one keeps).
    /// Depends on the lexical signature only (`place(after:opensFiniteKey:)` reads nothing else).
    private static func mayReachCheck(_ bytes: ArraySlice<UInt8>, from keys: JSONKeyTracker) -> Bool {
        if JSONKeyTracker.closesTooManyLevels(bytes) { return true }
        let (place, mostConstrained, known) = keys.place(after: bytes, opensFiniteKey: { _ in true })
        return !known || (place != nil && (mostConstrained || place == .beforeKey))
    }

    /// `mayReachCheck` for every token from one lexical signature, each read when first met.
    private final class TokenFilter {
        /// Two bits per token id: read, and the answer.
        private var bits: [UInt64]

        init(size: Int) {
            bits = Array(repeating: 0, count: (size + 31) / 32)
        }

        func mayReachCheck(_ id: Int32, from keys: JSONKeyTracker, vocabulary: PreparedVocabulary) -> Bool {
            let word = Int(id) >> 5, shift = UInt64(id & 31) << 1
            let known = bits[word] >> shift
            if known & 1 != 0 { return known & 2 != 0 }
            let answer = ObjectKeyIndex.mayReachCheck(vocabulary.vocabulary.bytes(of: Int(id)), from: keys)
            bits[word] |= (answer ? 3 : 1) << shift
            return answer
        }
    }

    /// The filter of the lexical signature of `keys`, between tokens (under the engine's lock).
    private func structuralFilter(_ keys: JSONKeyTracker, vocabulary: PreparedVocabulary) -> TokenFilter {
        let signature = keys.lexicalSignature
        if let known = structuralFilters[signature] { return known }
        let filter = TokenFilter(size: vocabulary.size)
        structuralFilters[signature] = filter
        return filter
    }

    /// The quote tokens (single-quote ones first, as `computeCandidates` reads them) that
    /// `mayReachCheck` keeps for a tracker in the lexical state of `keys`, listed once per
    /// lexical signature (under the engine's lock).
    private func quoteTokensReachingChecks(_ keys: JSONKeyTracker, vocabulary: PreparedVocabulary) -> [Int32] {
        let signature = keys.lexicalSignature
        if let known = quoteTokenFilters[signature] { return known }
        let vocab = vocabulary.vocabulary
        var found: [Int32] = []
        for id in vocabulary.singleQuoteTokens + vocabulary.multiQuoteTokens {
            if Self.mayReachCheck(vocab.bytes(of: Int(id)), from: keys) { found.append(id) }
        }
        quoteTokenFilters[signature] = found
        return found
    }

    // MARK: Names-independent answers

    /// Whether `place` in `config` can be completed whatever names are used (so the search
    /// answers yes at once): a name in an open key language, an object that can close after
    /// the value, or a value whose ends were not all found.
    private func isSettled(_ place: JSONKeyTracker.Place, at config: Int32, escape: JSONKeyTracker.Escape,
                           space: ConfigurationSpace) -> Bool {
        switch place {
        case .inKey:
            return isOpen(config, escape: escape, space: space)
        case .beforeKey:
            // Right after `{` the object may also close at once.
            return canClose(config, space: space)
                || stepsAfterWhitespace(config, UInt8(ascii: "\""), space: space).contains { isOpen($0, escape: .none, space: space) }
        case .afterKey:
            return greedyEnd(of: config, space: space).map { canClose($0, space: space) } ?? false
        case .afterValue:
            return canClose(config, space: space)
        }
    }

    /// Whether the key language from `config` (inside a name, `escape` pending) is open for
    /// the check: its completions are infinitely many (a place that can be lengthened forever),
    /// or more than `manyNames` (`^.{1,255}$`: no object uses them all up), so an unused one is
    /// always left.
    fileprivate func isOpen(_ config: Int32, escape: JSONKeyTracker.Escape, space: ConfigurationSpace) -> Bool {
        var onPath: Set<RegionKey> = []
        return completionCount(config, escape: escape, onPath: &onPath, space: space) > ObjectKeyIndex.manyNames
    }

    /// The number of ways the name from `config` (`escape` pending) can be completed, up to
    /// `manyNames + 1` (also for a cycle: unboundedly many). Spellings are counted, so a name
    /// with escaped and plain spellings counts more than once (it only looks more open).
    /// Memoized per configuration: each is stepped once.
    private func completionCount(_ config: Int32, escape: JSONKeyTracker.Escape, onPath: inout Set<RegionKey>,
                                 space: ConfigurationSpace) -> Int {
        let key = RegionKey(config: config, escape: RegionKey.code(escape))
        if let known = completionCounts[key] { return known }
        let many = ObjectKeyIndex.manyNames + 1
        // A place met again on its own path: the name can be lengthened forever.
        guard onPath.insert(key).inserted else { return many }
        // Each byte that can follow starts completions of its own (every live place has one):
        // count the bytes first, and go deeper only while they are few.
        var steps: [(next: Int32, escape: JSONKeyTracker.Escape)?] = []
        var scratch: [UInt8] = []
        for byte in ReadBytes(config, space: space) {
            let next = space.step(config, byte)
            guard next >= 0 else { continue }
            var after = escape, high: UInt32?
            // What the byte decodes to is not read here: only cleared now and then.
            if scratch.count > 64 { scratch.removeAll(keepingCapacity: true) }
            let closes = JSONKeyTracker.decodeKeyByte(byte, escape: &after, highSurrogate: &high, into: &scratch)
            steps.append(closes ? nil : (next, after))
        }
        var count = steps.count
        for case let (next, after)? in steps where count < many {
            count = min(many, count - 1 + completionCount(next, escape: after, onPath: &onPath, space: space))
        }
        onPath.remove(key)
        completionCounts[key] = count
        return count
    }

    /// Whether the name opened in `config` (right after its opening quote) has a finite key
    /// language (at most `manyNames` names) one of whose names the next member may use again
    /// (after a shortest value): its object is then checked for dead ends (`^a$` alone: after
    /// `{"a":0` a comma has no way on). Names that never come back (declared properties) or an
    /// open language cannot lead to one by themselves. Only the first `repeatProbes` names are
    /// probed, each after a shortest value of at most `repeatProbeSteps` bytes.
    fileprivate func isFiniteRegion(_ config: Int32, space: ConfigurationSpace) -> Bool {
        if let known = repeatableRegions[config] { return known }
        var onPath: Set<RegionKey> = []
        let count = completionCount(config, escape: .none, onPath: &onPath, space: space)
        var result = false
        if count >= 1 && count <= ObjectKeyIndex.manyNames {
            // Declared properties are finite too but never come back: only a language one of
            // whose names the next member may use again is checked.
            result = names(of: config, space: space).prefix(ObjectKeyIndex.repeatProbes).contains { name, after in
                guard let end = greedyEnd(of: after, steps: ObjectKeyIndex.repeatProbeSteps, space: space) else { return false }
                // Where the next name opens (whitespace, a comma, whitespace, a quote): a language
                // holding the name again, then whether it is finite (holding the name is a
                // path of the name's length; its size, a walk of the whole language).
                return stepsAfterWhitespace(end, UInt8(ascii: ","), space: space).contains { comma in
                    stepsAfterWhitespace(comma, UInt8(ascii: "\""), space: space).contains { quote in
                        guard holds(name, from: quote, space: space) else { return false }
                        var onPath: Set<RegionKey> = []
                        return completionCount(quote, escape: .none, onPath: &onPath, space: space) <= ObjectKeyIndex.manyNames
                    }
                }
            }
        }
        repeatableRegions[config] = result
        return result
    }

    /// Whether some spelling of `name` (decoded) completes the name opened in `config` (right
    /// after its opening quote): the spellings are followed byte by byte as long as what they
    /// decode to begins `name`, so only the bytes of those paths are stepped.
    private func holds(_ name: [UInt8], from config: Int32, space: ConfigurationSpace) -> Bool {
        /// A place on a spelling: the bytes of `name` decoded so far, and the escape pending.
        struct Node: Hashable {
            var config: Int32
            var decoded: Int
            var escape: JSONKeyTracker.Escape
            var highSurrogate: UInt32?
        }
        let start = Node(config: config, decoded: 0, escape: .none, highSurrogate: nil)
        var pending = [start]
        var seen: Set<Node> = [start]
        var scratch: [UInt8] = []
        let everyByte = Array(UInt8.min...UInt8.max)
        while let node = pending.popLast() {
            let next = node.decoded < name.count ? [name[node.decoded]] : []
            // The bytes that can decode to what `name` goes on with (every byte where that is
            // not plain to see): outside escapes a byte other than a backslash or a quote
            // decodes to itself; after a backslash, `u` or a byte decoding to the next one;
            // after `\u`, a hex digit (JSON text has no other byte there).
            let candidates: [UInt8]
            switch (node.escape, node.highSurrogate) {
            case (.none, nil): candidates = next + [UInt8(ascii: "\\"), UInt8(ascii: "\"")]
            case (.backslash, nil): candidates = next + Array("u\"\\/bfnrt".utf8)
            case (.unicode, _): candidates = ObjectKeyIndex.hexDigits
            default: candidates = everyByte
            }
            for byte in candidates {
                var escape = node.escape, highSurrogate = node.highSurrogate
                scratch.removeAll(keepingCapacity: true)
                let closes = JSONKeyTracker.decodeKeyByte(byte, escape: &escape, highSurrogate: &highSurrogate, into: &scratch)
                let decoded = node.decoded + scratch.count
                guard closes ? decoded == name.count : decoded <= name.count,
                      name[node.decoded..<decoded].elementsEqual(scratch) else { continue }
                let after = space.step(node.config, byte)
                guard after >= 0 else { continue }
                if closes { return true }
                let reached = Node(config: after, decoded: decoded, escape: escape, highSurrogate: highSurrogate)
                if seen.insert(reached).inserted { pending.append(reached) }
            }
        }
        return false
    }

    private static let hexDigits = Array("0123456789ABCDEFabcdef".utf8)

    /// The names a key language of at most `manyNames` completions holds from `config` (right
    /// after the opening quote), each with the configuration after its closing quote.
    private func names(of config: Int32, space: ConfigurationSpace) -> [(name: [UInt8], after: Int32)] {
        if let known = regionNames[config] { return known }
        struct Node: Hashable {
            var config: Int32
            var text: [UInt8]
            var escape: JSONKeyTracker.Escape
            var highSurrogate: UInt32?
        }
        var found: [(name: [UInt8], after: Int32)] = []
        var pending = [Node(config: config, text: [], escape: .none, highSurrogate: nil)]
        while let node = pending.popLast(), found.count <= ObjectKeyIndex.manyNames {
            for byte in ReadBytes(node.config, space: space) {
                let next = space.step(node.config, byte)
                guard next >= 0 else { continue }
                var after = node
                after.config = next
                if JSONKeyTracker.decodeKeyByte(byte, escape: &after.escape, highSurrogate: &after.highSurrogate, into: &after.text) {
                    found.append((after.text, next))
                } else {
                    pending.append(after)
                }
            }
        }
        regionNames[config] = found
        return found
    }

    /// `space.stepsAfterWhitespace(config, byte)`, memoized (not while the configuration budget
    /// is spent: steps then fail closed, and a later answer may differ).
    private func stepsAfterWhitespace(_ config: Int32, _ byte: UInt8, space: ConfigurationSpace) -> [Int32] {
        let key = Int(config) << 8 | Int(byte)
        if let known = whitespaceSteps[key] { return known.steps }
        let result = space.stepsAfterWhitespaceClosure(config, byte)
        if !space.exhausted { whitespaceSteps[key] = result }
        return result.steps
    }

    /// Whether `}` can follow `config`, after whitespace.
    fileprivate func canClose(_ config: Int32, space: ConfigurationSpace) -> Bool {
        if let known = closable[config] { return known }
        let result = !stepsAfterWhitespace(config, UInt8(ascii: "}"), space: space).isEmpty
        closable[config] = result
        return result
    }

    /// `config` and the configurations whitespace leads it to.
    fileprivate func whitespaceClosure(_ config: Int32, space: ConfigurationSpace) -> [Int32] {
        if let known = whitespaceClosures[config] { return known }
        var found = [config]
        var i = 0
        while i < found.count && found.count < 256 {
            for byte: UInt8 in [0x20, 0x0A, 0x09, 0x0D] {
                let next = space.step(found[i], byte)
                if next >= 0 && !found.contains(next) { found.append(next) }
            }
            i += 1
        }
        whitespaceClosures[config] = found
        return found
    }

    /// Where a member's value can end, from `config` after its name: the configurations right
    /// after a whole value (closed string or container, or a number or literal where another
    /// byte ends it), and whether all were found. Whitespace between tokens is not read: JSON
    /// grammars allow none there, and each run of it would be configurations of its own.
    /// Where a shortest value ends, from `config` after a name: the automaton is followed along
    /// a shortest completion of the document (which has to finish the value first), or nil
    /// when that does not end a value within `greedySteps` bytes.
    fileprivate func greedyEnd(of config: Int32, steps: Int = ObjectKeyIndex.greedySteps, space: ConfigurationSpace) -> Int32? {
        let key = GreedyKey(config: config, steps: steps)
        if let known = greedyEnds[key] { return known }
        var x = config, depth = 0, started = false
        var mode = ValueNode.Mode.structure
        var result: Int32?
        walk: for _ in 0..<steps {
            // The first byte a shortest completion can take (the lowest one lowering the
            // distance by one), else the byte leaving the least distance.
            let remaining = space.completionLength(x)
            var best: (byte: UInt8, next: Int32, distance: Int)?
            for byte in ReadBytes(x, space: space) {
                let next = space.step(x, byte)
                guard next >= 0 else { continue }
                let distance = space.completionLength(next)
                if best == nil || distance < best!.distance { best = (byte, next, distance) }
                if distance == remaining - 1 { break }
            }
            guard let (byte, next, _) = best else { break }
            switch mode {
            case .escape:
                mode = .string
            case .string:
                if byte == UInt8(ascii: "\\") {
                    mode = .escape
                } else if byte == UInt8(ascii: "\"") {
                    mode = .structure
                    if depth == 0 { result = next; break walk }
                }
            case .scalar:
                if !ObjectKeyIndex.isScalarByte(byte) { result = x; break walk }
            case .structure:
                switch byte {
                case UInt8(ascii: "\""): mode = .string; started = true
                case UInt8(ascii: "{"), UInt8(ascii: "["): depth += 1; started = true
                case UInt8(ascii: "}"), UInt8(ascii: "]"):
                    guard depth > 0 else { break walk }
                    depth -= 1
                    if depth == 0 { result = next; break walk }
                default:
                    if depth == 0 && ObjectKeyIndex.isScalarByte(byte) {
                        mode = .scalar
                        started = true
                    } else if depth == 0 && started && byte != UInt8(ascii: ":") {
                        break walk
                    }
                }
            }
            x = next
        }
        greedyEnds[key] = result
        return result
    }

    /// `shallow`: only values nested at most one level deep, in at most `shallowValueNodes`
    /// places (scalars, strings, small containers: usually every end, found cheaply); the
    /// ends found then, a subset of all.
    fileprivate func ends(of config: Int32, shallow: Bool, space: ConfigurationSpace) -> ValueEnds {
        if let known = shallow ? shallowValueEnds[config] : valueEnds[config] { return known }
        let maxDepth = shallow ? 1 : ObjectKeyIndex.maxValueDepth
        let budget = shallow ? ObjectKeyIndex.shallowValueNodes : ObjectKeyIndex.valueNodeBudget
        if representatives.isEmpty { representatives = ObjectKeyIndex.representatives(space.byteClasses) }
        var result = ValueEnds(configs: [], complete: true)
        var seen: Set<ValueNode> = []
        var pending = [ValueNode(config: config, mode: .structure, depth: 0, started: false)]
        seen.insert(pending[0])
        func visit(_ node: ValueNode) {
            // Deeper nesting is not followed: in a JSON grammar it returns to the same ends.
            guard node.depth <= maxDepth, seen.insert(node).inserted else { return }
            if seen.count > budget {
                result.complete = false
                return
            }
            pending.append(node)
        }
        func end(_ c: Int32) { if !result.configs.contains(c) { result.configs.append(c) } }
        while result.complete, let node = pending.popLast() {
            for byte in representatives {
                let next = space.step(node.config, byte)
                guard next >= 0 else { continue }
                switch node.mode {
                case .escape:
                    visit(ValueNode(config: next, mode: .string, depth: node.depth, started: true))
                case .string:
                    if byte == UInt8(ascii: "\\") {
                        visit(ValueNode(config: next, mode: .escape, depth: node.depth, started: true))
                    } else if byte == UInt8(ascii: "\"") {
                        if node.depth == 0 { end(next) } else { visit(ValueNode(config: next, mode: .structure, depth: node.depth, started: true)) }
                    } else {
                        visit(ValueNode(config: next, mode: .string, depth: node.depth, started: true))
                    }
                case .scalar:
                    if ObjectKeyIndex.isScalarByte(byte) {
                        visit(ValueNode(config: next, mode: .scalar, depth: 0, started: true))
                    } else {
                        end(node.config)
                    }
                case .structure:
                    switch byte {
                    case 0x20, 0x0A, 0x09, 0x0D:
                        // Whitespace between tokens is optional and changes no value: not read.
                        continue
                    case UInt8(ascii: "\""):
                        visit(ValueNode(config: next, mode: .string, depth: node.depth, started: true))
                    case UInt8(ascii: "{"), UInt8(ascii: "["):
                        visit(ValueNode(config: next, mode: .structure, depth: node.depth + 1, started: true))
                    case UInt8(ascii: "}"), UInt8(ascii: "]"):
                        guard node.depth > 0 else { continue }
                        if node.depth == 1 { end(next) } else { visit(ValueNode(config: next, mode: .structure, depth: node.depth - 1, started: true)) }
                    default:
                        if node.depth > 0 {
                            visit(ValueNode(config: next, mode: .structure, depth: node.depth, started: true))
                        } else if ObjectKeyIndex.isScalarByte(byte) {
                            visit(ValueNode(config: next, mode: .scalar, depth: 0, started: true))
                        } else if !node.started {
                            // The colon before the value.
                            visit(ValueNode(config: next, mode: .structure, depth: 0, started: false))
                        }
                    }
                }
            }
        }
        if shallow { shallowValueEnds[config] = result } else { valueEnds[config] = result }
        return result
    }

    /// A byte of a number or literal.
    private static func isScalarByte(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
             UInt8(ascii: "."), UInt8(ascii: "+"), UInt8(ascii: "-"):
            return true
        default:
            return false
        }
    }

    /// One byte per pair of byte class (`classes`, by byte) and lexical kind: bytes with both
    /// in common lead every configuration and a value skip to the same place.
    private static func representatives(_ classes: [UInt8]) -> [UInt8] {
        var seen: Set<Int> = []
        var result: [UInt8] = []
        for value in 0...255 {
            let byte = UInt8(value)
            let kind: Int
            switch byte {
            case UInt8(ascii: "\""): kind = 1
            case UInt8(ascii: "\\"): kind = 2
            case UInt8(ascii: "{"), UInt8(ascii: "["): kind = 3
            case UInt8(ascii: "}"), UInt8(ascii: "]"): kind = 4
            case 0x20, 0x0A, 0x09, 0x0D: kind = 5
            case UInt8(ascii: ","): kind = 6
            case UInt8(ascii: ":"): kind = 7
            default: kind = isScalarByte(byte) ? 8 : 0
            }
            if seen.insert(Int(classes[value]) << 4 | kind).inserted { result.append(byte) }
        }
        return result
    }

    /// The bytes a configuration's stacks read, in increasing order
    /// (`ConfigurationSpace.readBytes`): every other byte's step is dead, so a scan of the
    /// bytes that lead somewhere steps only these rather than all 256.
    private struct ReadBytes: Sequence, IteratorProtocol {
        /// The bytes not yet returned (bit `b & 63` of word `b >> 6` is byte `b`).
        private var words: SIMD4<UInt64>
        private var word = 0

        init(_ config: Int32, space: ConfigurationSpace) {
            words = space.readBytes(config)
        }

        mutating func next() -> UInt8? {
            while word < 4 {
                let bits = words[word]
                if bits != 0 {
                    words[word] = bits & (bits &- 1)
                    return UInt8(word << 6 | bits.trailingZeroBitCount)
                }
                word += 1
            }
            return nil
        }
    }

    /// A walk to the end of a shortest value: its start and its length bound.
    private struct GreedyKey: Hashable {
        var config: Int32
        var steps: Int
    }

    /// A relative search's starting point.
    private struct SearchKey: Hashable {
        var place: JSONKeyTracker.Place
        var config: Int32
        var escape: UInt8
    }

    /// A place of the openness check: a configuration inside a name and the escape pending.
    private struct RegionKey: Hashable {
        var config: Int32
        var escape: UInt8

        static func code(_ escape: JSONKeyTracker.Escape) -> UInt8 {
            switch escape {
            case .none: return 0
            case .backslash: return 1
            case .unicode(let digits, _): return UInt8(2 + digits)
            }
        }
    }

    /// Where a value can end (see `ends(of:space:)`).
    fileprivate struct ValueEnds {
        var configs: [Int32]
        /// Whether every end was found (else the value is taken as completable).
        var complete: Bool
    }

    /// A place of a value skip.
    private struct ValueNode: Hashable {
        enum Mode: UInt8 { case structure, string, escape, scalar }
        var config: Int32
        var mode: Mode
        /// Containers open inside the value.
        var depth: Int
        /// Whether the value has started.
        var started: Bool
    }

    /// The depth-first search of a completion with distinct names (see `ObjectKeyIndex`).
    private struct Search {
        let index: ObjectKeyIndex
        let space: ConfigurationSpace
        /// The names used so far: the object's, then those of the path.
        var used: Set<[UInt8]>
        /// The names the path completed, in order.
        var path: [[UInt8]] = []
        var nodes = 0
        /// Set when `nodeBudget` ran out (the answer is then yes).
        var gaveUp = false
        /// Member boundaries known to have no completion with the names used there.
        var failed: Set<Failure> = []

        init(index: ObjectKeyIndex, space: ConfigurationSpace, used: Set<[UInt8]>) {
            self.index = index
            self.space = space
            self.used = used
        }

        struct Failure: Hashable {
            var place: UInt8
            var config: Int32
            var used: Set<[UInt8]>
        }

        mutating func run(_ place: JSONKeyTracker.Place, at config: Int32, text: [UInt8], escape: JSONKeyTracker.Escape,
                          highSurrogate: UInt32?) -> Bool {
            switch place {
            case .inKey: return inKey(config, text: text, escape: escape, highSurrogate: highSurrogate)
            case .beforeKey: return beforeKey(config)
            case .afterKey: return afterKey(config)
            case .afterValue: return afterValue(config)
            }
        }

        /// Counts a place; true when the budget is spent.
        private mutating func spend() -> Bool {
            nodes += 1
            if nodes > ObjectKeyIndex.nodeBudget { gaveUp = true }
            return gaveUp
        }

        private mutating func afterValue(_ config: Int32) -> Bool {
            if index.canClose(config, space: space) { return true }
            let failure = Failure(place: 3, config: config, used: used)
            if failed.contains(failure) { return false }
            for x in index.whitespaceClosure(config, space: space) {
                if spend() { return true }
                let comma = space.step(x, UInt8(ascii: ","))
                if comma >= 0 && beforeKey(comma) { return true }
            }
            failed.insert(failure)
            return false
        }

        private mutating func beforeKey(_ config: Int32) -> Bool {
            if index.canClose(config, space: space) { return true }
            let failure = Failure(place: 0, config: config, used: used)
            if failed.contains(failure) { return false }
            for x in index.whitespaceClosure(config, space: space) {
                if spend() { return true }
                let quote = space.step(x, UInt8(ascii: "\""))
                if quote >= 0 && inKey(quote, text: [], escape: .none, highSurrogate: nil) { return true }
            }
            failed.insert(failure)
            return false
        }

        private mutating func afterKey(_ config: Int32) -> Bool {
            let failure = Failure(place: 2, config: config, used: used)
            if failed.contains(failure) { return false }
            // The end of a shortest value first, then those of small values (cheap, and usually
            // all of them), then the rest.
            let greedy = index.greedyEnd(of: config, space: space)
            if let greedy, afterValue(greedy) { return true }
            if gaveUp { return true }
            let shallow = index.ends(of: config, shallow: true, space: space)
            for end in shallow.configs where end != greedy && afterValue(end) { return true }
            if gaveUp { return true }
            let ends = index.ends(of: config, shallow: false, space: space)
            if !ends.complete { return true }
            for end in ends.configs where end != greedy && !shallow.configs.contains(end) && afterValue(end) { return true }
            if gaveUp { return true }
            failed.insert(failure)
            return false
        }

        /// From inside a name (`text` read so far): some completion to an unused name after
        /// which the object can be completed.
        private mutating func inKey(_ config: Int32, text: [UInt8], escape: JSONKeyTracker.Escape, highSurrogate: UInt32?) -> Bool {
            if index.isOpen(config, escape: escape, space: space) { return true }
            struct Node: Hashable {
                var config: Int32
                var text: [UInt8]
                var escape: JSONKeyTracker.Escape
                var highSurrogate: UInt32?
            }
            var pending = [Node(config: config, text: text, escape: escape, highSurrogate: highSurrogate)]
            var seen: Set<Node> = [pending[0]]
            while let node = pending.popLast() {
                if spend() { return true }
                for byte in ReadBytes(node.config, space: space) {
                    let next = space.step(node.config, byte)
                    guard next >= 0 else { continue }
                    var after = node
                    after.config = next
                    if JSONKeyTracker.decodeKeyByte(byte, escape: &after.escape, highSurrogate: &after.highSurrogate, into: &after.text) {
                        let name = after.text
                        guard !used.contains(name) else { continue }
                        used.insert(name)
                        path.append(name)
                        if afterKey(next) { return true }
                        used.remove(name)
                        path.removeLast()
                        if gaveUp { return true }
                    } else if seen.insert(after).inserted {
                        if index.isOpen(next, escape: after.escape, space: space) { return true }
                        pending.append(after)
                    }
                }
            }
            return false
        }
    }
}
