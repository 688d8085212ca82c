/// "Some property fails" as one member-existence condition.
///
/// Excluding an open object branch `j` from another, `i`, keeps the alternatives of ¬j that
/// may meet `i`: mostly "property k present, failing j's schema for it", one per property j
/// declares that i does not pin down. Conjoining such negations for nine others multiplies
/// their alternatives (11 × 5 × 4 × … for the meters of Github_hard/o21819). Taken together,
/// the alternatives of one negation say "some member, named one of these, fails its schema":
/// a single condition (`MemberExistence.valuesByName`), which the object automaton tracks
/// with a flag like any other, so the negations add up instead of multiplying. The same holds
/// for the negations of an `anyOf`'s branches, conjoined to say "none of them"
/// (`noneOf(_:)`).
extension SchemaGrammarBuilder {
    /// The name and schema of an alternative "an object whose property `name` is present and
    /// satisfies `schema`" (as negating `properties` makes), nil for any other.
    func presentMember(_ summary: SchemaConstraints) -> (name: String, schema: String)? {
        guard summary.types == .object, summary.required.count == 1, summary.objectShapes.count == 1 else { return nil }
        let shape = summary.objectShapes[0]
        guard shape.properties.count == 1, shape.patterns.isEmpty, shape.additional == nil,
              shape.properties[0].name == summary.required[0] else { return nil }
        var expected = SchemaConstraints()
        expected.types = .object
        expected.required = summary.required
        expected.objectShapes = summary.objectShapes
        guard expected == summary else { return nil }
        return (shape.properties[0].name, shape.properties[0].schema)
    }

    /// `parts` (alternatives of one negation, with their constraints) with those of the form
    /// "property k present, satisfying S" for distinct names replaced by one condition "some
    /// member named one of them satisfies its S", when there are at least two.
    mutating func mergingPresentMembers(_ parts: [(atom: String, summary: SchemaConstraints)]) -> [String] {
        var valuesByName: [String: String] = [:]
        var merged = Set<Int>()
        for (index, part) in parts.enumerated() {
            guard let member = presentMember(part.summary), valuesByName[member.name] == nil else { continue }
            valuesByName[member.name] = member.schema
            merged.insert(index)
        }
        guard merged.count >= 2 else { return parts.map(\.atom) }
        var keys = SchemaConstraints()
        keys.types = .string
        keys.allowedValues = valuesByName.keys.sorted().map { .string($0) }
        var object = SchemaConstraints()
        object.types = .object
        object.existence = [MemberExistence(keys: [synthetic.intern(SchemaNode(keys))], value: nil, valuesByName: valuesByName)]
        return [synthetic.intern(SchemaNode(object))] + parts.indices.filter { !merged.contains($0) }.map { parts[$0].atom }
    }

    /// The negations of `branches`, all to hold together ("none of them"). When their
    /// alternatives would multiply past the budget (an `anyOf` of five open object schemas,
    /// each failed by any of its 4–20 properties failing), each negation has its "property k
    /// present and failing" alternatives taken as one member condition, which is exact.
    /// Not sought while building another such conjunction a few levels up: a branch whose
    /// negation negates the group again would never end.
    mutating func noneOf(_ branches: [String]) throws(GrammarError) -> [String] {
        let negated = branches.map { "!" + $0 }
        guard branches.count >= 2, depth < 3 else { return negated }
        depth += 1
        defer { depth -= 1 }
        let limit = JSONSchemaLimits.maxExactOneOfCost
        var product = 1
        for branch in branches where product <= limit { product = min(product * (try negationSize(branch, depth: 0)), limit + 1) }
        guard product > limit else { return negated }
        var result: [String] = []
        for branch in branches {
            let alternatives = try negationAlternatives(of: branch)
            result.append(try negation(of: branch, alternatives, within: SchemaConstraints(), reaching: AtomSet(), mergingMembers: true).atom)
        }
        return result
    }
}
