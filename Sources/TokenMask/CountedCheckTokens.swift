import Foundation
import Automata

/// The tokens a mask of a configuration outside every counted region reads again with the
/// counter (`CounterEntryFacts.mayReadDifferently`), per set of facts: built on first use from
/// the vocabulary's quote tokens and shared by every grammar of the vocabulary (the facts of
/// JSON strings recur: an entry quote, a `min` of 1, a `max` beyond the longest token). Scanning
/// the 1,345 quote tokens of Llama 3 for each grammar cost 0.18 M instructions of its first mask.
final class CountedCheckTokens: @unchecked Sendable {
    private let lock = NSLock()
    private var tokens: [CounterEntryFacts: [Int32]] = [:]

    /// The tokens of `vocabulary` (holding a quote byte, the only entry byte of `facts`) that may
    /// read differently with the counter under `facts`, sorted.
    func tokens(for facts: CounterEntryFacts, in vocabulary: PreparedVocabulary) -> [Int32] {
        // A guard failing past the longest token fails in none (one key for every such `max`).
        var facts = facts
        if facts.failsFrom >= vocabulary.trie.maxDepth { facts.failsFrom = .max }
        lock.lock()
        defer { lock.unlock() }
        if let known = tokens[facts] { return known }
        let found = vocabulary.vocabulary.withTokenStorage { bytes, offsets in
            (vocabulary.singleQuoteTokens + vocabulary.multiQuoteTokens).filter {
                facts.mayReadDifferently(UnsafeBufferPointer(rebasing: bytes[Int(offsets[Int($0)])..<Int(offsets[Int($0) + 1])]))
            }.sorted()
        }
        tokens[facts] = found
        return found
    }
}
