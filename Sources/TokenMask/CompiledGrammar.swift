import Foundation
import Automata
import Grammar

/// A grammar compiled against a vocabulary: immutable from the outside, `Sendable`, and shared
/// by any number of `Matcher`s on any threads.
///
/// Compilation builds the grammar's pushdown automaton; its deterministic states and their
/// token masks are built lazily, the first time a matcher reaches them, and cached.
public struct CompiledGrammar: Sendable {
    let engine: MaskEngine
    /// With `Grammar.distinctObjectKeys` or `uniqueArrayRules`: the quote tokens each
    /// configuration allows.
    let quoteTokens: QuoteTokenCache?
    /// Whether matchers keep object member names distinct (`Grammar.distinctObjectKeys`).
    let distinctKeys: Bool
    /// With `Grammar.narrowedObjectKeys`: the dead-end check of objects over finite key languages.
    let objectKeys: ObjectKeyIndex?
    /// With `Grammar.uniqueArrayRules`: where unique arrays open, shared by the matchers.
    let uniqueArrays: UniqueArrayIndex?

    /// Compiles `grammar` for `vocabulary`.
    public init(_ grammar: Grammar, vocabulary: PreparedVocabulary, limits: CompileLimits = .init()) throws(GrammarError) {
        let space = try ConfigurationSpace.compile(grammar, limits: limits)
        if space.hasCounters && !grammar.uniqueArrayRules.isEmpty {
            throw GrammarError(.unsupportedKeyword, "unique arrays (Grammar.uniqueArrayRules) beside counted string lengths "
                                   + "(Grammar.lengthCounter) are not supported")
        }
        engine = MaskEngine(space: space, vocabulary: vocabulary, maxBytes: limits.maxGrammarBytes)
        distinctKeys = grammar.distinctObjectKeys
        objectKeys = grammar.distinctObjectKeys && grammar.narrowedObjectKeys ? ObjectKeyIndex(engine: engine) : nil
        quoteTokens = grammar.distinctObjectKeys || !grammar.uniqueArrayRules.isEmpty ? QuoteTokenCache() : nil
        uniqueArrays = UniqueArrayIndex(engine: engine, rules: grammar.uniqueArrayRules, closedRules: grammar.closedUniqueArrayRules)
    }

    /// The vocabulary the grammar was compiled for.
    public var vocabulary: PreparedVocabulary { engine.vocabulary }

    /// A matcher at the start of the output.
    public func makeMatcher() -> Matcher {
        Matcher(engine: engine, quoteTokens: quoteTokens, distinctKeys: distinctKeys, objectKeys: objectKeys, uniqueArrays: uniqueArrays)
    }

    /// Figures about the compiled grammar and its caches so far.
    public var statistics: Statistics { engine.statistics() }

    /// Figures about a compiled grammar.
    public struct Statistics: Sendable, Hashable {
        /// Rules of the grammar.
        public var rules: Int
        /// States of its pushdown NFA.
        public var nfaStates: Int
        /// Deterministic configurations built so far.
        public var configurations: Int
        /// Call-stack nodes built so far.
        public var stackNodes: Int
        /// The stacks of the configurations built so far, summed over their kernels.
        public var kernelStacks: Int
        /// Masks cached so far.
        public var cachedMasks: Int
        /// Bytes held by the grammar: its pushdown automaton, the tables of the configurations
        /// built so far and the cached masks (bounded by `CompileLimits.maxGrammarBytes`).
        public var memoryBytes: Int
        /// Steps computed so far (transition-cache misses).
        public var stepsComputed: Int
        /// Token-trie nodes visited by mask computations so far.
        public var trieNodesVisited: Int
        /// Masks computed (not served from the cache) so far.
        public var masksComputed: Int
        /// Whether `CompileLimits.maxConfigurations` was reached: configurations beyond it
        /// are treated as dead, so masks stay sound but may leave out tokens that could
        /// still complete a document (raise the limit for such grammars).
        public var budgetExhausted: Bool
        /// How many times the step cache was emptied to stay within
        /// `CompileLimits.maxGrammarBytes` (its steps are then computed again as needed).
        public var stepCacheEvictions: Int
    }
}

