import Foundation

/// For each name signature of `JSONKeyTracker` met so far (`nameSignature`), the vocabulary's
/// multi-quote tokens that complete a member name from there, with what they complete: read
/// once per vocabulary and shared by every grammar of it (what a token completes depends only
/// on its bytes and the signature), so a mask reads only the listed tokens it allows, with no
/// list per configuration. Tokens without a closing bracket are read once per level signature
/// (`JSONKeyTracker.levelSignature`), the others once per name signature.
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

    /// The tokens of a signature outside a name that complete a name, with what they complete
    /// (a class: a step reads the lists without copying them).
    final class OutsideName {
        /// The tokens, each with what it completes.
        let tokens: SparseTokens<Reading>

        init(_ tokens: SparseTokens<Reading>) { self.tokens = tokens }
    }

    /// The tokens of a signature inside a name that complete a name at all.
    final class InsideName {
        /// Those that, from a name with no escape pending, complete it with this unescaped text
        /// and no other name (`JSONKeyTracker.keyClosingText`).
        let closing: SparseTokens<[UInt8]>
        /// The others: read each time.
        let other: SparseTokens<Void>

        init(closing: SparseTokens<[UInt8]>, other: SparseTokens<Void>) {
            self.closing = closing
            self.other = other
        }
    }

    /// A signature's tokens, outside a name or inside one. For a signature of the innermost
    /// level alone (`JSONKeyTracker.levelSignature`), the tokens without closing brackets, by
    /// token id.
    private final class Entry {
        var outside: OutsideName?
        var inside: InsideName?
        var levelOutside: [(Int32, Reading)]?
        var levelInside: [(Int32, [UInt8]?)]?
    }

    private let lock = NSLock()
    private var entries: [UInt32: Entry] = [:]
    private var levelEntries: [UInt32: Entry] = [:]
    /// The entries last looked up, by a multiplicative hash of their signature: most steps
    /// find theirs here, without hashing the signature for `entries`.
    private var recent = [(signature: UInt32, entry: Entry?)](repeating: (0, nil), count: 64)
    /// The vocabulary's multi-quote tokens without a closing bracket (`}` or `]`) and with one,
    /// ascending.
    private var splitTokens: (flat: [Int32], closing: [Int32])?

    /// The multi-quote tokens that complete a name when read by `keys`, a tracker outside a
    /// name whose `nameSignature` is `signature`.
    func outsideName(_ keys: JSONKeyTracker, signature: UInt32, vocabulary: PreparedVocabulary) -> OutsideName {
        lock.lock()
        defer { lock.unlock() }
        let entry = entry(signature)
        if let known = entry.outside { return known }
        let (flat, closing) = split(vocabulary)
        let level = self.entry(JSONKeyTracker.levelSignature(signature), in: &levelEntries)
        if level.levelOutside == nil { level.levelOutside = Self.outsideReadings(flat, keys, vocabulary) }
        var tokens = SparseTokens<Reading>()
        for (id, reading) in Self.merged(level.levelOutside!, Self.outsideReadings(closing, keys, vocabulary)) {
            tokens.append(id, reading)
        }
        let listed = OutsideName(tokens)
        entry.outside = listed
        return listed
    }

    /// What `tokens` complete when read by `keys` (outside a name), for those that complete
    /// some name.
    private static func outsideReadings(_ tokens: [Int32], _ keys: JSONKeyTracker, _ vocabulary: PreparedVocabulary)
        -> [(Int32, Reading)] {
        var readings: [(Int32, Reading)] = []
        let vocab = vocabulary.vocabulary
        for id in tokens {
            let bytes = vocab.bytes(of: Int(id))
            // A token closing more levels than the signature describes: always read it.
            if JSONKeyTracker.closesTooManyLevels(bytes) {
                readings.append((id, .unknown))
            } else if let names = keys.completedNames(bytes) {
                readings.append((id, .names(names)))
            }
        }
        return readings
    }

    /// The multi-quote tokens that complete a name when read by `keys`, a tracker inside a name
    /// whose `nameSignature` is `signature`.
    func insideName(_ keys: JSONKeyTracker, signature: UInt32, vocabulary: PreparedVocabulary) -> InsideName {
        lock.lock()
        defer { lock.unlock() }
        let entry = entry(signature)
        if let known = entry.inside { return known }
        let (flat, closing) = split(vocabulary)
        let level = self.entry(JSONKeyTracker.levelSignature(signature), in: &levelEntries)
        if level.levelInside == nil { level.levelInside = Self.insideReadings(flat, keys, vocabulary) }
        var closingTokens = SparseTokens<[UInt8]>(), other = SparseTokens<Void>()
        for (id, text) in Self.merged(level.levelInside!, Self.insideReadings(closing, keys, vocabulary)) {
            if let text { closingTokens.append(id, text) } else { other.append(id, ()) }
        }
        let listed = InsideName(closing: closingTokens, other: other)
        entry.inside = listed
        return listed
    }

    /// For those of `tokens` that complete a name when read by `keys` (inside a name), the
    /// text with which they complete only that one, if they do (`InsideName`).
    private static func insideReadings(_ tokens: [Int32], _ keys: JSONKeyTracker, _ vocabulary: PreparedVocabulary)
        -> [(Int32, [UInt8]?)] {
        var readings: [(Int32, [UInt8]?)] = []
        let vocab = vocabulary.vocabulary
        for id in tokens {
            let bytes = vocab.bytes(of: Int(id))
            // A token closing more levels than the signature describes: always read it.
            let tooDeep = JSONKeyTracker.closesTooManyLevels(bytes)
            guard tooDeep || keys.completesKey(bytes, repeatedOnly: false) else { continue }
            var quotes = 0
            for byte in bytes where byte == UInt8(ascii: "\"") { quotes += 1 }
            // Two quotes: the first closes the name. More, yet only the current name completed
            // (`":""}`): from this signature the token reads as one with two.
            let readsAsTwo = quotes == 2 || (!tooDeep && keys.completesOnlyCurrentKey(bytes))
            readings.append((id, readsAsTwo ? JSONKeyTracker.keyClosingText(bytes) : nil))
        }
        return readings
    }

    /// `a` and `b` (each by token id, no token in both) as one list by token id.
    private static func merged<Value>(_ a: [(Int32, Value)], _ b: [(Int32, Value)]) -> [(Int32, Value)] {
        var result: [(Int32, Value)] = []
        result.reserveCapacity(a.count + b.count)
        var i = 0, j = 0
        while i < a.count || j < b.count {
            if j == b.count || (i < a.count && a[i].0 < b[j].0) {
                result.append(a[i])
                i += 1
            } else {
                result.append(b[j])
                j += 1
            }
        }
        return result
    }

    /// The vocabulary's multi-quote tokens without and with a closing bracket (under the lock).
    private func split(_ vocabulary: PreparedVocabulary) -> (flat: [Int32], closing: [Int32]) {
        if let known = splitTokens { return known }
        var flat: [Int32] = [], closing: [Int32] = []
        for id in vocabulary.multiQuoteTokens {
            if vocabulary.vocabulary.bytes(of: Int(id)).contains(where: { $0 == UInt8(ascii: "}") || $0 == UInt8(ascii: "]") }) {
                closing.append(id)
            } else {
                flat.append(id)
            }
        }
        splitTokens = (flat, closing)
        return (flat, closing)
    }

    /// The entry of name signature `signature` (under the lock).
    private func entry(_ signature: UInt32) -> Entry {
        let slot = Int((signature &* 0x9E37_79B1) >> 26)
        if recent[slot].signature == signature, let known = recent[slot].entry { return known }
        let found = entry(signature, in: &entries)
        recent[slot] = (signature, found)
        return found
    }

    /// The entry of `signature` in `table` (under the lock).
    private func entry(_ signature: UInt32, in table: inout [UInt32: Entry]) -> Entry {
        if let known = table[signature] { return known }
        let entry = Entry()
        table[signature] = entry
        return entry
    }
}
