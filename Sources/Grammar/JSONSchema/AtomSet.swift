/// A set of atoms by their numbers (`SchemaGrammarBuilder.atomNumber(_:)`), one bit each.
///
/// A closure that continues another one copies its set: a copy is one buffer of words, with
/// no string to retain, hash or release.
struct AtomSet {
    private var words: [UInt64] = []

    /// Whether the atom numbered `number` is in the set.
    func contains(_ number: Int32) -> Bool {
        let word = Int(number) >> 6
        return word < words.count && words[word] & (1 << UInt64(number & 63)) != 0
    }

    /// Adds the atom numbered `number`; whether it was not in the set.
    @discardableResult
    mutating func insert(_ number: Int32) -> Bool {
        let word = Int(number) >> 6
        if word >= words.count { words.append(contentsOf: repeatElement(0, count: word - words.count + 1)) }
        let bit: UInt64 = 1 << UInt64(number & 63)
        guard words[word] & bit == 0 else { return false }
        words[word] |= bit
        return true
    }
}
