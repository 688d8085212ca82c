/// Negation, pushed down to single keywords.
///
/// ¬(k₁ ∧ k₂ ∧ … ∧ conjuncts ∧ groups) = ¬k₁ ∨ ¬k₂ ∨ … ∨ ¬conjunct ∨ ¬group, and each keyword's
/// negation is a positive constraint of the type the keyword applies to (a keyword constrains
/// only its type, so its negation holds only for values of that type):
///
/// | keyword | negation |
/// |---|---|
/// | `type` | the other types |
/// | `enum`/`const` | the scalar values excluded; an array or object constant: a shorter or longer value, or one element/member differing |
/// | `minLength`/`maxLength`, `minimum`…, `minItems`…, `minProperties`… | the opposite bound |
/// | `pattern`, `format` | strings of the complement language (`.difference(anyText, L)`) |
/// | `multipleOf` | numbers that are not multiples |
/// | `prefixItems` | an array whose element i fails its schema |
/// | `items` | an array containing, from the first non-prefix index, an element failing it |
/// | `uniqueItems` | an array with two equal elements, each matching the schema's `items`/`prefixItems` (`SchemaConstraints.repeatedItems`, compiled where the elements have a small finite set of values) |
/// | `contains` (with min/max) | fewer than min or more than max matching elements |
/// | `required` | the name absent |
/// | `properties` | the property present with a failing value |
/// | `patternProperties`, `additionalProperties`, `propertyNames` | a member whose key is of the region (or fails the name schema) with a failing value |
/// | `dependentRequired`, `dependentSchemas`, `if`, `anyOf`, `oneOf`, `not`, `$ref`… | via their disjunctions and conjuncts |
///
/// Not negatable: `unevaluatedProperties`/`unevaluatedItems` and formats whose
/// language is a subset (`format: regex`) (errors, or when lenient the disjunct is dropped,
/// which only loses values).
extension SchemaGrammarBuilder {
    /// The node of ¬`atom`: one disjunction over the negated parts.
    mutating func negatedNode(of atom: String) throws(GrammarError) -> SchemaNode {
        if atom.hasPrefix("!") { return SchemaNode(conjuncts: [String(atom.dropFirst())]) }
        if atom == SyntheticNodes.trueAtom { return .nothing }
        if atom == SyntheticNodes.falseAtom { return .anything }
        let node = try node(atom).node
        let owner = "!" + atom
        var disjuncts = try negatedConstraints(node.constraints, owner: owner, at: describe(atom))
        for conjunct in node.conjuncts { disjuncts.append("!" + conjunct) }
        for group in node.groups { disjuncts += try negatedGroup(group) }
        // ¬(X ∧ unevaluated*: S) = … ∨ (X without it ∧ some member or element X's scope does not
        // evaluate fails S).
        for (index, list) in [node.constraints.unevaluatedProperties, node.constraints.unevaluatedItems].enumerated() {
            for item in list where try !isTrue(item.schema) {
                var minus = node
                if index == 0 { minus.constraints.unevaluatedProperties.removeAll { $0 == item } }
                else { minus.constraints.unevaluatedItems.removeAll { $0 == item } }
                let minusAtom = synthetic.intern(minus)
                var k = SchemaConstraints()
                k.types = index == 0 ? .object : .array
                let existence = UnevaluatedConstraint(schema: "!" + item.schema, owners: [minusAtom] + item.owners, pointer: item.pointer)
                if index == 0 { k.unevaluatedPropertyExistence = [existence] } else { k.unevaluatedItemExistence = [existence] }
                disjuncts.append(synthetic.intern(SchemaNode(k, conjuncts: [minusAtom])))
            }
        }
        switch disjuncts.count {
        case 0: return .nothing
        case 1: return SchemaNode(conjuncts: disjuncts)
        default: return SchemaNode(groups: [BranchGroup(id: owner, branches: disjuncts, kind: .plain, owner: owner)])
        }
    }

    /// ¬(one of the branches): none of them; for `oneOf`, none or at least two. "None of
    /// them" is split by a discriminator when some branches have one (a sum over them instead
    /// of the product of their negations, see `exclusiveAlternatives`); two of its members
    /// never hold together.
    mutating func negatedGroup(_ group: BranchGroup) throws(GrammarError) -> [String] {
        var restricted = SchemaConstraints()
        restricted.types = group.types
        var result: [String]
        var members: Set<String> = []
        if let discriminator = try noneDiscriminator(of: group) {
            let split = discriminator.members.map { group.branches[$0] }
            members = Set(split)
            let absent = zip(split, discriminator.required).filter { !$0.1 }.map { "!" + $0.0 }
            result = exclusiveAlternatives(of: synthetic.intern(SchemaNode(restricted)), excluding: split, by: discriminator,
                                           absentExclusions: absent,
                                           remainingExclusions: group.branches.filter { !members.contains($0) }.map { "!" + $0 })
        } else {
            result = [synthetic.intern(SchemaNode(restricted, conjuncts: try noneOf(group.branches)))]
        }
        if group.kind == .oneOf {
            for i in group.branches.indices {
                for j in group.branches.indices where j > i {
                    if members.contains(group.branches[i]) && members.contains(group.branches[j]) { continue }
                    result.append(synthetic.intern(SchemaNode(restricted, conjuncts: [group.branches[i], group.branches[j]])))
                }
            }
        }
        return result
    }

