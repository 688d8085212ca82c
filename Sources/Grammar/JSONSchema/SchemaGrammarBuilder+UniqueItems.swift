/// `uniqueItems` enforced by matchers at run time: over open item languages, and over the
/// others with a dead-end check (`closedUniqueArrayRule`, `closedUniqueCheck`).
///
/// When the elements have too many possible values to write the distinct arrays out as a
/// grammar (`array(_:closure:ruleName:)` does that for at most
/// `JSONSchemaLimits.maxUniqueValues`), the array is compiled as a plain array in a rule of its
/// own, listed in `Grammar.uniqueArrayRules`, and matchers refuse every token that would
/// *determine* an element equal to an earlier one. An element's value is determined by the
/// first byte of a literal (`true`, `false`, `null`), the closing quote of a string, the first
/// byte after a number (or an exponent mark after a zero mantissa), and the closing bracket of
/// an object or array.
///
/// Refusing only those tokens is dead-end free when the elements are *open*: every prefix of an
/// element that does not determine its value yet (the empty one included) has infinitely many
/// completing values, so some completion is unused however many elements came before. This file
/// decides openness from the merged assertions, conservatively (a part it cannot prove open
/// is checked after every token instead, see `Grammar.closedUniqueArrayRules`):
///
/// - strings without `maxLength`, `pattern`, `format`, `enum`/`const` (`minLength` is fine: a
///   string can always grow);
/// - numbers of type `number` without bounds, `multipleOf` or excluded values (a numeral can
///   always take another significant digit; after a zero mantissa an exponent fixes the value
///   0, so matchers count that exponent mark as determining the element; `integer` is not
///   open: after `0` the value is 0);
/// - objects that always admit one more member under a fresh name (no `maxProperties`,
///   `propertyNames`, `patternProperties`, `unevaluatedProperties`, member-existence
///   conditions, and `additionalProperties` absent or surely satisfiable);
/// - arrays without `maxItems`, `contains` or `unevaluatedItems` whose further elements are
///   surely satisfiable (open ones when the inner array is itself `uniqueItems`);
/// - `null` and Booleans beside at least one open type (a literal is determined at its first
///   byte, so it has no undetermined prefix), or alone at a `prefixItems` position with more
///   values than elements before it;
/// - disjunctions (`anyOf`, `oneOf`, `if`…) all of whose branches are open or literal-only, at
///   least one of them open.
extension SchemaGrammarBuilder {
    /// How the values of a schema part behave under run-time `uniqueItems`.
    struct ItemOpenness {
        /// Whether the empty prefix has infinitely many completing values.
        var opensInfinitely: Bool
        /// Whether some undetermined nonempty prefix has only finitely many completing values.
        var closesSomewhere: Bool

        static let literal = ItemOpenness(opensInfinitely: false, closesSomewhere: false)
        static let open = ItemOpenness(opensInfinitely: true, closesSomewhere: false)
        static let closed = ItemOpenness(opensInfinitely: false, closesSomewhere: true)

        /// The openness of a union of parts.
        mutating func formUnion(_ other: ItemOpenness) {
            opensInfinitely = opensInfinitely || other.opensInfinitely
            closesSomewhere = closesSomewhere || other.closesSomewhere
        }

        /// Whether refusing only tokens that determine a repeated value is dead-end free.
        var isOpen: Bool { opensInfinitely && !closesSomewhere }
    }

    /// Whether the elements matching all of `atoms` are open (see the type's documentation).
    mutating func hasOpenItems(_ atoms: [String]) throws(GrammarError) -> Bool {
        try itemOpenness(atoms, types: .all).isOpen
    }

    /// Whether the elements of the arrays of `merged` are open at every position. A position
    /// of `prefixItems` may also hold only literals (null, Booleans), each determined by its
    /// first byte, when it has more of them than elements come before it: one is then unused.
    mutating func hasOpenItems(_ merged: SchemaConstraints) throws(GrammarError) -> Bool {
        for position in 0...merged.prefixLength {
            let atoms = merged.elementSchemas(at: position)
            let openness = try itemOpenness(atoms, types: .all)
            if openness.isOpen { continue }
            guard position < merged.prefixLength, !openness.closesSomewhere,
                  let literals = try finiteValues(of: atoms, limit: JSONSchemaLimits.maxUniqueValues),
                  literals.count > position else { return false }
        }
        return true
    }

