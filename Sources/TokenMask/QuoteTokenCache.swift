import Foundation

/// For each automaton configuration, the allowed tokens that hold a quote byte: the only
/// tokens that can complete a JSON object key, so the only ones `JSONKeyTracker` must read.
/// Built from the configuration's mask on first use (each list when first needed) and shared
/// by every matcher of a grammar. With counted strings (`LengthGuards`), entries are by mask
/// id (`MaskEngine.fillMask`) rather than configuration, since a mask also depends on the count.
final class QuoteTokenCache: @unchecked Sendable {
    /// One configuration's allowed quote tokens, each list built when first needed.
    private final class Entry {
        /// Tokens with exactly one quote (they can only close a key already open).
        var single: [Int32]?
        /// Tokens with two quotes or more (they can open and close a key), as positions in
        /// `PreparedVocabulary.multiQuoteTokens`.
        var multiple: [Int32]?
        /// By lexical signature inside a name, the multi-quote tokens that complete a key at all
        /// from there (a state meets one or two signatures: a list beats hashing), each with its
        /// `closingText` when it has one.
        var completing: [(signature: UInt32, tokens: [KeyCompletingToken])] = []
        /// By lexical signature outside a name, the multi-quote tokens that complete a name
        /// from there, with what they complete.
        var completingNames: [(signature: UInt32, tokens: [(token: Int32, reading: NameReading)])] = []
    }

    private let lock = NSLock()
    private var entries: [Entry?] = []

    private func entry(_ config: Int32) -> Entry {
        let index = Int(config)
        if entries.count <= index { entries.append(contentsOf: repeatElement(nil, count: index + 1 - entries.count)) }
        if let known = entries[index] { return known }
        let entry = Entry()
        entries[index] = entry
        return entry
    }

    /// The allowed single-quote tokens of `config`, whose mask (before any key check) is `words`.
    func singleQuoteTokens(for config: Int32, mask words: UnsafeMutableBufferPointer<UInt32>, vocabulary: PreparedVocabulary) -> [Int32] {
        lock.lock()
        defer { lock.unlock() }
        let entry = entry(config)
        if let known = entry.single { return known }
        let found = vocabulary.singleQuoteTokens.filter { words[Int($0) >> 5] & (1 << UInt32($0 & 31)) != 0 }
        entry.single = found
        return found
    }

    /// A multi-quote token that completes a key from inside a name.
    struct KeyCompletingToken {
        var token: Int32
        /// For a token with two quote bytes, or with more that from this lexical signature
        /// complete only the current name (`JSONKeyTracker.completesOnlyCurrentKey`), the
        /// unescaped text before its first unescaped quote, read from no pending escape
        /// (`JSONKeyTracker.keyClosingText`): from a name with no escape pending it completes
        /// that name followed by this text, and no other.
        var closingText: [UInt8]?
    }

    /// The allowed multi-quote tokens of `config` that complete some key when read by a tracker
    /// in the lexical state of `keys`, inside a name (the others cannot repeat one).
    func keyCompletingTokens(for config: Int32, mask words: UnsafeMutableBufferPointer<UInt32>, keys: JSONKeyTracker,
                             vocabulary: PreparedVocabulary) -> [KeyCompletingToken] {
        lock.lock()
        defer { lock.unlock() }
        let entry = entry(config)
        let multiple = allowedMultiQuoteTokens(entry, mask: words, vocabulary: vocabulary)
        if multiple.isEmpty { return [] }
        let signature = keys.lexicalSignature
        if let known = entry.completing.first(where: { $0.signature == signature }) { return known.tokens }
        let table = signatureTable(for: signature, vocabulary: vocabulary)
        let vocab = vocabulary.vocabulary
        var completing: [KeyCompletingToken] = []
        for position in multiple {
            let id = vocabulary.multiQuoteTokens[Int(position)]
            let completes: Bool
            if let known = table.completes[Int(position)] {
                completes = known
            } else {
                let bytes = vocab.bytes(of: Int(id))
                // A token closing more levels than the signature describes: always read it.
                completes = JSONKeyTracker.closesTooManyLevels(bytes) || keys.completesKey(bytes, repeatedOnly: false)
                table.completes[Int(position)] = completes
            }
            if completes {
                var text = closingText(position, vocabulary: vocabulary)
                if text == nil {
                    // More than two quotes, yet only the current name completed (`":""}`):
                    // from this signature the token reads as one with two.
                    let bytes = vocab.bytes(of: Int(id))
                    if !JSONKeyTracker.closesTooManyLevels(bytes), keys.completesOnlyCurrentKey(bytes) {
                        text = JSONKeyTracker.keyClosingText(bytes)
                    }
                }
                completing.append(KeyCompletingToken(token: id, closingText: text))
            }
        }
        entry.completing.append((signature, completing))
        return completing
    }

