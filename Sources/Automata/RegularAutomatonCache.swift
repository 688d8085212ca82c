import class Foundation.NSLock
import Grammar

/// A process-wide cache of determinized and minimized regular expressions that refer to no
/// rule (formats, patterns, key exclusions, the shared lexemes of JSON), so that a format like
/// `date-time` is determinized once per process rather than once per schema — the
/// cross-grammar reuse XGrammar-2 also relies on. An expression whose choices hold literals
/// that change nothing is built under its form without them (`withoutRedundantLiterals`), so
/// the key exclusions of objects that differ only in such names share one automaton (the
/// expression is then a second entry, sharing the automaton's tables). The automata of counted
/// regions (`CountedAutomaton`) are kept too, under their content with the grammar's rules
/// inlined. Bounded: when it holds `capacity` automata of a kind, or `maxBytes` bytes of
/// transition tables in all, it is cleared. Key exclusions, rarely shared between schemas, have
/// a smaller table of their own (`exclusionCapacity` entries, `maxExclusionBytes` bytes),
/// cleared on its own, so that they do not push out the automata every schema shares.
/// Thread-safe.
final class RegularAutomatonCache: @unchecked Sendable {
    static let shared = RegularAutomatonCache(capacity: 1_024, maxBytes: 256 << 20)

    private let lock = NSLock()
    // The tables are keyed by the expressions' whole trees (`ExpressionKey`): the
    // expressions of one kind share the prefix `Expression.hash(into:)` reads.
    private var automata: [ExpressionKey: RegularAutomaton] = [:]
    private var spliced: [ExpressionKey: SplicedAutomaton] = [:]
    private var counted: [ExpressionKey: CountedAutomaton] = [:]
    /// The languages key exclusions take words out of, prepared (`WordExclusion.Base`).
    /// With whether every state of the language's automaton reaches acceptance (`SplicedAutomaton.isTrim`).
    private var exclusionBases: [ExpressionKey: (spliced: SplicedAutomaton, prepared: WordExclusion.Base, isTrim: Bool)] = [:]
    /// Key exclusions (`wordExclusion(_:)`), apart from the other tables.
    private var exclusions: [ExpressionKey: SplicedAutomaton] = [:]
    /// Expressions whose automaton exceeded the limits of `minimalSplicedAutomaton`.
    private var refusedMinimal: Set<ExpressionKey> = []
    private let capacity: Int
    private let maxBytes: Int
    private let exclusionCapacity: Int
    private let maxExclusionBytes: Int
    /// Bytes of the transition tables held (but the exclusions').
    private var bytes = 0
    /// Bytes of the exclusions held.
    private var exclusionBytes = 0

    init(capacity: Int, maxBytes: Int) {
        self.capacity = capacity
        self.maxBytes = maxBytes
        exclusionCapacity = max(1, capacity / 4)
        maxExclusionBytes = max(1, maxBytes / 8)
    }

    /// Makes room for an entry of `size` bytes (call with the lock held).
    private func makeRoom(for size: Int) {
        guard automata.count >= capacity || spliced.count >= capacity || counted.count >= capacity || exclusionBases.count >= capacity
                || bytes + size > maxBytes else {
            return
        }
        automata.removeAll(keepingCapacity: true)
        spliced.removeAll(keepingCapacity: true)
        counted.removeAll(keepingCapacity: true)
        exclusionBases.removeAll(keepingCapacity: true)
        bytes = 0
    }

    /// Files the key exclusion `built` under `key` in the exclusions' own table, which is
    /// cleared when it holds `exclusionCapacity` entries or would pass `maxExclusionBytes`.
    private func fileExclusion(_ built: SplicedAutomaton, under key: ExpressionKey) {
        lock.lock()
        if exclusions.count >= exclusionCapacity || exclusionBytes + built.byteCount > maxExclusionBytes {
            exclusions.removeAll(keepingCapacity: true)
            exclusionBytes = 0
        }
        exclusions[key] = built
        exclusionBytes += built.byteCount
        lock.unlock()
    }

    /// The entry of `key` in `table`, if cached.
    private func cached<Entry>(_ table: ReferenceWritableKeyPath<RegularAutomatonCache, [ExpressionKey: Entry]>, _ key: ExpressionKey) -> Entry? {
        lock.lock()
        defer { lock.unlock() }
        return self[keyPath: table][key]
    }