/// The shared, lock-protected state behind a `CompiledGrammar`.
final class MaskEngine: @unchecked Sendable {
    let vocabulary: PreparedVocabulary
    private let lock = NSLock()
    private let space: ConfigurationSpace
    /// Masks by configuration, or with counted regions by the id of their `CountedMaskKey`.
    private var masks: MaskStore
    /// With counted regions: the ids of mask keys (configuration and count zone).
    private var countedMaskIDs: [CountedMaskKey: Int32] = [:]
    /// With counted regions: the masks of local configurations (`localMask`), by configuration
    /// (`masks` is by mask id there). Without: unused (they are in `masks`).
    private var countedLocalStore: MaskStore
    /// `CompileLimits.maxGrammarBytes`: masks that would take the grammar beyond it are not cached.
    private let maxBytes: Int
    let initial: Int32
    /// Whether the grammar has counted regions (see `LengthGuards`).
    let counted: Bool

    init(space: ConfigurationSpace, vocabulary: PreparedVocabulary, maxBytes: Int) {
        self.space = space
        self.vocabulary = vocabulary
        self.maxBytes = maxBytes
        self.initial = space.initial
        self.counted = space.hasCounters
        space.plainTextRunLimit = vocabulary.plainText.mostSpaceRuns
        self.masks = MaskStore(size: vocabulary.size, wordCount: vocabulary.maskWordCount)
        let counted = space.hasCounters
        self.countedLocalStore = MaskStore(size: counted ? vocabulary.size : 0, wordCount: counted ? vocabulary.maskWordCount : 0)
    }

    @inline(__always)
    private func locked<R>(_ body: () -> R) -> R {
        lock.lock()
        defer { lock.unlock() }
        return body()
    }

    func isAccepting(_ config: Int32) -> Bool {
        locked { space.accepting[Int(config)] }
    }

    /// The configuration and count after `bytes`, or `dead`.
    func run<C: Collection<UInt8>>(_ bytes: C, from state: CountedState) -> CountedState {
        locked {
            if !counted { return CountedState(config: space.run(bytes, from: state.config), count: 0) }
            let (config, count) = space.run(bytes, from: state.config, count: state.count)
            return CountedState(config: config, count: count)
        }
    }

    /// Runs `body` on the automaton under the engine's lock (for the run-time checks of
    /// `UniqueArrayIndex`).
    func withSpace<R>(_ body: (ConfigurationSpace) -> R) -> R { locked { body(space) } }

    /// The configuration and count after token `id`, or `dead` (also for special and padding ids).
    func step(token id: Int, from state: CountedState) -> CountedState {
        let vocab = vocabulary.vocabulary
        guard id >= 0, id < vocab.definedCount, !vocab.isSpecial(id) else { return CountedState(config: ConfigurationSpace.dead, count: 0) }
        let bytes = vocab.bytes(of: id)
        if bytes.isEmpty { return CountedState(config: ConfigurationSpace.dead, count: 0) }
        return run(bytes, from: state)
    }

    /// Fills `words` with the mask of `state` (EOS bits included when the output may end) and
    /// returns the id under which it is cached: its configuration, or with counted regions a
    /// dense id of its `CountedMaskKey`. Equal ids have equal masks.
    @discardableResult
    func fillMask(_ state: CountedState, into words: UnsafeMutableBufferPointer<UInt32>) -> Int32 {
        // The cached mask to copy out (after the lock: its words never move), or `Mask.none`
        // when it was just computed into `words`.
        let (id, cached): (Int32, MaskStore.Mask) = locked {
            var id = state.config
            var counterFreeBytes = Int.max
            if counted {
                let (key, freeBytes) = space.maskKey(state.config, count: state.count, horizon: vocabulary.trie.maxDepth)
                if let known = countedMaskIDs[key] {
                    id = known
                } else {
                    id = Int32(countedMaskIDs.count)
                    countedMaskIDs[key] = id
                }
                counterFreeBytes = freeBytes
            }
            let cached = masks.mask(id)
            if cached.form != .none { return (id, cached) }
            if counted, !space.isInCountedRegion(state.config), let tokens = tokensReadDifferently {
                // Outside every counted region: as without the counter, then the few tokens that
                // may read differently read with it.
                computeMask(state.config, id: id, into: words, checking: tokens)
            } else if counted {
                computeCountedMask(state, id: id, counterFreeBytes: counterFreeBytes, into: words)
            } else {
                computeMask(state.config, id: id, into: words)
            }
            return (id, MaskStore.Mask.none)
        }
        if cached.form != .none { cached.write(into: words, size: vocabulary.size) }
        return id
    }

