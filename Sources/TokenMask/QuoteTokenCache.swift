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
        /// Tokens with two quotes or more (they can open and close a key).
        var multiple: [Int32]?
        /// By lexical signature, the multi-quote tokens that complete a key at all from there
        /// (a state meets one or two signatures: a list beats hashing).
        var completing: [(signature: UInt32, tokens: [Int32])] = []
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

    /// The allowed multi-quote tokens of `config` that complete some key when read by a tracker
    /// in the lexical state of `keys` (the others cannot repeat one).
    func keyCompletingTokens(for config: Int32, mask words: UnsafeMutableBufferPointer<UInt32>, keys: JSONKeyTracker,
                             vocabulary: PreparedVocabulary) -> [Int32] {
        lock.lock()
        defer { lock.unlock() }
        let entry = entry(config)
        let multiple = allowedMultiQuoteTokens(entry, mask: words, vocabulary: vocabulary)
        if multiple.isEmpty { return [] }
        let signature = keys.lexicalSignature
        if let known = entry.completing.first(where: { $0.signature == signature }) { return known.tokens }
        let vocab = vocabulary.vocabulary
        let completing = multiple.filter { id in
            let bytes = vocab.bytes(of: Int(id))
            // A token closing more levels than the signature describes: always read it.
            return JSONKeyTracker.closesTooManyLevels(bytes) || keys.completesKey(bytes, repeatedOnly: false)
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
            let table = namesTable(for: signature)
            let vocab = vocabulary.vocabulary
            var found: [(token: Int32, reading: NameReading)] = []
            for id in multiple {
                let reading: NameReading
                if let known = table.readings[id] {
                    reading = known
                } else {
                    let bytes = vocab.bytes(of: Int(id))
                    // A token closing more levels than the signature describes: always read it.
                    reading = JSONKeyTracker.closesTooManyLevels(bytes) ? .unknown : keys.completedNames(bytes).map { .names($0) } ?? .none
                    table.readings[id] = reading
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

    /// The allowed multi-quote tokens of `entry`'s configuration (under the lock).
    private func allowedMultiQuoteTokens(_ entry: Entry, mask words: UnsafeMutableBufferPointer<UInt32>,
                                         vocabulary: PreparedVocabulary) -> [Int32] {
        if let known = entry.multiple { return known }
        let found = vocabulary.multiQuoteTokens.filter { words[Int($0) >> 5] & (1 << UInt32($0 & 31)) != 0 }
        entry.multiple = found
        return found
    }

    /// By lexical signature outside a name: the names each multi-quote token completes from
    /// there, read when first needed.
    private final class NamesTable {
        /// By token id, once read.
        var readings: [Int32: NameReading] = [:]
    }

    private var namesTables: [UInt32: NamesTable] = [:]

    /// The table of `signature` (under the lock).
    private func namesTable(for signature: UInt32) -> NamesTable {
        if let known = namesTables[signature] { return known }
        let table = NamesTable()
        namesTables[signature] = table
        return table
    }
}