    /// Files `entry` under `key` in `table`, counting `size` bytes (after making room for them).
    private func file<Entry>(_ entry: Entry, size: Int, under key: ExpressionKey,
                             in table: ReferenceWritableKeyPath<RegularAutomatonCache, [ExpressionKey: Entry]>) {
        lock.lock()
        makeRoom(for: size)
        self[keyPath: table][key] = entry
        bytes += size
        lock.unlock()
    }

    /// The minimal automaton of `expression` (which must refer to no rule), compiled on first
    /// use, or read from its table when it is a tabled format's rule body, or refused at once
    /// when it is a format's body whose construction is known to exceed `limits` (`FormatAutomata`).
    func automaton(for expression: Expression, limits: CompileLimits) throws(GrammarError) -> RegularAutomaton {
        try automaton(for: ExpressionKey(expression), limits: limits)
    }

    /// `automaton(for:limits:)` of the key's expression.
    private func automaton(for key: ExpressionKey, limits: CompileLimits) throws(GrammarError) -> RegularAutomaton {
        try entry(\.automata, for: key, limits: limits) { (k: ExpressionKey) throws(GrammarError) in
            let e = k.expression
            if let prebuilt = FormatAutomata.automaton(for: e, limits: limits) { return (prebuilt, prebuilt.byteCount) }
            if FormatAutomata.exceedsLimits(e, limits: limits) {
                throw GrammarError(.limitExceeded, "the automaton of a format exceeds the limits of a shared rule")
            }
            let dfa = try RegularAutomaton.compileMinimized(e, limits: limits)
            return (dfa, dfa.byteCount)
        }
    }

    /// The entry of `key` in `table`: cached, else the entry of its form without redundant
    /// literals (filed under both, its bytes counted once), else built by `build` (the entry
    /// and the bytes it holds).
    private func entry<Entry>(_ table: ReferenceWritableKeyPath<RegularAutomatonCache, [ExpressionKey: Entry]>, for key: ExpressionKey,
                              limits: CompileLimits,
                              build: (ExpressionKey) throws(GrammarError) -> (entry: Entry, bytes: Int)) throws(GrammarError) -> Entry {
        if let cached = cached(table, key) { return cached }
        let reduced = withoutRedundantLiterals(key.expression, limits: limits)
        let built: (entry: Entry, bytes: Int)
        if reduced != key.expression {
            built = (try entry(table, for: ExpressionKey(reduced), limits: limits, build: build), 0)
        } else {
            built = try build(key)
        }
        file(built.entry, size: built.bytes, under: key, in: table)
        return built.entry
    }

    /// The minimal automaton of `expression` (which must refer to no rule) ready to be spliced,
    /// built on first use (worth it for expressions shared by many grammars); nil when it
    /// exceeds `limits`, which is remembered too.
    func minimalSplicedAutomaton(for expression: Expression, limits: CompileLimits) -> SplicedAutomaton? {
        let key = ExpressionKey(expression)
        lock.lock()
        let refused = refusedMinimal.contains(key)
        lock.unlock()
        if refused { return nil }
        if let automaton = try? splicedAutomaton(for: key, limits: limits) { return automaton }
        lock.lock()
        if refusedMinimal.count >= capacity { refusedMinimal.removeAll(keepingCapacity: true) }
        refusedMinimal.insert(key)
        lock.unlock()
        return nil
    }

    /// The automaton of the counted region `content` (an intersection whose last operand is a
    /// repetition of the unit, all referring to no rule; see `LengthGuards`), whose units are
    /// those of `units` (the unit repeated), built on first use. Keyed by `content` as it is:
    /// the region's states are those of its own product, not of an equivalent expression's.
    func countedAutomaton(for content: Expression, units: Expression, limits: CompileLimits) throws(GrammarError) -> CountedAutomaton {
        let key = ExpressionKey(content)
        if let cached = cached(\.counted, key) { return cached }
        let empty = Grammar(.empty)
        let region = try CountedAutomaton(content: RegularAutomaton.compile(content, grammar: empty, limits: limits),
                                          units: RegularAutomaton.compile(units, grammar: empty, limits: limits), limits: limits)
        file(region, size: region.byteCount, under: key, in: \.counted)
        return region
    }