    /// Computes the mask of `config` into `words`, from the local masks of its kernel groups
    /// where they can be shared, else by a walk, and caches it under mask id `id`. With
    /// `checking` (a grammar with counted regions, `config` outside all of them): computed as
    /// without the counter, after which each of those tokens that it allowed reads again with
    /// the counter (`tokensReadDifferently`).
    private func computeMask(_ config: Int32, id: Int32, into words: UnsafeMutableBufferPointer<UInt32>,
                             checking: [Int32]? = nil) {
        if let count = fillByGroups(config, into: words) {
            let removed = checking.map { removeReadDifferently($0, config: config, from: words) } ?? 0
            return finished(config, id: id, words, allowed: max(count.lowerBound - removed, 0)...(count.upperBound - removed))
        }
        words.update(repeating: 0)
        // A whole walk lists its tokens as it goes: a short mask is stored without a scan of
        // its words.
        listScratch.withUnsafeMutableBufferPointer { list in
            var listed = false
            var count = fillByWalk(config, into: words.baseAddress!, listing: list, listed: &listed)
            if let checking {
                let removed = removeReadDifferently(checking, config: config, from: words)
                count -= removed
                listed = listed && removed == 0
            }
            finished(config, id: id, words, allowed: count...count,
                     listed: listed ? UnsafeBufferPointer(rebasing: list[..<count]) : nil)
        }
    }

    /// Clears in `words` the tokens of `tokens` that `config` (outside every counted region)
    /// does not read with the counter; returns how many.
    private func removeReadDifferently(_ tokens: [Int32], config: Int32, from words: UnsafeMutableBufferPointer<UInt32>) -> Int {
        vocabulary.vocabulary.withTokenStorage { bytes, offsets in
            var removed = 0
            for token in tokens where words[Int(token) >> 5] & (1 << UInt32(token & 31)) != 0 {
                let read = UnsafeBufferPointer(rebasing: bytes[Int(offsets[Int(token)])..<Int(offsets[Int(token) + 1])])
                if space.run(read, from: config, count: 0).config < 0 {
                    words[Int(token) >> 5] &= ~(1 << UInt32(token & 31))
                    removed += 1
                }
            }
            return removed
        }
    }

    /// With counted regions: the tokens that may read differently with the counter than without
    /// from a configuration outside every region (`CounterEntryFacts`), or nil when every mask
    /// takes the counted walk (regions not entered by a quote, whose tokens are listed).
    private lazy var tokensReadDifferently: [Int32]? = {
        let quote = UInt8(ascii: "\"")
        guard let facts = space.counterEntryFacts, ByteBits(quote, quote).isSuperset(of: facts.entryBytes) else { return nil }
        return vocabulary.countedCheckTokens.tokens(for: facts, in: vocabulary)
    }()

    /// Scratch for the token ids a walk lists (`computeMask`): as many as a stored id list holds.
    private lazy var listScratch = MaskEngine.scratch(of: Int32.self, count: vocabulary.maskWordCount / 2)

    /// An array of `count` integers left as allocated: for scratch whose entries are written
    /// before they are read (clearing 8 or 16 KB was a tenth of a grammar's first mask).
    private static func scratch<T: FixedWidthInteger>(of type: T.Type, count: Int) -> [T] {
        [T](unsafeUninitializedCapacity: count) { _, initialized in initialized = count }
    }

    /// Adds to the mask in `words` (its tokens, `allowed` of them) the EOS tokens when `config`
    /// may end the output, and caches it under mask id `id` if it fits the memory budget.
    /// `listed`: the mask's tokens (before EOS), when the walk listed them all.
    private func finished(_ config: Int32, id: Int32, _ words: UnsafeMutableBufferPointer<UInt32>, allowed: ClosedRange<Int>,
                          listed: UnsafeBufferPointer<Int32>? = nil) {
        var count = allowed
        var added: [Int32] = []
        if space.accepting[Int(config)] {
            for eos in vocabulary.vocabulary.eosTokens where eos < vocabulary.size {
                if words[eos >> 5] & (1 << UInt32(eos & 31)) == 0 {
                    count = (count.lowerBound + 1)...(count.upperBound + 1)
                    added.append(Int32(eos))
                }
                words[eos >> 5] |= 1 << UInt32(eos & 31)
            }
        }
        let budget = maxBytes - space.memoryBytes
        if let listed, listed.count + added.count <= MaskStore.maxListedIDs {
            (Array(listed) + added).withUnsafeBufferPointer { all in
                masks.store(id, words: UnsafeBufferPointer(words), allowedCount: count, listed: all, budget: budget)
            }
        } else {
            masks.store(id, words: UnsafeBufferPointer(words), allowedCount: count, budget: budget)
        }
    }

