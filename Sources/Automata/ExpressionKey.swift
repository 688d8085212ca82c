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
        digest = expression.digest()
    }

    static func == (a: ExpressionKey, b: ExpressionKey) -> Bool {
        a.digest == b.digest && a.expression == b.expression
    }

    func hash(into hasher: inout Hasher) {
        hasher.combine(digest)
    }
}