    /// A rule of its own for the unique array `array` (a plain array of open elements), listed
    /// in `Grammar.uniqueArrayRules`.
    mutating func uniqueArrayRule(_ array: Expression, ruleName: String) -> Expression {
        let name = ruleName + ".unique"
        grammar.define(name, array)
        grammar.uniqueArrayRules.insert(name)
        return .ruleReference(name)
    }

    /// A rule of its own for the unique array `array` whose elements are not open, listed in
    /// `Grammar.uniqueArrayRules` and `Grammar.closedUniqueArrayRules`: matchers also refuse
    /// a token after which the element being read has no unused completion.
    mutating func closedUniqueArrayRule(_ array: Expression, ruleName: String) -> Expression {
        let reference = uniqueArrayRule(array, ruleName: ruleName)
        grammar.closedUniqueArrayRules.insert(ruleName + ".unique")
        return reference
    }

    /// How the run-time check of closed elements applies to a unique array.
    enum ClosedUniqueCheck {
        /// It keeps the array's elements distinct without dead ends.
        case applies
        /// The elements have fewer values than `minItems`: no array is valid.
        case unsatisfiable
        /// It does not apply (positions with their own schemas, or a `minItems` the elements
        /// are not known to reach).
        case unsupported
    }

    /// Whether the unique arrays of `merged` can be kept distinct by the run-time check of
    /// closed elements: one schema for every element (so each element has the same values
    /// whatever its position, and an unused one is left while fewer elements than values
    /// were written), and at least `minItems` values (so an array holding fewer can always
    /// take another: more than `minItems` elements are never needed). The count is known for
    /// enumerable values, and infinite for elements open from their first byte.
    mutating func closedUniqueCheck(_ merged: SchemaConstraints, minItems: Int) throws(GrammarError) -> ClosedUniqueCheck {
        guard merged.prefixLength == 0 else { return .unsupported }
        if minItems <= 1 { return .applies }
        let items = merged.elementSchemas(at: 0)
        if let values = try finiteValues(of: items, limit: JSONSchemaLimits.maxEnumeratedUniqueValues) {
            return values.count >= minItems ? .applies : .unsatisfiable
        }
        return try itemOpenness(items, types: .all).opensInfinitely ? .applies : .unsupported
    }

    /// Whether the unique arrays of `merged`, counted by the `contains` constraints `contains`
    /// (those the array automaton tracks), can be kept distinct at run time as the arrays
    /// without them are (`closedUniqueCheck`).
    ///
    /// So it is for one `contains` requiring at least one element (at most: none) from index 0
    /// on: while no element matched it, none of its values is used, so any of them is still
    /// available (and if it has none, the automaton has no accepting path to run into). Its
    /// matches are counted over every parse, so an element matching it counts whatever kind
    /// the automaton reads it as. With a larger minimum, distinct matches could run out.
    mutating func keepsContainsAtRunTime(_ merged: SchemaConstraints, contains: [ContainsConstraint],
                                         minItems: Int) throws(GrammarError) -> Bool {
        guard contains.count == 1, let only = contains.first, only.min <= 1, only.max == nil, only.start == 0 else { return false }
        return try closedUniqueCheck(merged, minItems: minItems) == .applies
    }