    /// Sets in zeroed `words` the tokens `config` reads (not EOS), by one walk of the token
    /// trie (inside JSON strings, of the tokens outside the plain-text slice, and of those only
    /// the ones that leave plain text at `"` or `\` when the configuration reads no other byte
    /// there; inside strings of a text class, taking the class's subtrees whole, or, for a
    /// closed class of all plain text, walking only the tokens that are not plain); returns how many.
    /// With `counted`, the walk reads with that count, and plain-text slices and classes apply
    /// only up to `freeBytes` (see `computeCountedMask`). With `returns`, `config` is a local
    /// configuration: also records its return nodes (`ConfigurationSpace.fillAllowedLocally`)
    /// and the deepest stack its walk met. With `listing` (a whole walk of the full trie, no
    /// slice): lists the tokens there too, and sets `listed` when they all fit.
    private func fillByWalk(_ config: Int32, into words: UnsafeMutablePointer<UInt32>, counted: (count: Int, freeBytes: Int)? = nil,
                            returns: UnsafeMutablePointer<LocalMask>? = nil, maxReturnWork: Int = .max,
                            listing: UnsafeMutableBufferPointer<Int32>? = nil, listed: UnsafeMutablePointer<Bool>? = nil) -> Int {
        // Stacks inside a tree of literals: walked with the literals' states.
        if counted == nil, space.readsLiteralTree(config) {
            if let returns {
                returns.pointee.trie = vocabulary.trie
                returns.pointee.whitespace = vocabulary.whitespaceRuns
                let count: Int
                (count, returns.pointee.deepestStack, returns.pointee.returnWork) = space.fillAllowedThroughLiteralsLocally(
                    config, trie: vocabulary.trie, into: words, returns: &returns.pointee.returnNodes, maxReturnWork: maxReturnWork)
                return count
            }
            if let listing, let listed {
                let count = space.fillAllowedThroughLiterals(config, trie: vocabulary.trie, into: words, listingInto: listing)
                listed.pointee = count <= listing.count
                return count
            }
        }
        var depth = space.plainTextDepth(config, limit: vocabulary.plainText.longestPlainToken)
        if let counted { depth = min(depth, counted.freeBytes) }
        var slice = vocabulary.plainText.slice(forDepth: depth)
        // Short of the longer slices, a class of strings the configuration accepts.
        var textClass: (textClass: TextClass, deepestStack: Int)?
        if counted != nil, depth > ConfigurationSpace.plainSearchBytes, TextClass.roundedLength(depth) > slice?.maxBytes ?? 0 {
            // Every plain string up to the counter's bound (which fell between two slices): as
            // a class, whose walk takes the plain subtrees of up to that length whole.
            textClass = (.allPlainText(maxBytes: TextClass.roundedLength(depth)), 0)
            slice = nil
        } else if (slice?.maxBytes ?? 0) < ConfigurationSpace.plainSearchBytes,
           var found = space.textClass(config, limit: vocabulary.plainText.longestPlainToken, tokenCount: {
               vocabulary.textSummary.estimatedTokenCount(of: $0)
           }) {
            // Within the counter-free bytes only (a character takes up to four).
            if let counted, counted.freeBytes < found.textClass.maxBytes * (found.textClass.countsCharacters ? 4 : 1) {
                found.textClass = found.textClass.opened
                found.textClass.maxBytes = TextClass.roundedLength(counted.freeBytes)
            }
            // A local configuration's frames may return and the stacks below read on: what
            // it refuses, the configurations using it may read (unless no string of the
            // class returns: then no return node lies in the subtrees the walk passes over).
            if returns != nil && found.mayReturn { found.textClass = found.textClass.opened }
            if !found.textClass.closed, found.textClass == .allPlainText(maxBytes: found.textClass.maxBytes),
               let longer = vocabulary.plainText.slice(forDepth: found.textClass.maxBytes),
               longer.maxBytes > slice?.maxBytes ?? 0 {
                // Every plain string, found by a search of the whole kernel: a slice serves.
                slice = longer
            } else if found.textClass.maxBytes > 0 {
                textClass = (found.textClass, found.deepestStack)
                slice = nil
            }
        }
        // A closed class of every plain string (a string near its `maxLength`) decides every
        // plain token: its mask holds those within the bound and the longer ones are refused.
        // Then the walk reads only the other tokens (without the class), and of those, outside
        // a local walk, only the ones leaving plain text at `"` or `\` when the configuration
        // reads no other byte there (a local walk's return nodes index the trie it read).
        var plainDecided: TokenTrie?
        if counted == nil, let found = textClass?.textClass, found.closed, found.maxRuns == .max, found.holdsEveryPlainByte,
           let allPlain = vocabulary.plainText.slices.first {
            plainDecided = returns == nil && space.readsOnlyStringBytesAfterPlainText(config)
                ? allPlain.stringRest : allPlain.rest
        }
        let taking = plainDecided == nil ? textClass.map { ($0.textClass, vocabulary.textSummary) } : nil
        let trie = plainDecided ?? slice?.rest ?? vocabulary.trie
        // The whitespace subtrees are known for the whole trie.
        let wholeTrieRuns = slice == nil && plainDecided == nil ? vocabulary.whitespaceRuns : nil
        let whitespace = taking == nil ? wholeTrieRuns : nil
        var count: Int
        if let counted {
            // Inside a JSON string, as below: counts only drop stacks, so a byte the string
            // cannot read without them it cannot read with them.
            var walked = trie
            if taking == nil, let stringRest = slice?.stringRest, space.readsOnlyStringBytesAfterPlainText(config) { walked = stringRest }
            count = space.fillAllowed(config, count: counted.count, trie: walked, into: words, taking: taking)
        } else if let returns {
            returns.pointee.trie = trie
            returns.pointee.whitespace = wholeTrieRuns
            (count, returns.pointee.deepestStack, returns.pointee.returnWork) = space.fillAllowedLocally(
                config, trie: trie, into: words, returns: &returns.pointee.returnNodes, maxReturnWork: maxReturnWork,
                taking: taking, whitespace: whitespace)
            if let textClass { returns.pointee.deepestStack = max(returns.pointee.deepestStack, textClass.deepestStack) }
        } else if let listing, let listed, slice == nil {
            var plainChildren = false
            if let taking {
                count = space.fillAllowed(config, trie: trie, taking: taking.0, summary: taking.1, into: words, listingInto: listing)
            } else if plainDecided == nil,
                      let found = space.fillAllowed(config, trie: trie, plainBelowFirstByte: { vocabulary.textSummary },
                                                    limit: vocabulary.plainText.longestPlainToken, into: words) {
                // A byte followed by free plain text (a key's fixed prefix): its subtree's
                // plain tokens set whole, not listed.
                count = found
                plainChildren = true
            } else {
                count = space.fillAllowed(config, trie: trie, into: words, listingInto: listing, whitespace: whitespace)
            }
            // The class's tokens, added below, are not in the list.
            listed.pointee = textClass == nil && !plainChildren && count <= listing.count
        } else if taking == nil, let stringRest = slice?.stringRest, space.readsOnlyStringBytesAfterPlainText(config) {
            // Inside a JSON string: the tokens that leave plain text at a byte the string
            // cannot read are dead, and only the others are walked.
            count = space.fillAllowed(config, trie: stringRest, into: words)
        } else {
            count = space.fillAllowed(config, trie: trie, into: words, whitespace: whitespace)
        }
        if let returns, returns.pointee.returnWork > maxReturnWork { return count }   // given up
        if let textClass {
            // The walk left out the class's tokens: all allowed.
            let mask = vocabulary.textClassMasks.mask(of: textClass.textClass, in: vocabulary)
            count += mask.count
            mask.words.withUnsafeBufferPointer { mask in
                for i in 0..<vocabulary.maskWordCount { words[i] |= mask[i] }
            }
        }
        if let slice {
            // The slice's tokens are all allowed; the walk only read the others.
            if let returns {
                let deepest = space.plainTextDeepestStack(config, limit: vocabulary.plainText.longestPlainToken)
                returns.pointee.deepestStack = max(returns.pointee.deepestStack, deepest)
            }
            count += slice.count
            slice.mask.withUnsafeBufferPointer { mask in
                for i in 0..<vocabulary.maskWordCount { words[i] |= mask[i] }
            }
        }
        return count
    }

