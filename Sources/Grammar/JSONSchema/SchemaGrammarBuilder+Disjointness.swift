extension SchemaGrammarBuilder {
    /// Whether no value can satisfy both `a` and `b` — decided conservatively: true only when
    /// proved by types, allowed values, numeric ranges, or (for objects) a property both require
    /// whose schemas are disjoint in turn.
    mutating func areDisjoint(_ a: SchemaConstraints, _ b: SchemaConstraints, depth: Int) throws(GrammarError) -> Bool {
        let shared = a.types.intersection(b.types)
        if shared.isEmpty { return true }
        for (values, other) in [(a.allowedValues, b), (b.allowedValues, a)] {
            if let values, !values.contains(where: { other.types.contains(JSONTypeSet(of: $0)) && (other.allowedValues?.contains($0) ?? true) }) {
                return true
            }
        }
        if shared.isSubset(of: .number), rangesAreDisjoint(a.number, b.number) { return true }
        guard shared == .object, depth < 4 else { return false }
        for name in a.required where b.required.contains(name) {
            let left = try constraints(of: closure(of: a.propertySchemas(for: name)))
            let right = try constraints(of: closure(of: b.propertySchemas(for: name)))
            if try areDisjoint(left, right, depth: depth + 1) { return true }
        }
        return false
    }

    /// Whether the bounds of `a` and `b` leave no number in common.
    private func rangesAreDisjoint(_ a: NumberConstraints, _ b: NumberConstraints) -> Bool {
        func below(_ upper: NumericBound?, _ lower: NumericBound?) -> Bool {
            guard let upper, let lower else { return false }
            return upper.value < lower.value || (upper.value == lower.value && (upper.isExclusive || lower.isExclusive))
        }
        return below(a.upper, b.lower) || below(b.upper, a.lower)
    }
}
