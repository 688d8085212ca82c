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
    /// With `Grammar.uniqueArrayRules`: where unique arrays open, shared by the matchers.
    let uniqueArrays: UniqueArrayIndex?

    /// Compiles `grammar` for `vocabulary`.
    public init(_ grammar: Grammar, vocabulary: PreparedVocabulary, limits: CompileLimits = .init()) throws(GrammarError) {
        let space = try ConfigurationSpace.compile(grammar, limits: limits)
        engine = MaskEngine(space: space, vocabulary: vocabulary)
        distinctKeys = grammar.distinctObjectKeys
        quoteTokens = grammar.distinctObjectKeys || !grammar.uniqueArrayRules.isEmpty ? QuoteTokenCache() : nil
        uniqueArrays = UniqueArrayIndex(engine: engine, rules: grammar.uniqueArrayRules)
    }

    /// The vocabulary the grammar was compiled for.
    public var vocabulary: PreparedVocabulary { engine.vocabulary }

    /// A matcher at the start of the output.
    public func makeMatcher() -> Matcher { Matcher(engine: engine, quoteTokens: quoteTokens, distinctKeys: distinctKeys, uniqueArrays: uniqueArrays) }

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
    private var masks: [StoredMask?] = []
    private var maskBytes = 0
    let initial: Int32

    init(space: ConfigurationSpace, vocabulary: PreparedVocabulary) {
        self.space = space
        self.vocabulary = vocabulary
        self.initial = space.initial
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

    /// The configuration after `bytes`, or `dead`.
    func run<C: Collection<UInt8>>(_ bytes: C, from config: Int32) -> Int32 {
        locked { space.run(bytes, from: config) }
    }

    /// Runs `body` on the automaton under the engine's lock (for the run-time checks of
    /// `UniqueArrayIndex`).
    func withSpace<R>(_ body: (ConfigurationSpace) -> R) -> R { locked { body(space) } }

    /// The configuration after token `id`, or `dead` (also for special and padding ids).
    func step(token id: Int, from config: Int32) -> Int32 {
        let vocab = vocabulary.vocabulary
        guard id >= 0, id < vocab.definedCount, !vocab.isSpecial(id) else { return ConfigurationSpace.dead }
        let bytes = vocab.bytes(of: id)
        if bytes.isEmpty { return ConfigurationSpace.dead }
        return run(bytes, from: config)
    }

    /// Fills `words` with the mask of `config` (EOS bits included when the output may end).
    func fillMask(_ config: Int32, into words: UnsafeMutableBufferPointer<UInt32>) {
        let size = vocabulary.size
        // The cached mask to copy out, or nil when it was just computed into `words`.
        let stored: StoredMask? = locked {
            if Int(config) < masks.count, let cached = masks[Int(config)] { return cached }
            words.update(repeating: 0)
            var count: Int
            let depth = space.plainTextDepth(config, limit: vocabulary.plainText.longestPlainToken)
            if let slice = vocabulary.plainText.slice(forDepth: depth) {
                // The slice's tokens are all allowed; walk only the others.
                count = space.fillAllowed(config, trie: slice.rest, into: words.baseAddress!) + slice.count
                slice.mask.withUnsafeBufferPointer { mask in
                    for i in 0..<words.count { words[i] |= mask[i] }
                }
            } else {
                count = space.fillAllowed(config, trie: vocabulary.trie, into: words.baseAddress!)
            }
            if space.accepting[Int(config)] {
                for eos in vocabulary.vocabulary.eosTokens where eos < size {
                    if words[eos >> 5] & (1 << UInt32(eos & 31)) == 0 { count += 1 }
                    words[eos >> 5] |= 1 << UInt32(eos & 31)
                }
            }
            let stored = StoredMask(words: UnsafeBufferPointer(words), size: size, allowedCount: count)
            if masks.count <= Int(config) { masks.append(contentsOf: repeatElement(nil, count: Int(config) + 1 - masks.count)) }
            masks[Int(config)] = stored
            maskBytes += stored.byteCount
            return nil
        }
        stored?.write(into: words, size: size)
    }

    /// The fewest bytes completing a document from `config`.
    func completionLength(_ config: Int32) -> Int {
        locked { space.completionLength(config) }
    }

    /// The first bytes (at most `limit`) of a shortest completion from `config`, following at
    /// each step the lowest byte that keeps it shortest.
    func shortestCompletionPrefix(from config: Int32, limit: Int) -> [UInt8] {
        locked {
            var out: [UInt8] = []
            var c = config
            while out.count < limit {
                let remaining = space.completionLength(c)
                if remaining == 0 { break }
                var next: (byte: UInt8, config: Int32)?
                for b in 0..<256 {
                    let n = space.step(c, UInt8(b))
                    if n >= 0, space.completionLength(n) == remaining - 1 {
                        next = (UInt8(b), n)
                        break
                    }
                }
                guard let next else { break }
                out.append(next.byte)
                c = next.config
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
