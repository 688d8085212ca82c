import Foundation

/// For each automaton configuration, the allowed tokens with one quote byte, which
/// `JSONKeyTracker` reads inside a name with an escape pending. Built from the configuration's
/// mask on first use and shared by every matcher of a grammar. With counted strings
/// (`LengthGuards`), entries are by mask id (`MaskEngine.fillMask`) rather than configuration,
/// since a mask also depends on the count.
final class QuoteTokenCache: @unchecked Sendable {
    /// One configuration's allowed single-quote tokens, listed when first needed.
    private final class Entry {
        /// Tokens with exactly one quote (they can only close a key already open).
        var single: [Int32]?
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
}
