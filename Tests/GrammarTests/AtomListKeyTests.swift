import Testing
@testable import Grammar

/// `AtomListKey` keys the builder's memo tables by lists of atoms: two keys must find the
/// same entry exactly when their lists are equal, whatever the atoms' lengths and scalars.
@Suite struct AtomListKeyTests {
    /// Atoms of 0–130 bytes (deep pointers, dynamic-scope marks, non-ASCII names), and lists
    /// that differ only in where one atom ends and the next begins, or by an empty atom.
    private static func lists(_ random: inout SplitMix64) -> [[String]] {
        let pieces = ["", "/", "a", "é", "🙂", "\u{1}3", "properties", "~1", "#/$defs/io.k8s.api.core.v1.PodSpec"]
        func atom() -> String { (0..<Int(random.next() % 12)).map { _ in pieces[Int(random.next() % UInt64(pieces.count))] }.joined() }
        var result: [[String]] = [[], [""], ["", ""], ["ab"], ["a", "b"], ["a", "b", ""], ["", "a", "b"]]
        for _ in 0..<300 { result.append((0..<Int(random.next() % 4)).map { _ in atom() }) }
        return result
    }

    @Test func keysFindTheirOwnEntriesOnly() {
        var random = SplitMix64(seed: 7)
        let lists = Self.lists(&random)
        var byKey: [AtomListKey: Int] = [:]
        var byList: [[String]: Int] = [:]
        for (position, list) in lists.enumerated() {
            if byKey[AtomListKey(list)] == nil { byKey[AtomListKey(list)] = position }
            if byList[list] == nil { byList[list] = position }
        }
        #expect(byKey.count == byList.count)
        for list in lists {
            #expect(byKey[AtomListKey(list)] == byList[list])
            // A copy made from other storage (the atoms rebuilt scalar by scalar) finds the same entry.
            let rebuilt = list.map { String(String.UnicodeScalarView($0.unicodeScalars)) }
            #expect(byKey[AtomListKey(rebuilt)] == byList[list])
            #expect(AtomListKey(rebuilt).hashValue == AtomListKey(list).hashValue)
        }
    }
}
