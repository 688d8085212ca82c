import Foundation
import Automata
import Grammar

/// What matchers of a grammar with `Grammar.uniqueArrayRules` share to keep array elements
/// distinct: the automaton states opening unique arrays, and per configuration the anchors of
/// the unique arrays a `[` read there opens (computed on first use).
final class UniqueArrayIndex: @unchecked Sendable {
    private let engine: MaskEngine
    private let openers: UniqueArrayOpeners
    /// The automaton indices of `Grammar.closedUniqueArrayRules`, sorted.
    private let closedRules: [Int32]
    private let lock = NSLock()
    private var anchorsByConfig: [Int32: [UniqueArrayAnchor]] = [:]
    /// By configuration, then lexical signature: the tokens that determine some element.
    private var determining: [Int32: [(signature: UInt64, tokens: [Int32])]] = [:]
    /// By configuration: the quote tokens its mask allows (nil: not computed yet).
    private var quoteCandidates: [QuoteCandidates?] = []
    /// By configuration: the first bytes of the tokens its mask allows (nil: not computed yet).
    private var allowedFirstBytes: [[UInt8]?] = []
    /// By configuration, then lexical signature inside a string element: the allowed quote
    /// tokens that determine some element after their first quote.
    private var determiningAfterQuote: [Int32: [(signature: UInt64, tokens: [Int32])]] = [:]

    /// The quote tokens (`PreparedVocabulary.singleQuoteTokens`, then `multiQuoteTokens`) the
    /// grammar's own mask allows in one configuration: the only tokens that can leave a string.
    struct QuoteCandidates: Sendable {
        /// Every allowed quote token.
        var all: [Int32]
        /// The allowed multi-quote tokens.
        var multiple: [Int32]
    }

    /// The index of `engine`'s grammar, or nil when it has no unique array rule left;
    /// `closedRules` (a subset of `rules`) are those whose elements are not open.
    init?(engine: MaskEngine, rules: Set<String>, closedRules: Set<String> = []) {
        guard !rules.isEmpty, let openers = engine.withSpace({ UniqueArrayOpeners($0, rules: rules) }) else { return nil }
        self.engine = engine
        self.openers = openers
        self.closedRules = engine.withSpace { space in closedRules.compactMap { space.ruleIndex(named: $0) }.sorted() }
    }

    /// Whether an array opened with `anchors` needs the dead-end check of closed elements
    /// (some anchor's rule is closed; the check then reads only the parses inside the array).
    func isClosed(_ anchors: [UniqueArrayAnchor]) -> Bool {
        !closedRules.isEmpty && anchors.contains { closedRules.contains($0.rule) }
    }

    /// Whether the element `text` of the array of `anchors`, begun in `config`, can still end
    /// with a value outside `keys` (see `UniqueElementCompletion`). The element is read again
    /// from `config` restricted to the parses inside the array, by a tracker of its own that
    /// keeps the unique arrays inside it distinct.
    func hasUnusedCompletion(of text: [UInt8], startingAt config: Int32, inside anchors: [UniqueArrayAnchor],
                             values: [JSONValue], keys: Set<[UInt8]>) -> Bool {
        // A text that cannot spell a used value has only unused completions (the walk's own
        // first test, made before the element is read again).
        guard values.contains(where: { JSONSpellingPrefix.mayExtend(text, to: $0) }) else { return true }
        let inside = engine.withSpace { $0.keepingParses(inside: anchors, from: config) }
        guard inside >= 0 else { return true }
        var element = UniqueItemsTracker()
        let current = element.consume(text, from: inside, index: self)
        guard current >= 0 else { return false }
        return UniqueElementCompletion.hasUnusedCompletion(from: current, element: element, index: self, values: values, keys: keys)
    }

    /// The anchors of the unique arrays that reading `[` in `config` opens (empty: a plain array).
    func anchors(openedFrom config: Int32) -> [UniqueArrayAnchor] {
        lock.lock()
        defer { lock.unlock() }
        if let known = anchorsByConfig[config] { return known }
        let anchors = engine.withSpace { $0.uniqueArrayAnchors(openedFrom: config, openers: openers) }
        anchorsByConfig[config] = anchors
        return anchors
    }

