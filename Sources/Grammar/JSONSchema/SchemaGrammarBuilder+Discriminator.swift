/// Excluding overlapping `oneOf` branches through a discriminating property.
///
/// "Branch i and none of the others it may overlap" conjoins the negations of those others,
/// and their disjuncts multiply out. When every one of those others is an object schema
/// requiring the same property with its own finite set of values (`"type": {"const": …}`),
/// pairwise disjoint, a value can satisfy at most the one other whose set holds its
/// property, so the exclusion splits into a sum instead of a product:
///
///     i ∧ ¬(p has a value of any set)  ∨  ⋁ⱼ (i ∧ p has a value of set j ∧ ¬j)
///
/// The parts are disjoint and their union is exactly i ∧ ¬j₁ ∧ … ∧ ¬jₙ.
extension SchemaGrammarBuilder {
    /// A property the branches all require, with the values each allows.
    struct Discriminator {
        /// The property's name.
        var name: String
        /// The values each branch allows for it, in the branches' order; pairwise disjoint.
        var values: [[JSONValue]]
    }

    /// A discriminator shared by the branches with `summaries`, if there is one.
    mutating func discriminator(of summaries: [SchemaConstraints]) throws(GrammarError) -> Discriminator? {
        guard summaries.count >= 2, summaries.allSatisfy({ $0.types.isSubset(of: .object) }) else { return nil }
        candidates: for name in summaries[0].required where summaries.allSatisfy({ $0.required.contains(name) }) {
            var values: [[JSONValue]] = []
            var seen = Set<JSONValue>()
            for summary in summaries {
                let atoms = propertySchemas(for: name, in: summary.objectShapes)
                guard !atoms.isEmpty else { continue candidates }
                let property = try constraints(of: closure(of: atoms, types: .all))
                guard let allowed = property.allowedValues else { continue candidates }
                let possible = allowed.filter { property.types.contains(JSONTypeSet(of: $0)) && !property.excludedValues.contains($0) }
                for value in possible where !seen.insert(value).inserted { continue candidates }
                values.append(possible)
            }
            return Discriminator(name: name, values: values)
        }
        return nil
    }

    /// The alternatives of `branch` and none of `others`, split by `discriminator` (whose
    /// value sets belong to `others`, in order).
    mutating func exclusiveAlternatives(of branch: String, excluding others: [String],
                                        by discriminator: Discriminator) -> [String] {
        var alternatives = [synthetic.intern(SchemaNode(conjuncts: [branch, "!" + hasValue(discriminator.name, in: discriminator.values.flatMap { $0 })]))]
        for (other, values) in zip(others, discriminator.values) {
            alternatives.append(synthetic.intern(SchemaNode(conjuncts: [branch, hasValue(discriminator.name, in: values), "!" + other])))
        }
        return alternatives
    }

    /// The atom of "an object whose property `name` is present, with one of `values`".
    private mutating func hasValue(_ name: String, in values: [JSONValue]) -> String {
        var value = SchemaConstraints()
        value.allowedValues = values
        var object = SchemaConstraints()
        object.types = .object
        object.required = [name]
        object.objectShapes = [ObjectShape(properties: [(name, synthetic.intern(SchemaNode(value)))], evaluates: false)]
        return synthetic.intern(SchemaNode(object))
    }
}
