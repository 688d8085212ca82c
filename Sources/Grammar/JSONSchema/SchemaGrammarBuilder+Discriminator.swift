/// Excluding overlapping `oneOf` branches through a discriminating property.
///
/// "Branch i and none of the others it may overlap" conjoins the negations of those others,
/// and their disjuncts multiply out. When several of those others (the *members*) allow, of
/// objects, a property `p` only with their own finite set of values (`"type": {"const": …}`),
/// pairwise disjoint, an object whose `p` is present can satisfy at most the one member whose
/// set holds its value, so their exclusion splits into a sum instead of a product:
///
///     i ∧ object ∧ p present ∧ ¬(p has a value of any set)
///       ∨  ⋁ⱼ (i ∧ p has a value of set j ∧ ¬j)
///       ∨  i ∧ object ∧ p absent ∧ ⋀ₖ ¬k   (k: the members that do not require p)
///       ∨  i ∧ (a non-object type for which none of the members holds)
///
/// Others that are not members (their `p` unrestricted, or without a verdict on non-objects
/// of their types alone) are excluded in every part, as a product. When every member
/// requires `p`, the absent case needs no negation and joins the first one
/// (`i ∧ object ∧ ¬(p has a value of any set)`). The product over the members not requiring
/// `p` remains, restricted to objects without `p`, where each negation keeps only its
/// alternatives that may meet such an object of branch i (usually a few properties).
///
/// The last part needs each member's verdict on non-objects: none when it admits objects
/// only; else it must hold for exactly its non-object types (no disjunction, no keyword but
/// object ones), as a schema of `required` and `properties` alone does. The parts are
/// disjoint and their union is exactly i ∧ ¬j₁ ∧ … ∧ ¬jₙ.
extension SchemaGrammarBuilder {
    /// A property that tells some of the branches apart, with the values each of them allows.
    struct Discriminator {
        /// The property's name.
        var name: String
        /// The branches it tells apart (positions in the branches given), at least two.
        var members: [Int]
        /// The values each member allows for it, in the members' order; pairwise disjoint.
        var values: [[JSONValue]]
        /// Whether each member requires it, in the members' order.
        var required: [Bool]
        /// The non-object types for which some member holds.
        var nonObjectTypes: JSONTypeSet
    }

    /// The property telling apart the most of `branches` (whose merged constraints in context
    /// are `summaries`), if it tells apart at least two. The branches it leaves out are
    /// excluded as a product, beside the sum the others split into.
    mutating func discriminator(of branches: [String], summaries: [SchemaConstraints]) throws(GrammarError) -> Discriminator? {
        guard summaries.count >= 2 else { return nil }
        // A branch's verdict on non-objects must be its types alone (nil: it is not).
        var nonObjectTypes: [JSONTypeSet?] = []
        for (branch, summary) in zip(branches, summaries) {
            nonObjectTypes.append(summary.types.isSubset(of: .object) ? [] : try typesOnNonObjects(of: branch))
        }
        // Properties all require first (no negation for objects without them), then those
        // some branch declares.
        var names = summaries[0].required.filter { name in summaries.allSatisfy { $0.required.contains(name) } }
        for summary in summaries {
            for name in summary.required where !names.contains(name) { names.append(name) }
            for shape in summary.objectShapes {
                for property in shape.properties where !names.contains(property.name) { names.append(property.name) }
            }
        }
        var best: Discriminator?
        for name in names {
            var candidate = Discriminator(name: name, members: [], values: [], required: [], nonObjectTypes: [])
            var seen = Set<JSONValue>()
            for (index, summary) in summaries.enumerated() {
                guard let types = nonObjectTypes[index] else { continue }
                let atoms = propertySchemas(for: name, in: summary.objectShapes)
                guard !atoms.isEmpty else { continue }
                let property = try constraints(of: closure(of: atoms, types: .all))
                guard let allowed = property.allowedValues else { continue }
                let possible = allowed.filter { property.types.contains(JSONTypeSet(of: $0)) && !property.excludedValues.contains($0) }
                guard possible.allSatisfy({ !seen.contains($0) }) else { continue }
                seen.formUnion(possible)
                candidate.members.append(index)
                candidate.values.append(possible)
                candidate.required.append(summary.required.contains(name))
                candidate.nonObjectTypes.formUnion(types)
            }
            if candidate.members.count >= 2, candidate.members.count > best?.members.count ?? 0 { best = candidate }
            if best?.members.count == summaries.count { break }
        }
        return best
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

    /// The alternatives of `branch` and none of `members` (the discriminator's members, in
    /// order) nor of the other branches it may overlap, split by `discriminator`.
    /// `absentExclusions` are the negations of the members that do not require the property,
    /// each restricted to the branch's objects without it; `remainingExclusions` those of the
    /// other branches, which every alternative conjoins.
    mutating func exclusiveAlternatives(of branch: String, excluding members: [String], by discriminator: Discriminator,
                                        absentExclusions: [String], remainingExclusions: [String]) -> [String] {
        let base = [branch] + remainingExclusions
        let unmatched = "!" + hasValue(discriminator.name, in: discriminator.values.flatMap { $0 })
        var alternatives: [String] = []
        if discriminator.required.allSatisfy({ $0 }) {
            alternatives.append(synthetic.intern(SchemaNode(conjuncts: base + [typed(.object), unmatched])))
        } else {
            alternatives.append(synthetic.intern(SchemaNode(conjuncts: base + [present(discriminator.name), unmatched])))
            alternatives.append(synthetic.intern(SchemaNode(conjuncts: base + [absent(discriminator.name)] + absentExclusions)))
        }
        for (member, values) in zip(members, discriminator.values) {
            alternatives.append(synthetic.intern(SchemaNode(conjuncts: base + [hasValue(discriminator.name, in: values), "!" + member])))
        }
        let freeTypes = JSONTypeSet.all.subtracting(.object).subtracting(discriminator.nonObjectTypes)
        if !freeTypes.isEmpty { alternatives.append(synthetic.intern(SchemaNode(conjuncts: base + [typed(freeTypes)]))) }
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
