import Foundation

/// For each name signature of `JSONKeyTracker` met so far (`nameSignature`), the vocabulary's multi-quote
/// tokens that complete a member name from there, with what they complete: read once per
/// vocabulary and shared by every grammar of it (what a token completes depends only on its
/// bytes and the signature), so a mask reads only the listed tokens it allows, with no list
/// per configuration.
///
/// The lists are sparse mask words (`SparseTokens`): a mask's allowed listed tokens are found
/// by AND'ing a few words. Most signatures list none, and most masks allow none of the others,
/// so the key post-pass usually ends there.
final class KeyCompletingTokens: @unchecked Sendable {
    /// Tokens as sparse mask words, each token with a value.
    struct SparseTokens<Value> {
        /// The mask words holding listed tokens, ascending.
        private var wordIndices: [Int32] = []
        /// For each of `wordIndices`, the listed tokens' bits.
        private var wordBits: [UInt32] = []
        /// For each of `wordIndices`, the index in `values` of its first token.
        private var firstValue: [Int32] = []
        /// The tokens' values, in token order.
        private var values: [Value] = []

        /// Whether no token is listed.
        var isEmpty: Bool { values.isEmpty }

        /// Lists `token` (ids ascending) with `value`.
        mutating func append(_ token: Int32, _ value: Value) {
            let word = token >> 5
            if wordIndices.last != word {
                wordIndices.append(word)
                wordBits.append(0)
                firstValue.append(Int32(values.count))
            }
            wordBits[wordBits.count - 1] |= 1 << UInt32(token & 31)
            values.append(value)
        }

        /// Calls `body` with each listed token that `words` allows, and its value.
        func forEachAllowed(in words: UnsafeMutableBufferPointer<UInt32>, _ body: (Int32, Value) -> Void) {
            for k in wordIndices.indices {
                let bits = wordBits[k]
                var allowed = words[Int(wordIndices[k])] & bits
                while allowed != 0 {
                    let bit = UInt32(allowed.trailingZeroBitCount)
                    allowed &= allowed - 1
                    let below = (bits & ((1 << bit) - 1)).nonzeroBitCount
                    body(wordIndices[k] << 5 | Int32(bit), values[Int(firstValue[k]) + below])
                }
            }
        }
    }

    /// What a multi-quote token completes from a signature outside a name.
    enum Reading {
        /// These names.
        case names(JSONKeyTracker.CompletedNames)
        /// It closes levels the signature does not describe: read it each time.
        case unknown
    }

    /// The tokens of a signature inside a name that complete a name at all.
    struct InsideName {
        /// Those that, from a name with no escape pending, complete it with this unescaped text
        /// and no other name (`JSONKeyTracker.keyClosingText`).
        var closing = SparseTokens<[UInt8]>()
        /// The others: read each time.
        var other = SparseTokens<Void>()
    }

    /// A signature's tokens, outside a name or inside one.
    private final class Entry {
        var outside: SparseTokens<Reading>?
        var inside: InsideName?
    }

    private let lock = NSLock()
    private var entries: [UInt32: Entry] = [:]

    /// The multi-quote tokens that complete a name when read by `keys`, a tracker outside a
    /// name whose `nameSignature` is `signature`.
    func outsideName(_ keys: JSONKeyTracker, signature: UInt32, vocabulary: PreparedVocabulary) -> SparseTokens<Reading> {
        lock.lock()
        defer { lock.unlock() }
        let entry = entry(signature)
        if let known = entry.outside { return known }
        var tokens = SparseTokens<Reading>()
        let vocab = vocabulary.vocabulary
        for id in vocabulary.multiQuoteTokens {
            let bytes = vocab.bytes(of: Int(id))
            // A token closing more levels than the signature describes: always read it.
            if JSONKeyTracker.closesTooManyLevels(bytes) {
                tokens.append(id, .unknown)
            } else if let names = keys.completedNames(bytes) {
                tokens.append(id, .names(names))
            }
        }
        entry.outside = tokens
        return tokens
    }

    /// The multi-quote tokens that complete a name when read by `keys`, a tracker inside a name
    /// whose lexical signature is `signature`.
    func insideName(_ keys: JSONKeyTracker, signature: UInt32, vocabulary: PreparedVocabulary) -> InsideName {
        lock.lock()
        defer { lock.unlock() }
        let entry = entry(signature)
        if let known = entry.inside { return known }
        var tokens = InsideName()
        let vocab = vocabulary.vocabulary
        for id in vocabulary.multiQuoteTokens {
            let bytes = vocab.bytes(of: Int(id))
            // A token closing more levels than the signature describes: always read it.
            let tooDeep = JSONKeyTracker.closesTooManyLevels(bytes)
            guard tooDeep || keys.completesKey(bytes, repeatedOnly: false) else { continue }
            var quotes = 0
            for byte in bytes where byte == UInt8(ascii: "\"") { quotes += 1 }
            // Two quotes: the first closes the name. More, yet only the current name completed
            // (`":""}`): from this signature the token reads as one with two.
            let text = quotes == 2 || (!tooDeep && keys.completesOnlyCurrentKey(bytes)) ? JSONKeyTracker.keyClosingText(bytes) : nil
            if let text { tokens.closing.append(id, text) } else { tokens.other.append(id, ()) }
        }
        entry.inside = tokens
        return tokens
    }

    /// The entry of `signature` (under the lock).
    private func entry(_ signature: UInt32) -> Entry {
        if let known = entries[signature] { return known }
        let entry = Entry()
        entries[signature] = entry
        return entry
    }
}