    /// A discriminator of some of `group`'s branches (read alone, of the group's types). Not
    /// sought while building another such split a few levels up: a branch whose conjuncts
    /// negate the group again would never end.
    private mutating func noneDiscriminator(of group: BranchGroup) throws(GrammarError) -> Discriminator? {
        guard group.branches.count >= 2, depth < 3 else { return nil }
        depth += 1
        defer { depth -= 1 }
        var summaries: [SchemaConstraints] = []
        for branch in group.branches { summaries.append(try constraints(of: closure(of: [branch], types: group.types))) }
        return try discriminator(of: group.branches, summaries: summaries)
    }

    /// The disjuncts of ¬`c`, each a node of the type its keyword applies to.
    mutating func negatedConstraints(_ c: SchemaConstraints, owner: String, at pointer: String) throws(GrammarError) -> [String] {
        var out: [String] = []
        func typed(_ types: JSONTypeSet) -> SchemaConstraints {
            var k = SchemaConstraints()
            k.types = types
            return k
        }
        func add(_ k: SchemaConstraints, _ builder: inout SchemaGrammarBuilder) { out.append(builder.synthetic.intern(SchemaNode(k))) }
        var me = self
        defer { self = me }

        if c.types != .all { add(typed(JSONTypeSet.all.subtracting(c.types)), &me) }
        if let values = c.allowedValues {
            var k = SchemaConstraints()
            k.excludedValues = values.filter { $0.arrayValue == nil && $0.objectValue == nil }
            let structured = values.filter { $0.arrayValue != nil || $0.objectValue != nil }
            var conjuncts: [String] = []
            for value in structured { conjuncts.append(me.negatedConstant(value)) }
            out.append(me.synthetic.intern(SchemaNode(k, conjuncts: conjuncts)))
        }
        if !c.excludedValues.isEmpty {
            var k = SchemaConstraints()
            k.allowedValues = c.excludedValues
            add(k, &me)
        }
        // Strings.
        if c.string.minLength > 0 {
            var k = typed(.string)
            k.string.maxLength = c.string.minLength - 1
            add(k, &me)
        }
        if let maxLength = c.string.maxLength {
            var k = typed(.string)
            k.string.minLength = maxLength == Int.max ? maxLength : maxLength + 1
            add(k, &me)
        }
        for language in c.string.languages {
            var k = typed(.string)
            k.string.languages = [.difference(.anyText, me.patternExclusions.excluded(language))]
            add(k, &me)
        }
        for format in c.string.formats {
            var k = typed(.string)
            if let widened = FormatSupersets.format(ofIdentifier: format) {
                // Widened: every string outside the subset may fail the format, so all are admitted.
                me.relax("format", at: JSONPointer.appending(pointer, "format"),
                         "not format \"\(widened)\": strings outside the produced subset are admitted, some of them valid values")
                k.string.languages = [.difference(.anyText, FormatLanguage.language(named: widened) ?? .nothing)]
                add(k, &me)
                continue
            }
            if let omitted = FormatLanguage.underApproximated[format] {
                // The complement of a subset would admit the valid values left out of it; the
                // complement of a superset is sound, missing only its invalid extra values.
                guard let superset = FormatLanguage.overApproximation(named: format) else {
                    try me.unnegatable("format", at: JSONPointer.appending(pointer, "format"))
                    continue
                }
                me.relax("format", at: JSONPointer.appending(pointer, "format"),
                         "not format \"\(format)\": strings that may be valid values of it are not produced (\(omitted))")
                k.string.languages = [.difference(.anyText, superset)]
                add(k, &me)
                continue
            }
            // The standard language even when portable: its complement is the smaller one.
            k.string.languages = [.difference(.anyText, FormatLanguage.language(named: format) ?? .nothing)]
            add(k, &me)
        }
        // Numbers.
        if let lower = c.number.lower {
            var k = typed(.number)
            k.number.upper = NumericBound(value: lower.value, isExclusive: !lower.isExclusive)
            add(k, &me)
        }
        if let upper = c.number.upper {
            var k = typed(.number)
            k.number.lower = NumericBound(value: upper.value, isExclusive: !upper.isExclusive)
            add(k, &me)
        }
        for divisor in c.number.divisors {
            var k = typed(.number)
            k.number.nonDivisors = [divisor]
            k.number.divisorPointer = c.number.divisorPointer
            add(k, &me)
        }
        for divisor in c.number.nonDivisors {
            var k = typed(.number)
            k.number.divisors = [divisor]
            k.number.divisorPointer = c.number.divisorPointer
            add(k, &me)
        }
        // Arrays.
        if c.minItems > 0 {
            var k = typed(.array)
            k.maxItems = c.minItems - 1
            add(k, &me)
        }
        if let maxItems = c.maxItems, maxItems < Int.max {
            var k = typed(.array)
            k.minItems = maxItems + 1
            add(k, &me)
        }
        for shape in c.arrayShapes {
            for (index, schema) in shape.prefix.enumerated() where schema != SyntheticNodes.trueAtom {
                var k = typed(.array)
                k.minItems = index + 1
                k.arrayShapes = [ArrayShape(prefix: Array(repeating: SyntheticNodes.trueAtom, count: index) + ["!" + schema],
                                            owner: owner, evaluates: false)]
                add(k, &me)
            }
            if let items = shape.items, items != SyntheticNodes.trueAtom {
                var k = typed(.array)
                k.contains = [ContainsConstraint(schema: "!" + items, min: 1, start: shape.prefix.count, owner: owner,
                                                 evaluates: false, pointer: pointer)]
                add(k, &me)
            }
        }
        for item in c.contains {
            if item.min > 0 {
                var k = typed(.array)
                k.contains = [ContainsConstraint(schema: item.schema, min: 0, max: item.min - 1, start: item.start, owner: owner,
                                                 evaluates: false, pointer: item.pointer)]
                add(k, &me)
            }
            if let max = item.max, max < Int.max {
                var k = typed(.array)
                k.contains = [ContainsConstraint(schema: item.schema, min: max + 1, start: item.start, owner: owner,
                                                 evaluates: false, pointer: item.pointer)]
                add(k, &me)
            }
        }
        if c.uniqueItems {
            // ¬(unique ∧ R) = ¬R ∨ (repeated ∧ R′) for any R′ holding R: the other disjuncts
            // give ¬R, and the elements here keep their schemas, so a context whose elements
            // cannot match them drops this disjunct.
            var k = typed(.array)
            k.minItems = 2
            k.arrayShapes = c.arrayShapes.map { ArrayShape(prefix: $0.prefix, items: $0.items, owner: owner, evaluates: false) }
            k.repeatedItems = true
            k.uniqueItemsPointer = c.uniqueItemsPointer ?? pointer
            add(k, &me)
        }
        if c.repeatedItems {
            var k = typed(.array)
            k.uniqueItems = true
            k.uniqueItemsPointer = c.uniqueItemsPointer ?? pointer
            add(k, &me)
        }
        for item in c.unevaluatedItemExistence {
            var k = typed(.array)
            k.unevaluatedItems = [UnevaluatedConstraint(schema: "!" + item.schema, owners: item.owners, pointer: item.pointer)]
            add(k, &me)
        }
        // Objects.
        for name in c.required {
            var k = typed(.object)
            k.objectShapes = [ObjectShape(properties: [(name, SyntheticNodes.falseAtom)], owner: owner, evaluates: false)]
            add(k, &me)
        }
        for shape in c.objectShapes {
            for property in shape.properties where property.schema != SyntheticNodes.trueAtom {
                var k = typed(.object)
                k.required = [property.name]
                k.objectShapes = [ObjectShape(properties: [(property.name, "!" + property.schema)], owner: owner, evaluates: false)]
                add(k, &me)
            }
            for pattern in shape.patterns where pattern.schema != SyntheticNodes.trueAtom {
                var keys = typed(.string)
                keys.string.languages = [pattern.language]
                var k = typed(.object)
                k.existence = [MemberExistence(keys: [me.synthetic.intern(SchemaNode(keys))], value: "!" + pattern.schema)]
                add(k, &me)
            }
            if let additional = shape.additional, additional != SyntheticNodes.trueAtom {
                var keys = typed(.string)
                let declared = shape.properties.map { Expression.text($0.name) }
                    + shape.patterns.map { me.patternExclusions.excluded($0.language) }
                if !declared.isEmpty { keys.string.languages = [.difference(.anyText, .alternatives(declared))] }
                var k = typed(.object)
                k.existence = [MemberExistence(keys: [me.synthetic.intern(SchemaNode(keys))], value: "!" + additional)]
                add(k, &me)
            }
        }
        if c.minProperties > 0 {
            var k = typed(.object)
            k.maxProperties = c.minProperties - 1
            add(k, &me)
        }
        if let maxProperties = c.maxProperties, maxProperties < Int.max {
            var k = typed(.object)
            k.minProperties = maxProperties + 1
            add(k, &me)
        }
        for names in c.propertyNames {
            var k = typed(.object)
            k.existence = [MemberExistence(keys: ["!" + names], value: nil)]
            add(k, &me)
        }
        for existence in c.existence where !existence.valuesByName.isEmpty {
            // No member of these names with its value: each such member fails its schema.
            var k = typed(.object)
            k.objectShapes = [ObjectShape(properties: existence.valuesByName.sorted { $0.key < $1.key }.map { ($0.key, "!" + $0.value) },
                                          owner: owner, evaluates: false)]
            add(k, &me)
        }
        for existence in c.existence where existence.valuesByName.isEmpty {
            var k = typed(.object)
            let language = try me.stringLanguage(of: existence.keys)
            k.objectShapes = [ObjectShape(patterns: [PatternProperty(source: "(key of a negated member existence)", language: language,
                                                                     schema: existence.value.map { "!" + $0 } ?? SyntheticNodes.falseAtom)],
                                          owner: owner, evaluates: false)]
            add(k, &me)
        }
        for item in c.unevaluatedPropertyExistence {
            var k = typed(.object)
            k.unevaluatedProperties = [UnevaluatedConstraint(schema: "!" + item.schema, owners: item.owners, pointer: item.pointer)]
            add(k, &me)
        }
        // unevaluatedProperties/unevaluatedItems themselves are negated by `negatedNode`, which
        // knows the rest of their schema.
        return out
    }