    /// What the mask of a configuration built from its local configurations needs to know
    /// about each of them (see `ConfigurationSpace.KernelGroup`).
    private struct LocalMask {
        /// The trie the local walk read: return nodes are its node indices.
        var trie: TokenTrie
        /// The whitespace subtrees of `trie` when it is the vocabulary's whole trie.
        var whitespace: TokenTrie.WhitespaceRuns? = nil
        /// The trie nodes at which the local frames may return.
        var returnNodes: [Int32] = []
        /// The deepest stack the local walk met.
        var deepestStack = 0
        /// The number of tokens the local configuration reads.
        var allowed = 0
        /// The trie nodes below the return nodes, which the walks from them may visit (once past
        /// the limit of the walk, the walk gave up there).
        var returnWork = 0
        /// Whether the walk went through the whole trie (the mask is stored in `masks`).
        var complete = false
    }
    /// Per configuration: where `localMasks` holds what its walk as a local configuration found
    /// (-1: not walked as one). Four bytes per configuration: growing a table of optional
    /// `LocalMask`s (a trie and arrays each) by configuration cost 0.7 % of the replay of the
    /// first 300 traces.
    private var localMaskIndex: [Int32] = []
    /// What the walks of local configurations found (see `localMaskIndex`).
    private var localMasks: [LocalMask] = []
    /// Scratch mask words for local masks (cleared before each use).
    private lazy var localWords = MaskEngine.scratch(of: UInt32.self, count: vocabulary.maskWordCount)

