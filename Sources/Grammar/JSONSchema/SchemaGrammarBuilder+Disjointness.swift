extension SchemaGrammarBuilder {
    /// Whether no value can satisfy both `a` and `b` — decided conservatively: true only when
    /// proved by types, allowed values, numeric ranges, or (for objects) a property both require
    /// whose schemas are disjoint in turn.
    mutating func areDisjoint(_ a: SchemaConstraints, _ b: SchemaConstraints, depth: Int) throws(GrammarError) -> Bool {
        let shared = a.types.intersection(b.types)
        if shared.isEmpty { return true }
        for (values, other) in [(a.allowedValues, b), (b.allowedValues, a)] {
            if let values, !values.contains(where: { other.types.contains(JSONTypeSet(of: $0)) && (other.allowedValues?.contains($0) ?? true)
                                                        && !other.excludedValues.contains($0) }) {
                return true
            }
        }
        if shared.isSubset(of: .number), rangesAreDisjoint(a.number, b.number) { return true }
        guard shared == .object, depth < 4 else { return false }
        for name in a.required where b.required.contains(name) {
            let left = try constraints(of: closure(of: propertySchemas(for: name, in: a.objectShapes), types: .all))
            let right = try constraints(of: closure(of: propertySchemas(for: name, in: b.objectShapes), types: .all))
            if try areDisjoint(left, right, depth: depth + 1) { return true }
        }
        // A name one requires and the other forbids.
        for (x, y) in [(a, b), (b, a)] {
            for name in x.required {
                for atom in propertySchemas(for: name, in: y.objectShapes) where try isFalse(atom) { return true }
            }
        }
        return false
    }

    /// Whether the merged assertions obviously admit nothing — no type left, no allowed
    /// value, or (for objects only) a required property whose schemas admit nothing — so a
    /// disjunction's branch can be dropped before it becomes a rule. Conservative: false when
    /// unsure.
    mutating func isContradictory(_ merged: SchemaConstraints) throws(GrammarError) -> Bool {
        if merged.types.isEmpty { return true }
        if let values = merged.allowedValues,
           !values.contains(where: { merged.types.contains(JSONTypeSet(of: $0)) && !merged.excludedValues.contains($0) }) {
            return true
        }
        if merged.types.isSubset(of: .array), let maxItems = merged.maxItems, maxItems < merged.minItems { return true }
        guard merged.types.isSubset(of: .object), depth < 8 else { return false }
        if let maxProperties = merged.maxProperties, maxProperties < merged.required.count { return true }
        depth += 1
        defer { depth -= 1 }
        for name in merged.required {
            let atoms = propertySchemas(for: name, in: merged.objectShapes)
            if atoms.isEmpty { continue }
            for atom in atoms where try isFalse(atom) { return true }
            let property = try constraints(of: closure(of: atoms, types: .all))
            if property.types.isEmpty { return true }
            if let values = property.allowedValues,
               !values.contains(where: { property.types.contains(JSONTypeSet(of: $0)) && !property.excludedValues.contains($0) }) {
                return true
            }
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
