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
    /// With `Grammar.distinctObjectKeys`: the quote tokens each configuration allows.
    let quoteTokens: QuoteTokenCache?

    /// Compiles `grammar` for `vocabulary`.
    public init(_ grammar: Grammar, vocabulary: PreparedVocabulary, limits: CompileLimits = .init()) throws(GrammarError) {
        let space = try ConfigurationSpace.compile(grammar, limits: limits)
        engine = MaskEngine(space: space, vocabulary: vocabulary)
        quoteTokens = grammar.distinctObjectKeys ? QuoteTokenCache() : nil
    }

    /// The vocabulary the grammar was compiled for.
    public var vocabulary: PreparedVocabulary { engine.vocabulary }

    /// A matcher at the start of the output.
    public func makeMatcher() -> Matcher { Matcher(engine: engine, quoteTokens: quoteTokens) }

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
        /// Masks cached so far.
        public var cachedMasks: Int
        /// Approximate bytes held by automaton tables and cached masks.
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
    }
}

/// The shared, lock-protected state behind a `CompiledGrammar`.
final class MaskEngine: @unchecked Sendable {
    let vocabulary: PreparedVocabulary
    private let lock = NSLock()
    private let space: ConfigurationSpace
    /// Masks by configuration, or with counted regions by the id of their `CountedMaskKey`.
    private var masks: [StoredMask?] = []
    /// With counted regions: the ids of mask keys (configuration and count zone).
    private var countedMaskIDs: [CountedMaskKey: Int32] = [:]
    private var maskBytes = 0
    let initial: Int32
    /// Whether the grammar has counted regions (see `LengthGuards`).
    let counted: Bool

    init(space: ConfigurationSpace, vocabulary: PreparedVocabulary) {
        self.space = space
        self.vocabulary = vocabulary
        self.initial = space.initial
        self.counted = space.hasCounters
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
        let size = vocabulary.size
        // The cached mask to copy out, or nil when it was just computed into `words`.
        let (id, stored): (Int32, StoredMask?) = locked {
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
            if Int(id) < masks.count, let cached = masks[Int(id)] { return (id, cached) }
            let stored = computeMask(state, counterFreeBytes: counterFreeBytes, into: words)
            if masks.count <= Int(id) { masks.append(contentsOf: repeatElement(nil, count: Int(id) + 1 - masks.count)) }
            masks[Int(id)] = stored
            maskBytes += stored.byteCount
            return (id, nil)
        }
        stored?.write(into: words, size: size)
        return id
    }

    /// Computes the mask of `state` into `words` (with the lock held). `counterFreeBytes`: up to
    /// that many bytes, plain text reads as if there were no counter, so the plain-text slices
    /// apply up to that length.
    private func computeMask(_ state: CountedState, counterFreeBytes: Int, into words: UnsafeMutableBufferPointer<UInt32>) -> StoredMask {
        let config = state.config
        words.update(repeating: 0)
        var count: Int
        /// Walks `trie` from `state`, with the counter when the grammar has one.
        func walk(_ trie: TokenTrie) -> Int {
            counted ? space.fillAllowed(config, count: state.count, trie: trie, into: words.baseAddress!)
                : space.fillAllowed(config, trie: trie, into: words.baseAddress!)
        }
        let depth = min(space.plainTextDepth(config, limit: vocabulary.plainText.longestPlainToken), counterFreeBytes)
        if let slice = vocabulary.plainText.slice(forDepth: depth) {
            // The slice's tokens are all allowed; walk only the others.
            count = walk(slice.rest) + slice.count
            slice.mask.withUnsafeBufferPointer { mask in
                for i in 0..<words.count { words[i] |= mask[i] }
            }
        } else {
            count = walk(vocabulary.trie)
        }
        if space.accepting[Int(config)] {
            for eos in vocabulary.vocabulary.eosTokens where eos < vocabulary.size {
                if words[eos >> 5] & (1 << UInt32(eos & 31)) == 0 { count += 1 }
                words[eos >> 5] |= 1 << UInt32(eos & 31)
            }
        }
        return StoredMask(words: UnsafeBufferPointer(words), size: vocabulary.size, allowedCount: count)
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
                stackNodes: space.stackNodeCount, cachedMasks: masks.lazy.filter { $0 != nil }.count,
                memoryBytes: space.memoryBytes + maskBytes, stepsComputed: space.work.stepsComputed,
                trieNodesVisited: space.work.nodesVisited, masksComputed: space.work.walks,
                budgetExhausted: space.exhausted)
        }
    }
}

/// A matcher's automaton state: a configuration and the count of its counted region (0 when
/// not in one, or when the grammar has none).
struct CountedState: Hashable, Sendable {
    var config: Int32
    var count: Int
}