    /// The local mask of local configuration `local` (computed and stored in `masks` on first
    /// use), or nil when its return nodes have more than `maxReturnWork` trie nodes below them
    /// (found by a walk that gives up there).
    private func localMask(_ local: Int32, maxReturnWork: Int = .max) -> LocalMask? {
        let index = Int(local) < localMaskIndex.count ? Int(localMaskIndex[Int(local)]) : -1
        if index >= 0 {
            let known = localMasks[index]
            // A walk that gave up found a lower bound of the work.
            if known.complete || known.returnWork > maxReturnWork { return known.returnWork <= maxReturnWork ? known : nil }
        }
        var info = LocalMask(trie: vocabulary.trie)
        localWords.withUnsafeMutableBufferPointer { words in
            words.update(repeating: 0)
            info.allowed = fillByWalk(local, into: words.baseAddress!, returns: &info, maxReturnWork: maxReturnWork)
            info.complete = info.returnWork <= maxReturnWork
            if info.complete {
                if counted {
                    countedLocalStore.store(local, words: UnsafeBufferPointer(words), allowedCount: info.allowed...info.allowed, budget: .max)
                } else {
                    masks.store(local, words: UnsafeBufferPointer(words), allowedCount: info.allowed...info.allowed, budget: .max)
                }
            }
        }
        if index >= 0 {
            localMasks[index] = info
        } else {
            if localMaskIndex.count <= Int(local) {
                localMaskIndex.append(contentsOf: repeatElement(-1, count: Int(local) + 1 - localMaskIndex.count))
            }
            localMaskIndex[Int(local)] = Int32(localMasks.count)
            localMasks.append(info)
        }
        return info.complete ? info : nil
    }

    /// The most trie nodes below the return nodes of a local configuration for its mask to be
    /// used: past it, the walks from the return nodes, made for every configuration that uses
    /// the local mask, would cost about as much as walking that configuration.
    private static let maxReturnWork = 2048