    /// Calls `body` with each allowed multi-quote token of `config` (whose mask before any key
    /// check is `words`) that would repeat a member name for `keys`, a tracker outside a name.
    /// What each token completes from a lexical signature is read once per grammar
    /// (`JSONKeyTracker.completedNames`), and the tokens of a configuration completing a name
    /// from a signature are listed once; each mask then only looks their names up.
    func forEachRepeatingMultiQuoteToken(for config: Int32, mask words: UnsafeMutableBufferPointer<UInt32>, keys: JSONKeyTracker,
                                         vocabulary: PreparedVocabulary, _ body: (Int32) -> Void) {
        lock.lock()
        defer { lock.unlock() }
        let entry = entry(config)
        let signature = keys.lexicalSignature
        let completing: [(token: Int32, reading: NameReading)]
        if let known = entry.completingNames.first(where: { $0.signature == signature }) {
            completing = known.tokens
        } else {
            let multiple = allowedMultiQuoteTokens(entry, mask: words, vocabulary: vocabulary)
            let table = signatureTable(for: signature, vocabulary: vocabulary)
            let vocab = vocabulary.vocabulary
            var found: [(token: Int32, reading: NameReading)] = []
            for position in multiple {
                let id = vocabulary.multiQuoteTokens[Int(position)]
                let reading: NameReading
                if let known = table.readings[Int(position)] {
                    reading = known
                } else {
                    let bytes = vocab.bytes(of: Int(id))
                    // A token closing more levels than the signature describes: always read it.
                    reading = JSONKeyTracker.closesTooManyLevels(bytes) ? .unknown : keys.completedNames(bytes).map { .names($0) } ?? .none
                    table.readings[Int(position)] = reading
                }
                if case .none = reading { continue }
                found.append((id, reading))
            }
            entry.completingNames.append((signature, found))
            completing = found
        }
        let vocab = vocabulary.vocabulary
        for (id, reading) in completing {
            switch reading {
            case .none: continue
            case .names(let names): if keys.repeatsKey(names) { body(id) }
            case .unknown: if keys.completesRepeatedKey(vocab.bytes(of: Int(id))) { body(id) }
            }
        }
    }

    /// What a multi-quote token does to member names from a lexical signature outside a name.
    private enum NameReading {
        /// It completes none.
        case none
        /// It completes these.
        case names(JSONKeyTracker.CompletedNames)
        /// It closes levels the signature does not describe: read it each time.
        case unknown
    }

    /// The allowed multi-quote tokens of `entry`'s configuration, as positions in
    /// `PreparedVocabulary.multiQuoteTokens` (under the lock).
    private func allowedMultiQuoteTokens(_ entry: Entry, mask words: UnsafeMutableBufferPointer<UInt32>,
                                         vocabulary: PreparedVocabulary) -> [Int32] {
        if let known = entry.multiple { return known }
        var found: [Int32] = []
        for (position, id) in vocabulary.multiQuoteTokens.enumerated() where words[Int(id) >> 5] & (1 << UInt32(id & 31)) != 0 {
            found.append(Int32(position))
        }
        entry.multiple = found
        return found
    }

    /// What the multi-quote tokens do from one lexical signature, by position in
    /// `PreparedVocabulary.multiQuoteTokens`, each read when first needed.
    private final class SignatureTable {
        /// Inside a name: whether the token completes a name at all.
        var completes: [Bool?]
        /// Outside a name: the names it completes.
        var readings: [NameReading?]

        init(count: Int) {
            completes = Array(repeating: nil, count: count)
            readings = Array(repeating: nil, count: count)
        }
    }

    private var signatureTables: [UInt32: SignatureTable] = [:]

    /// By position in `PreparedVocabulary.multiQuoteTokens`: nil while unread, then the
    /// `KeyCompletingToken.closingText` of the token.
    private var closingTexts: [[UInt8]??] = []

    /// The closing text of the multi-quote token at `position` (under the lock).
    private func closingText(_ position: Int32, vocabulary: PreparedVocabulary) -> [UInt8]? {
        if closingTexts.isEmpty { closingTexts = Array(repeating: nil, count: vocabulary.multiQuoteTokens.count) }
        if let known = closingTexts[Int(position)] { return known }
        let bytes = vocabulary.vocabulary.bytes(of: Int(vocabulary.multiQuoteTokens[Int(position)]))
        var quotes = 0
        for byte in bytes where byte == UInt8(ascii: "\"") { quotes += 1 }
        let text = quotes == 2 ? JSONKeyTracker.keyClosingText(bytes) : nil
        closingTexts[Int(position)] = .some(text)
        return text
    }

    /// The table of `signature` (under the lock).
    private func signatureTable(for signature: UInt32, vocabulary: PreparedVocabulary) -> SignatureTable {
        if let known = signatureTables[signature] { return known }
        let table = SignatureTable(count: vocabulary.multiQuoteTokens.count)
        signatureTables[signature] = table
        return table
    }
}