    /// A keyword whose negation is not expressible: an error, or when lenient a relaxation
    /// (the disjunct is dropped: values failing only this keyword are not generated).
    mutating func unnegatable(_ keyword: String, at pointer: String) throws(GrammarError) {
        guard options.lenient else {
            throw GrammarError(.unsupportedKeyword, "\(keyword) under not (or in a oneOf/if branch that must fail) is not supported",
                               at: .jsonPointer(pointer))
        }
        relax(keyword, at: pointer, "its negation is not enforced: values that fail only \(keyword) where the schema must fail are not generated")
    }

    /// The atom of "any value but `value`".
    mutating func negatedConstant(_ value: JSONValue) -> String {
        func typed(_ types: JSONTypeSet) -> SchemaConstraints {
            var k = SchemaConstraints()
            k.types = types
            return k
        }
        var branches: [String] = []
        switch value {
        case .array(let items):
            branches.append(synthetic.intern(SchemaNode(typed(JSONTypeSet.all.subtracting(.array)))))
            if !items.isEmpty {
                var k = typed(.array)
                k.maxItems = items.count - 1
                branches.append(synthetic.intern(SchemaNode(k)))
            }
            var longer = typed(.array)
            longer.minItems = items.count + 1
            branches.append(synthetic.intern(SchemaNode(longer)))
            for (index, item) in items.enumerated() {
                var k = typed(.array)
                k.minItems = index + 1
                k.arrayShapes = [ArrayShape(prefix: Array(repeating: SyntheticNodes.trueAtom, count: index) + [negatedConstant(item)],
                                            evaluates: false)]
                branches.append(synthetic.intern(SchemaNode(k)))
            }
        case .object(let object):
            branches.append(synthetic.intern(SchemaNode(typed(JSONTypeSet.all.subtracting(.object)))))
            for key in object.keys {
                var k = typed(.object)
                k.objectShapes = [ObjectShape(properties: [(key, SyntheticNodes.falseAtom)], evaluates: false)]
                branches.append(synthetic.intern(SchemaNode(k)))
            }
            var more = typed(.object)
            more.required = object.keys
            more.minProperties = object.count + 1
            branches.append(synthetic.intern(SchemaNode(more)))
            for member in object.members {
                var k = typed(.object)
                k.required = [member.key]
                k.objectShapes = [ObjectShape(properties: [(member.key, negatedConstant(member.value))], evaluates: false)]
                branches.append(synthetic.intern(SchemaNode(k)))
            }
        default:
            var k = SchemaConstraints()
            k.excludedValues = [value]
            return synthetic.intern(SchemaNode(k))
        }
        return synthetic.intern(SchemaNode(groups: [BranchGroup(id: "≠" + JSONSerializer.compact.serialize(value), branches: branches,
                                                                kind: .plain, owner: "")]))
    }
}