    /// `config` without the parses inside the arrays of `anchors` (see `ConfigurationSpace`).
    func removingParses(inside anchors: [UniqueArrayAnchor], from config: Int32) -> Int32 {
        engine.withSpace { $0.removingParses(inside: anchors, from: config) }
    }

    /// The configuration after `byte`, or `dead`.
    func step(_ config: Int32, _ byte: UInt8) -> Int32 {
        engine.withSpace { $0.step(config, byte) }
    }

    /// The bytes `config` can read (each with the configuration after it), in byte order.
    func liveSteps(from config: Int32) -> [(byte: UInt8, next: Int32)] {
        engine.withSpace { space in
            var steps: [(byte: UInt8, next: Int32)] = []
            for value in 0...255 {
                let next = space.step(config, UInt8(value))
                if next >= 0 { steps.append((UInt8(value), next)) }
            }
            return steps
        }
    }

    /// The quote tokens the grammar allows in `config` (computed once per configuration, from
    /// the grammar's own mask, so matchers with other names or elements share it).
    func quoteCandidates(for config: Int32, vocabulary: PreparedVocabulary) -> QuoteCandidates {
        memoized(\.quoteCandidates, config: config, vocabulary: vocabulary) { mask in
            func isAllowed(_ id: Int32) -> Bool { mask[Int(id) >> 5] & (1 << UInt32(id & 31)) != 0 }
            let multiple = vocabulary.multiQuoteTokens.filter(isAllowed)
            return QuoteCandidates(all: vocabulary.singleQuoteTokens.filter(isAllowed) + multiple, multiple: multiple)
        }
    }

    /// The bytes some token the grammar allows in `config` starts with, in byte order (computed
    /// once per configuration, from the grammar's own mask, by the token trie's first-byte
    /// nodes).
    func firstBytes(for config: Int32, vocabulary: PreparedVocabulary) -> [UInt8] {
        memoized(\.allowedFirstBytes, config: config, vocabulary: vocabulary) { mask in
            // A short mask: its tokens' first bytes (a scan under the first-byte nodes reads
            // every token of those that allow none).
            var allowed = 0
            for word in mask { allowed += word.nonzeroBitCount }
            if allowed <= UniqueArrayIndex.firstBytesByTokens {
                // The trie's tokens only: not special (EOS is in the mask where the output may end).
                let vocab = vocabulary.vocabulary
                var seen = [Bool](repeating: false, count: 256)
                mask.withUnsafeBufferPointer { words in
                    TokenBitmask.forEachSetBit(in: words) { id in
                        if id < vocab.definedCount, !vocab.isSpecial(id), let first = vocab.bytes(of: id).first { seen[Int(first)] = true }
                    }
                }
                return (0..<256).filter { seen[$0] }.map { UInt8($0) }
            }
            let trie = vocabulary.trie
            var bytes: [UInt8] = []
            var node = 1
            while node < Int(trie.subtreeEnd[0]) {
                let next = Int(trie.subtreeEnd[node])
                if trie.tokenIDs[Int(trie.tokenStart[node])..<Int(trie.tokenStart[next])].contains(where: { mask[Int($0) >> 5] & (1 << UInt32($0 & 31)) != 0 }) {
                    bytes.append(trie.byte[node])
                }
                node = next
            }
            return bytes
        }
    }

    /// The most allowed tokens for which `firstBytes` reads each token's first byte.
    static let firstBytesByTokens = 4096

    /// The grammar's own mask in `config` (grammars with unique arrays have no counted regions:
    /// see `CompiledGrammar.init`).
    private func grammarMask(_ config: Int32, vocabulary: PreparedVocabulary) -> [UInt32] {
        var mask = [UInt32](repeating: 0, count: vocabulary.maskWordCount)
        mask.withUnsafeMutableBufferPointer { _ = engine.fillMask(CountedState(config: config, count: 0), into: $0) }
        return mask
    }