    /// The openness of the values of `atoms` with a type in `types`.
    private mutating func itemOpenness(_ atoms: [String], types: JSONTypeSet) throws(GrammarError) -> ItemOpenness {
        guard depth < SchemaGrammarBuilder.maxDepth else { return .closed }
        depth += 1
        defer { depth -= 1 }
        let closure = try closure(of: atoms, types: types)
        if let group = closure.pendingGroups.first {
            var result = ItemOpenness.literal
            if !closure.types.isSubset(of: group.types) {
                result.formUnion(try itemOpenness(closure.atoms, types: closure.types.subtracting(group.types)))
                guard !result.closesSomewhere else { return result }
            }
            for branch in try effectiveBranches(of: group, in: closure) {
                result.formUnion(try itemOpenness(closure.atoms + [branch], types: closure.types.intersection(group.types)))
                guard !result.closesSomewhere else { return result }
            }
            return result
        }
        let merged = try constraints(of: closure)
        if try isContradictory(merged) { return .literal }
        if merged.allowedValues != nil { return .closed }
        var result = ItemOpenness.literal
        let types = merged.types
        if !types.isDisjoint(with: .number) {
            let open = types.isSuperset(of: .number) && merged.number.isUnconstrained
                && !merged.excludedValues.contains { $0.numberValue != nil }
            result.formUnion(open ? .open : .closed)
        }
        if types.contains(.string) {
            let string = merged.string
            let open = string.maxLength == nil && string.languages.isEmpty && string.formats.isEmpty
            result.formUnion(open ? .open : .closed)
        }
        if types.contains(.array) { result.formUnion(try arrayIsOpen(merged) ? .open : .closed) }
        if types.contains(.object) { result.formUnion(try objectIsOpen(merged) ? .open : .closed) }
        return result
    }

    /// Whether every array of `merged` not closed yet can still take one more element.
    private mutating func arrayIsOpen(_ merged: SchemaConstraints) throws(GrammarError) -> Bool {
        guard merged.maxItems == nil, merged.contains.isEmpty, merged.unevaluatedItems.isEmpty,
              merged.unevaluatedItemExistence.isEmpty else { return false }
        for shape in merged.arrayShapes {
            if let items = shape.items, try isFalse(items) { return false }
            for schema in shape.prefix where try isFalse(schema) { return false }
        }
        for index in 0..<merged.prefixLength where !(try surelyAdmitsSomeValue(merged.elementSchemas(at: index))) { return false }
        let tail = merged.elementSchemas(at: merged.prefixLength)
        if merged.uniqueItems { return try hasOpenItems(tail) }
        return try surelyAdmitsSomeValue(tail)
    }

    /// Whether every object of `merged` not closed yet can still take one more member under a
    /// name it does not have.
    private mutating func objectIsOpen(_ merged: SchemaConstraints) throws(GrammarError) -> Bool {
        guard merged.maxProperties == nil, merged.propertyNames.isEmpty, merged.existence.isEmpty,
              merged.unevaluatedProperties.isEmpty, merged.unevaluatedPropertyExistence.isEmpty else { return false }
        for shape in merged.objectShapes {
            guard shape.patterns.isEmpty else { return false }
            if let additional = shape.additional, !(try surelyAdmitsSomeValue([additional])) { return false }
        }
        for name in merged.required {
            let schemas = merged.objectShapes.compactMap { shape in shape.properties.first { $0.name == name }?.schema ?? shape.additional }
            guard try surelyAdmitsSomeValue(schemas) else { return false }
        }
        return true
    }

    /// Whether some value satisfies all of `atoms` (false when that cannot be shown cheaply).
    private mutating func surelyAdmitsSomeValue(_ atoms: [String]) throws(GrammarError) -> Bool {
        if atoms.isEmpty { return true }
        for atom in atoms where try isFalse(atom) { return false }
        var trivial = true
        for atom in atoms where !(try isTrue(atom)) { trivial = false }
        if trivial { return true }
        let openness = try itemOpenness(atoms, types: .all)
        if openness.opensInfinitely { return true }
        if let values = try finiteValues(of: atoms, limit: JSONSchemaLimits.maxUniqueValues), !values.isEmpty { return true }
        let closure = try closure(of: atoms, types: .all)
        guard closure.pendingGroups.isEmpty else { return false }
        let merged = try constraints(of: closure)
        guard merged.allowedValues == nil, !merged.types.isDisjoint(with: .number), merged.number.isUnconstrained,
              merged.excludedValues.isEmpty else { return false }
        return try !isContradictory(merged)
    }
}
