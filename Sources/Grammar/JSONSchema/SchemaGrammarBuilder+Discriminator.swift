/// Excluding overlapping `oneOf` branches through a discriminating property.
///
/// "Branch i and none of the others it may overlap" conjoins the negations of those others,
/// and their disjuncts multiply out. When every one of those others allows, of objects, a
/// property `p` only with its own finite set of values (`"type": {"const": …}`), pairwise
/// disjoint, an object whose `p` is present can satisfy at most the one other whose set holds
/// its value, so the exclusion splits into a sum instead of a product:
///
///     i ∧ object ∧ p present ∧ ¬(p has a value of any set)
///       ∨  ⋁ⱼ (i ∧ p has a value of set j ∧ ¬j)
///       ∨  i ∧ object ∧ p absent ∧ ⋀ₖ ¬k   (k: the others that do not require p)
///       ∨  i ∧ (a non-object type for which none of the others holds)
///
/// When every other requires `p`, the absent case needs no negation and joins the first one
/// (`i ∧ object ∧ ¬(p has a value of any set)`). The product over the others not requiring
/// `p` remains, restricted to objects without `p`, where each negation keeps only its
/// alternatives that may meet such an object of branch i (usually a few properties).
///
/// The last part needs each other's verdict on non-objects: none when it admits objects
/// only; else it must hold for exactly its non-object types (no disjunction, no keyword but
/// object ones), as a schema of `required` and `properties` alone does. The parts are
/// disjoint and their union is exactly i ∧ ¬j₁ ∧ … ∧ ¬jₙ.
extension SchemaGrammarBuilder {
    /// A property the branches all require, with the values each allows.
    struct Discriminator {
        /// The property's name.
        var name: String
        /// The values each branch allows for it, in the branches' order; pairwise disjoint.
        var values: [[JSONValue]]
        /// Whether each branch requires it, in the branches' order.
        var required: [Bool]
        /// The non-object types for which some branch holds.
        var nonObjectTypes: JSONTypeSet
    }

    /// A discriminator shared by `branches` (whose merged constraints in context are
    /// `summaries`), if there is one.
    mutating func discriminator(of branches: [String], summaries: [SchemaConstraints]) throws(GrammarError) -> Discriminator? {
        guard summaries.count >= 2 else { return nil }
        var nonObjectTypes: JSONTypeSet = []
        for (branch, summary) in zip(branches, summaries) where !summary.types.isSubset(of: .object) {
            guard let types = try typesOnNonObjects(of: branch) else { return nil }
            nonObjectTypes.formUnion(types)
        }
        // A property all require first (no negation for objects without it), then one each
        // branch only restricts when present.
        var names = summaries[0].required.filter { name in summaries.allSatisfy { $0.required.contains(name) } }
        for shape in summaries[0].objectShapes {
            for property in shape.properties where !names.contains(property.name) { names.append(property.name) }
        }
        candidates: for name in names {
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
            return Discriminator(name: name, values: values, required: summaries.map { $0.required.contains(name) },
                                 nonObjectTypes: nonObjectTypes)
        }
        return nil
    }

    /// The non-object types for which `branch` holds, when that is all it says of
    /// non-objects: no disjunction, and no keyword but `type` and object keywords.
    private mutating func typesOnNonObjects(of branch: String) throws(GrammarError) -> JSONTypeSet? {
        let closure = try closure(of: [branch], types: .all)
        guard closure.groups.isEmpty else { return nil }
        var others = try constraints(of: closure)
        let types = others.types
        others.types = .all
        others.required = []
        others.objectShapes = []
        others.minProperties = 0
        others.maxProperties = nil
        others.propertyNames = []
        others.existence = []
        others.unevaluatedProperties = []
        others.unevaluatedPropertyExistence = []
        guard others.isUnconstrained else { return nil }
        return types.subtracting(.object)
    }

    /// The alternatives of `branch` and none of `others`, split by `discriminator` (whose
    /// value sets belong to `others`, in order). `absentExclusions` are the negations of the
    /// others that do not require the property, each restricted to the branch's objects
    /// without it.
    mutating func exclusiveAlternatives(of branch: String, excluding others: [String], by discriminator: Discriminator,
                                        absentExclusions: [String]) -> [String] {
        let unmatched = "!" + hasValue(discriminator.name, in: discriminator.values.flatMap { $0 })
        var alternatives: [String] = []
        if discriminator.required.allSatisfy({ $0 }) {
            alternatives.append(synthetic.intern(SchemaNode(conjuncts: [branch, typed(.object), unmatched])))
        } else {
            alternatives.append(synthetic.intern(SchemaNode(conjuncts: [branch, present(discriminator.name), unmatched])))
            alternatives.append(synthetic.intern(SchemaNode(conjuncts: [branch, absent(discriminator.name)] + absentExclusions)))
        }
        for (other, values) in zip(others, discriminator.values) {
            alternatives.append(synthetic.intern(SchemaNode(conjuncts: [branch, hasValue(discriminator.name, in: values), "!" + other])))
        }
        let freeTypes = JSONTypeSet.all.subtracting(.object).subtracting(discriminator.nonObjectTypes)
        if !freeTypes.isEmpty { alternatives.append(synthetic.intern(SchemaNode(conjuncts: [branch, typed(freeTypes)]))) }
        return alternatives
    }

    /// What "an object without property `name`" asserts.
    static func absence(of name: String) -> SchemaConstraints {
        var object = SchemaConstraints()
        object.types = .object
        object.objectShapes = [ObjectShape(properties: [(name, SyntheticNodes.falseAtom)], evaluates: false)]
        return object
    }

    /// The atom of "an object without property `name`".
    private mutating func absent(_ name: String) -> String {
        synthetic.intern(SchemaNode(SchemaGrammarBuilder.absence(of: name)))
    }

    /// The atom of "an object with property `name`".
    private mutating func present(_ name: String) -> String {
        var object = SchemaConstraints()
        object.types = .object
        object.required = [name]
        return synthetic.intern(SchemaNode(object))
    }

    /// The atom of "a value of `types`".
    private mutating func typed(_ types: JSONTypeSet) -> String {
        var constraints = SchemaConstraints()
        constraints.types = types
        return synthetic.intern(SchemaNode(constraints))
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