    /// Fills `words` (not EOS) from the local masks of `config`'s kernel groups and walks from
    /// their return nodes; returns bounds on the number of tokens allowed, or nil when the
    /// kernel has nothing to share (or the walks could meet the stack-depth limit, where
    /// local configurations, with shallower stacks, would read more than `config`).
    private func fillByGroups(_ config: Int32, into words: UnsafeMutableBufferPointer<UInt32>) -> ClosedRange<Int>? {
        guard let groups = space.kernelGroups(config, acceptsLocal: { localMask($0, maxReturnWork: Self.maxReturnWork) != nil })
        else { return nil }
        // Groups kept whole (no return target) need their whole mask, however it returns.
        let locals = groups.map { localMask($0.local, maxReturnWork: $0.returnTarget < 0 ? .max : Self.maxReturnWork)! }
        // A closure pushes at most one frame per rule before it reads a byte (no left recursion).
        let margin = space.ruleCount + 1
        for (group, local) in zip(groups, locals) where group.cutDepth + local.deepestStack + margin >= space.maxStackDepth {
            return nil
        }
        var most = 0, least = 0
        for (k, (group, local)) in zip(groups, locals).enumerated() {
            let mask = counted ? countedLocalStore.mask(group.local) : masks.mask(group.local)
            if k == 0 { mask.write(into: words, size: vocabulary.size) } else { mask.formUnion(into: words, size: vocabulary.size) }
            least = max(least, local.allowed)
            most += local.allowed
            if group.returnTarget >= 0 {
                for node in local.returnNodes {
                    most += space.fillAllowed(group.returnTarget, below: Int(node), trie: local.trie, into: words.baseAddress!,
                                              whitespace: local.whitespace)
                }
            }
        }
        return least...min(most, vocabulary.size)
    }

    /// Computes the mask of `state` in a grammar with counted regions into `words` (with the
    /// lock held) and caches it under mask id `id`. `counterFreeBytes`: up to that many bytes,
    /// plain text reads as if there were no counter, so the plain-text slices apply up to that
    /// length.
    private func computeCountedMask(_ state: CountedState, id: Int32, counterFreeBytes: Int,
                                    into words: UnsafeMutableBufferPointer<UInt32>) {
        words.update(repeating: 0)
        let count = fillByWalk(state.config, into: words.baseAddress!, counted: (state.count, counterFreeBytes))
        finished(state.config, id: id, words, allowed: count...count)
    }

    /// The fewest bytes completing a document from `state` (inside a counted string below its
    /// minimum: a lower bound, see `ConfigurationSpace.completionLength(_:count:)`).
    func completionLength(_ state: CountedState) -> Int {
        locked { space.completionLength(state.config, count: state.count) }
    }

    /// The first bytes (at most `limit`) of a shortest completion from `state`, following at
    /// each step the lowest byte that keeps it shortest.
    func shortestCompletionPrefix(from state: CountedState, limit: Int) -> [UInt8] {
        locked {
            var out: [UInt8] = []
            var c = (config: state.config, count: state.count)
            while out.count < limit {
                let remaining = space.completionLength(c.config, count: c.count)
                if remaining == 0 { break }
                var next: (byte: UInt8, state: (config: Int32, count: Int))?
                for b in 0..<256 {
                    let n = space.step(c.config, count: c.count, UInt8(b))
                    if n.config >= 0, space.completionLength(n.config, count: n.count) == remaining - 1 {
                        next = (UInt8(b), n)
                        break
                    }
                }
                guard let next else { break }
                out.append(next.byte)
                c = next.state
            }
            return out
        }
    }

    /// The bytes every continuation must start with, up to the first choice.
    func forcedBytes(from config: Int32, limit: Int) -> [UInt8] {
        locked {
            var out: [UInt8] = []
            var c = config
            while out.count < limit, !space.accepting[Int(c)] {
                var only: (UInt8, Int32)?
                for b in 0..<256 {
                    let next = space.step(c, UInt8(b))
                    if next >= 0 {
                        if only != nil { return out }
                        only = (UInt8(b), next)
                    }
                }
                guard let (byte, next) = only else { return out }
                out.append(byte)
                c = next
            }
            return out
        }
    }

    func statistics() -> CompiledGrammar.Statistics {
        locked {
            CompiledGrammar.Statistics(
                rules: space.ruleCount, nfaStates: space.nfaStateCount, configurations: space.count,
                stackNodes: space.stackNodeCount, kernelStacks: space.kernelStackCount, cachedMasks: masks.cachedCount + countedLocalStore.cachedCount,
                memoryBytes: space.memoryBytes + masks.byteCount + countedLocalStore.byteCount, stepsComputed: space.work.stepsComputed,
                trieNodesVisited: space.work.nodesVisited, masksComputed: space.work.walks,
                budgetExhausted: space.exhausted, stepCacheEvictions: space.stepCacheEvictions)
        }
    }
}

/// A matcher's automaton state: a configuration and the count of its counted region (0 when
/// not in one, or when the grammar has none).
struct CountedState: Hashable, Sendable {
    var config: Int32
    var count: Int
}