    /// The minimal automaton of `expression` (which must refer to no rule) ready to be spliced,
    /// built on first use. A difference that takes finitely many words out of a language (a
    /// key exclusion: `json-char* − ("a" | "b")`, with `("a" | "b" | p₁ | …)` read as the words
    /// taken out of `json-char* − (p₁ | …)`) is built on the language's own cached automaton
    /// (`WordExclusion`): a head of the words' trie before a copy of it, one per set of words
    /// (in any order) and language.
    func splicedAutomaton(for expression: Expression, limits: CompileLimits) throws(GrammarError) -> SplicedAutomaton {
        // A key exclusion is keyed by its canonical form only (the whole expression's digest
        // would be one more walk of its tree).
        if let (kept, words) = RegularAutomatonCache.wordExclusion(expression) {
            return try exclusion(kept, words, limits: limits)
        }
        return try splicedAutomaton(for: ExpressionKey(expression), limits: limits, exclusionChecked: true)
    }

    /// `splicedAutomaton(for:limits:)` of the key's expression (`exclusionChecked`: known not to
    /// be a key exclusion).
    private func splicedAutomaton(for key: ExpressionKey, limits: CompileLimits,
                                  exclusionChecked: Bool = false) throws(GrammarError) -> SplicedAutomaton {
        if !exclusionChecked, let (kept, words) = RegularAutomatonCache.wordExclusion(key.expression) {
            return try exclusion(kept, words, limits: limits)
        }
        return try entry(\.spliced, for: key, limits: limits) { (k: ExpressionKey) throws(GrammarError) in
            let built = SplicedAutomaton(try automaton(for: k, limits: limits))
            return (built, built.byteCount)
        }
    }

    /// The key exclusion `kept − words`, built on first use.
    private func exclusion(_ kept: Expression, _ words: [[UInt8]], limits: CompileLimits) throws(GrammarError) -> SplicedAutomaton {
        // Filed under the words sorted: the state rules of one object name its keys in
        // the order they are met, so one exclusion comes in several orders.
        let sorted = Set(words).sorted { $0.lexicographicallyPrecedes($1) }
        let canonical = ExpressionKey(.difference(kept, .choice(sorted.map { .literal($0) })))
        if let cached = cached(\.exclusions, canonical) { return cached }
        let base = try exclusionBase(for: kept, limits: limits)
        let built = try SplicedAutomaton(base.spliced, prepared: base.prepared, baseIsTrim: base.isTrim, excluding: sorted,
                                         limits: limits)
        fileExclusion(built, under: canonical)
        return built
    }

    /// The language `kept` that key exclusions take words out of, ready to be spliced and
    /// prepared for `WordExclusion`, and whether its automaton is trim, built on first use.
    func exclusionBase(for kept: Expression, limits: CompileLimits) throws(GrammarError)
        -> (spliced: SplicedAutomaton, prepared: WordExclusion.Base, isTrim: Bool) {
        let key = ExpressionKey(kept)
        if let cached = cached(\.exclusionBases, key) { return cached }
        let spliced = try splicedAutomaton(for: key, limits: limits)
        let base = (spliced: spliced, prepared: WordExclusion.Base(spliced),
                    isTrim: SplicedAutomaton.everyStateAccepts(after: spliced.edgeStart, spliced.edges, accepting: spliced.accepting))
        file(base, size: base.prepared.byteCount, under: key, in: \.exclusionBases)
        return base
    }

    /// `expression` as the words a difference takes out of a language that refers to no rule
    /// (`kept`): `a − W`, or `(a − (p₁ | …)) − W` for `a − (W | p₁ | …)`, where `W` is a finite
    /// set of words and the `pᵢ` are the other excluded alternatives; nil for other expressions.
    static func wordExclusion(_ expression: Expression) -> (kept: Expression, words: [[UInt8]])? {
        guard case .difference(let a, let b) = expression, !a.refersToRules, !b.refersToRules else { return nil }
        if let words = WordExclusion.words(of: b) { return (a, words) }
        guard case .choice(let parts) = b else { return nil }
        var words: [[UInt8]] = []
        var others: [Expression] = []
        for part in parts {
            if words.count <= WordExclusion.maxWords, let some = WordExclusion.words(of: part) {
                words += some
            } else {
                others.append(part)
            }
        }
        guard !words.isEmpty, words.count <= WordExclusion.maxWords, !others.isEmpty else { return nil }
        return (.difference(a, .alternatives(others)), words)
    }
}
