import Automata

/// The vocabulary's single-quote tokens by the text that closes a JSON object key: read inside a
/// key with no escape pending, such a token closes it with that unescaped text
/// (`JSONKeyTracker.keyClosingText`). Built once per vocabulary; looked up by a slice of a name
/// without copying it.
///
/// The table holds every single-quote token, allowed or not: clearing the bit of a token the
/// mask does not allow changes nothing, so a matcher removes the closers of a repeated name
/// from any mask without a per-state table.
struct KeyClosers: Sendable {
    /// By the FNV-1a hash of the text: the texts with that hash and their tokens.
    private var buckets: [UInt64: [(text: [UInt8], tokens: [Int32])]] = [:]

    /// Indexes the tokens `ids` of `vocabulary` (tokens with one quote byte).
    init(_ vocabulary: Vocabulary, singleQuoteTokens ids: [Int32]) {
        for id in ids {
            if let text = JSONKeyTracker.keyClosingText(vocabulary.bytes(of: Int(id))) { add(id, closingWith: text) }
        }
    }

    private mutating func add(_ token: Int32, closingWith text: [UInt8]) {
        let h = KeyClosers.hash(text)
        if let i = buckets[h]?.firstIndex(where: { $0.text == text }) {
            buckets[h]![i].tokens.append(token)
        } else {
            buckets[h, default: []].append((text, [token]))
        }
    }

    /// The tokens that close a key with exactly `text`.
    func tokens(closingWith text: ArraySlice<UInt8>) -> [Int32] {
        guard let bucket = buckets[KeyClosers.hash(text)] else { return [] }
        return bucket.first { $0.text.elementsEqual(text) }?.tokens ?? []
    }

    private static func hash(_ bytes: some Sequence<UInt8>) -> UInt64 {
        var h: UInt64 = 0xCBF2_9CE4_8422_2325
        for b in bytes { h = (h ^ UInt64(b)) &* 0x0000_0100_0000_01B3 }
        return h
    }
}