    /// The value `table` holds for `config`, else `compute` applied to the grammar's own mask in
    /// `config` (outside the lock), kept on first use.
    private func memoized<Value>(_ table: ReferenceWritableKeyPath<UniqueArrayIndex, [Value?]>, config: Int32,
                                 vocabulary: PreparedVocabulary, compute: ([UInt32]) -> Value) -> Value {
        let index = Int(config)
        lock.lock()
        if index < self[keyPath: table].count, let known = self[keyPath: table][index] {
            lock.unlock()
            return known
        }
        lock.unlock()
        let value = compute(grammarMask(config, vocabulary: vocabulary))
        lock.lock()
        if self[keyPath: table].count <= index {
            self[keyPath: table].append(contentsOf: repeatElement(nil, count: index + 1 - self[keyPath: table].count))
        }
        self[keyPath: table][index] = value
        lock.unlock()
        return value
    }

    /// The quote tokens the grammar allows in `config` whose bytes after their first quote
    /// determine some element when `tracker` is inside a string (no escape pending): read from
    /// `tracker.afterClosingQuote`, so an answer of `lexicalSignature` alone (computed once per
    /// configuration and signature; tokens closing `signatureLevels` levels or more always
    /// listed).
    func tokensDeterminingAfterQuote(for config: Int32, tracker: UniqueItemsTracker, vocabulary: PreparedVocabulary) -> [Int32] {
        memoized(\.determiningAfterQuote, config: config, signature: tracker.lexicalSignature) {
            let closed = tracker.afterClosingQuote
            let vocab = vocabulary.vocabulary
            return quoteCandidates(for: config, vocabulary: vocabulary).all.filter { id in
                let bytes = vocab.bytes(of: Int(id))
                guard let quote = bytes.firstIndex(of: UInt8(ascii: "\"")) else { return false }
                let rest = bytes[(quote + 1)...]
                let closings = rest.lazy.filter { $0 == UInt8(ascii: "]") || $0 == UInt8(ascii: "}") }.count
                return closings >= UniqueItemsTracker.signatureLevels || closed.mayRepeat(rest, keyAtStart: nil, anyDetermination: true)
            }
        }
    }

    /// The token list `table` holds for `config` and `signature`, computed by `compute` (outside
    /// the lock) and kept on first use.
    private func memoized(_ table: ReferenceWritableKeyPath<UniqueArrayIndex, [Int32: [(signature: UInt64, tokens: [Int32])]]>,
                          config: Int32, signature: UInt64, compute: () -> [Int32]) -> [Int32] {
        lock.lock()
        if let known = self[keyPath: table][config]?.first(where: { $0.signature == signature }) {
            lock.unlock()
            return known.tokens
        }
        lock.unlock()
        let tokens = compute()
        lock.lock()
        self[keyPath: table][config, default: []].append((signature, tokens))
        lock.unlock()
        return tokens
    }

    /// The tokens the grammar allows in `config` that determine some element when read by a
    /// tracker in the lexical state of `tracker` (computed once per state and signature, from
    /// the grammar's own mask, so matchers with other names or elements share it).
    func determiningTokens(for config: Int32, tracker: UniqueItemsTracker, vocabulary: PreparedVocabulary) -> [Int32] {
        memoized(\.determining, config: config, signature: tracker.lexicalSignature) {
            let mask = grammarMask(config, vocabulary: vocabulary)
            let vocab = vocabulary.vocabulary
            var tokens: [Int32] = []
            let limit = min(vocab.definedCount, mask.count * 32)
            mask.withUnsafeBufferPointer { words in
                TokenBitmask.forEachSetBit(in: words) { id in
                    guard id < limit, !vocab.isSpecial(id) else { return }
                    let bytes = vocab.bytes(of: id)
                    // A token closing more levels than the signature describes: always read it.
                    let closings = bytes.lazy.filter { $0 == UInt8(ascii: "]") || $0 == UInt8(ascii: "}") }.count
                    if closings >= UniqueItemsTracker.signatureLevels || tracker.mayRepeat(bytes, keyAtStart: nil, anyDetermination: true) {
                        tokens.append(Int32(id))
                    }
                }
            }
            return tokens
        }
    }
}
