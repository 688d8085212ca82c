import Grammar

/// An expression as the key of a table of built automata (`RegularAutomatonCache`,
/// `NFABuilder`'s per-build caches): hashed by a digest of its whole tree, computed once when
/// the key is made, and compared by that digest before the trees.
///
/// `Expression.hash(into:)` reads only the first 64 nodes, so that sets of expressions cost
/// little to fill. Expressions of one kind share such a prefix: bounded numbers, whose
/// languages are nests of digit choices under the same numeral shape, or key exclusions
/// behind the same string-character expression. In a table that has gathered many of them —
/// the process-wide cache, over the schemas of a process — every lookup then walked a chain
/// of keys with equal hashes, comparing each tree with the one asked about down to their
/// first difference: a cost that grew with what the cache held, not with the schema (a
/// schema with a bounded number paid ~170 k instructions a lookup after 30 other schemas).
/// With the whole tree in the hash, keys that differ almost never meet, and a lookup costs
/// one walk of its own tree plus, on a hit, one comparison.
struct ExpressionKey: Hashable {
    /// The expression.
    let expression: Expression
    /// The digest of the whole tree.
    let digest: UInt64

    /// The key of `expression` (walks the whole tree once).
    init(_ expression: Expression) {
        self.expression = expression
        var digest = ExpressionKey.Digest()
        digest.add(expression)
        self.digest = digest.value
    }

    static func == (a: ExpressionKey, b: ExpressionKey) -> Bool {
        a.digest == b.digest && a.expression == b.expression
    }

    func hash(into hasher: inout Hasher) {
        hasher.combine(digest)
    }

    /// A word folding the kinds, leaves, operand counts and bounds of every node, in preorder.
    private struct Digest {
        private(set) var value: UInt64 = 0x1319_8A2E_0370_7344

        mutating func add(_ word: UInt64) {
            value = (value ^ word) &* 0x9E37_79B9_7F4A_7C15
            value ^= value >> 29
        }

        mutating func add(_ word: Int) { add(UInt64(bitPattern: Int64(word))) }

        /// Adds the bytes and their count, eight bytes a word.
        mutating func add(bytes: UnsafeBufferPointer<UInt8>) {
            add(bytes.count)
            var word: UInt64 = 0
            for index in 0..<bytes.count {
                word = word << 8 | UInt64(bytes[index])
                if index & 7 == 7 { add(word); word = 0 }
            }
            if bytes.count & 7 != 0 { add(word) }
        }

        mutating func add(_ e: Expression) {
            switch e {
            case .empty: add(0)
            case .nothing: add(1)
            case .literal(let bytes):
                add(2)
                bytes.withUnsafeBufferPointer { add(bytes: $0) }
            case .byteClass(let ranges):
                add(3)
                add(ranges.count)
                for range in ranges { add(UInt64(range.lowerBound) << 8 | UInt64(range.upperBound)) }
            case .characterClass(let set):
                add(4)
                add(set.ranges.count)
                for range in set.ranges { add(UInt64(range.lowerBound) << 32 | UInt64(range.upperBound)) }
            case .ruleReference(let name):
                add(5)
                var name = name
                name.withUTF8 { add(bytes: $0) }
            case .sequence(let parts): add(operands: parts, kind: 6)
            case .choice(let parts): add(operands: parts, kind: 7)
            case .intersection(let parts): add(operands: parts, kind: 8)
            case .repetition(let inner, let min, let max):
                add(9)
                add(min)
                add(max ?? -1)
                add(inner)
            case .difference(let a, let b):
                add(10)
                add(a)
                add(b)
            case .automaton(let automaton):
                add(11)
                add(automaton.hashValue)
            case .lazyAutomaton(let automaton):
                add(12)
                add(automaton.hashValue)
            }
        }

        mutating func add(operands parts: [Expression], kind: Int) {
            add(kind)
            add(parts.count)
            for part in parts { add(part) }
        }
    }
}
