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
        let multiple: [Int32]
        if let known = entry.multiple {
            multiple = known
        } else {
            multiple = vocabulary.multiQuoteTokens.filter { words[Int($0) >> 5] & (1 << UInt32($0 & 31)) != 0 }
            entry.multiple = multiple
        }
        if multiple.isEmpty { return [] }
        let signature = keys.lexicalSignature
        if let known = entry.completing.first(where: { $0.signature == signature }) { return known.tokens }
        let vocab = vocabulary.vocabulary
        let completing = multiple.filter { id in
            let bytes = vocab.bytes(of: Int(id))
            // A token closing more levels than the signature describes: always read it.
            let closings = bytes.lazy.filter { $0 == UInt8(ascii: "}") || $0 == UInt8(ascii: "]") }.count
            return closings >= JSONKeyTracker.signatureLevels || keys.completesKey(bytes, repeatedOnly: false)
        }
        entry.completing.append((signature, completing))
        return completing
    }
}
