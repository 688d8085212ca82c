extension SchemaGrammarBuilder {
    /// Whether no value can satisfy both `a` and `b` — decided conservatively: true only when
    /// proved by types, allowed values, numeric ranges, or (for objects) a property one of them
    /// requires whose schemas on both sides are disjoint in turn.
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
        if shared == .string {
            // A finite string language on one side (`^(A|B)$`) none of whose strings the other admits.
            for (x, y) in [(a, b), (b, a)] {
                for language in x.string.languages {
                    guard let strings = SchemaGrammarBuilder.finiteStrings(language, limit: 64) else { continue }
                    var shared = false
                    for string in strings where !x.excludedValues.contains(.string(string)) && !y.excludedValues.contains(.string(string)) {
                        if try stringAdmits(string, x.string), try stringAdmits(string, y.string) {
                            shared = true
                            break
                        }
                    }
                    if !shared { return true }
                }
            }
        }
        guard shared == .object, depth < 4 else { return false }
        // A property one side requires is present in every common value, so both sides'
        // schemas for it apply there (the other's `properties`, matching `patternProperties`
        // or `additionalProperties`, whether or not it requires the name too).
        var names = a.required
        for name in b.required where !names.contains(name) { names.append(name) }
        for name in names {
            let leftAtoms = propertySchemas(for: name, in: a.objectShapes)
            let rightAtoms = propertySchemas(for: name, in: b.objectShapes)
            guard !leftAtoms.isEmpty, !rightAtoms.isEmpty else { continue }
            let left = try constraints(of: closure(of: leftAtoms, types: .all))
            let right = try constraints(of: closure(of: rightAtoms, types: .all))
            if try areDisjoint(left, right, depth: depth + 1) { return true }
        }
        // A name one requires and the other forbids, or whose value one requires to fail a
        // schema the other asserts for it (a negation's "this property, invalid"), or an
        // equivalent one (`areEquivalentSchemas`).
        for (x, y) in [(a, b), (b, a)] {
            for name in x.required {
                let asserted = propertySchemas(for: name, in: y.objectShapes)
                for atom in asserted where try isFalse(atom) { return true }
                var assertedAtoms = Set<String>()
                for atom in asserted { assertedAtoms.formUnion(try wrappers(of: atom)) }
                for atom in propertySchemas(for: name, in: x.objectShapes) where atom.hasPrefix("!") {
                    let negated = try wrappers(of: String(atom.dropFirst()))
                    if negated.contains(where: assertedAtoms.contains) { return true }
                    // The same schema written out again (a property every branch repeats).
                    if negated.contains(where: { n in assertedAtoms.contains { areEquivalentSchemas(n, $0) } }) { return true }
                }
            }
        }
        return false
    }

    /// The strings of a rule-free scalar-level language when it is finite and small (literals,
    /// choices, sequences, small classes and repetitions); nil otherwise.
    static func finiteStrings(_ e: Expression, limit: Int) -> [String]? {
        switch e {
        case .empty: return [""]
        case .nothing: return []
        case .literal(let bytes): return String(validating: bytes, as: UTF8.self).map { [$0] }
        case .characterClass(let set):
            guard set.count <= limit else { return nil }
            return set.ranges.flatMap { range in range.compactMap { Unicode.Scalar($0).map { String($0) } } }
        case .byteClass(let ranges):
            let bytes = ranges.flatMap { $0 }.filter { $0 < 0x80 }
            guard bytes.count <= limit else { return nil }
            return bytes.map { String(UnicodeScalar($0)) }
        case .sequence(let parts):
            var result = [""]
            for part in parts {
                guard let strings = finiteStrings(part, limit: limit), result.count * strings.count <= limit else { return nil }
                result = result.flatMap { prefix in strings.map { prefix + $0 } }
            }
            return result
        case .choice(let parts):
            var result: [String] = []
            for part in parts {
                guard let strings = finiteStrings(part, limit: limit) else { return nil }
                result += strings
                if result.count > limit { return nil }
            }
            return result
        case .repetition(let inner, let min, let max):
            guard let max, max <= 8, let strings = finiteStrings(inner, limit: limit) else { return nil }
            var result: [String] = min == 0 ? [""] : []
            var current = [""]
            for count in 1...Swift.max(max, 1) where max > 0 {
                current = current.flatMap { prefix in strings.map { prefix + $0 } }
                if current.count > limit { return nil }
                if count >= min { result += current }
            }
            return result.count <= limit ? result : nil
        case .intersection(let parts):
            guard let first = parts.first, let strings = finiteStrings(first, limit: limit) else { return nil }
            return strings.filter { s in parts.dropFirst().allSatisfy { RegularMatcher($0).matches(s) } }
        case .difference(let a, let b):
            guard let strings = finiteStrings(a, limit: limit) else { return nil }
            return strings.filter { !RegularMatcher(b).matches($0) }
        case .ruleReference, .automaton, .lazyAutomaton: return nil
        }
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
            let property: SchemaConstraints
            let key = AtomListKey(atoms)
            if let known = memberConstraints[key] {
                property = known
            } else {
                property = try constraints(of: closure(of: atoms, types: .all))
                memberConstraints[key] = property
            }
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
