/// Deciding schemas on concrete values (constants, declared property names, finite domains),
/// and the string languages of schemas (for `propertyNames` and key regions).
extension SchemaGrammarBuilder {
    /// How deep validation and language computations may recurse through schemas.
    static let maxDepth = 64

    /// Whether `value` satisfies every schema of `atoms`.
    mutating func admits(_ value: JSONValue, atoms: [String]) throws(GrammarError) -> Bool {
        guard depth < SchemaGrammarBuilder.maxDepth else {
            throw GrammarError(.limitExceeded, "schemas refer to each other too deeply to decide a constant",
                               at: .jsonPointer(describe(atoms.first ?? "")))
        }
        depth += 1
        defer { depth -= 1 }
        let closure = try closure(of: atoms, types: JSONTypeSet(of: value))
        let pending = closure.pendingGroups
        if !pending.isEmpty, try !seesAnnotations(closure) {
            // A conjunction: the merged assertions, and each disjunction on its own (linear in the
            // number of disjunctions, where distributing them would multiply).
            guard try admits(value, try constraints(of: closure), closure: closure) else { return false }
            for group in pending {
                var matches = 0
                for branch in group.branches where try admits(value, atoms: [branch]) {
                    matches += 1
                    if group.kind != .oneOf || matches > 1 { break }
                }
                if matches == 0 || (group.kind == .oneOf && matches > 1) { return false }
            }
            return true
        }
        if let group = pending.first {
            if group.kind == .oneOf {
                // Exactly one branch: counted directly (cheaper than the exact expansion).
                var matches = 0
                for branch in group.branches where try admits(value, atoms: atoms + [branch]) {
                    matches += 1
                    if matches > 1 { return false }
                }
                return matches == 1
            }
            for branch in try effectiveBranches(of: group, in: closure) where try admits(value, atoms: atoms + [branch]) {
                return true
            }
            return false
        }
        return try admits(value, try constraints(of: closure), closure: closure)
    }

    /// Whether an `unevaluatedProperties`/`unevaluatedItems` in the conjunction makes the
    /// choice of branches matter beyond their own assertions.
    mutating func seesAnnotations(_ closure: Closure) throws(GrammarError) -> Bool {
        guard document.usesUnevaluated else { return false }
        for number in closure.order {
            let constraints = try numberedNode(number).node.constraints
            if !constraints.unevaluatedProperties.isEmpty || !constraints.unevaluatedItems.isEmpty
                || !constraints.unevaluatedPropertyExistence.isEmpty || !constraints.unevaluatedItemExistence.isEmpty { return true }
        }
        return false
    }

    /// Whether `value` satisfies the merged assertions of `closure` (no group pending).
    mutating func admits(_ value: JSONValue, _ merged: SchemaConstraints, closure: Closure) throws(GrammarError) -> Bool {
        guard merged.types.contains(JSONTypeSet(of: value)) else { return false }
        if let allowed = merged.allowedValues, !allowed.contains(value) { return false }
        if merged.excludedValues.contains(value) { return false }
        switch value {
        case .null, .bool: return true
        case .number(let number): return merged.number.admits(number)
        case .string(let text): return try stringAdmits(text, merged.string)
        case .array(let items): return try arrayAdmits(items, merged, closure: closure)
        case .object(let object): return try objectAdmits(object, merged, closure: closure)
        }
    }

    /// Whether `text` satisfies the string constraints. Throws when it falls outside the
    /// subset an under-approximated format produces but is not known to be invalid either
    /// (for `regex`: the ECMA-262 parser does not find it malformed): the answer could differ
    /// between the grammar and the format's meaning.
    func stringAdmits(_ text: String, _ constraints: StringConstraints) throws(GrammarError) -> Bool {
        let length = text.unicodeScalars.count
        guard length >= constraints.minLength, length <= constraints.maxLength ?? length else { return false }
        for language in constraints.languages where !membership.matches(text, language) { return false }
        for format in constraints.formats {
            guard let language = FormatLanguage.language(named: format, portable: options.portableFormats) else { return false }
            if membership.matches(text, language) { continue }
            if FormatLanguage.underApproximated[format] != nil, format != "regex" || Self.mayBeValidRegex(text) {
                throw GrammarError(.unsupportedValue, "format \"\(format)\" cannot decide the constant \(JSONValue.string(text)): "
                                       + "it may be valid, outside the subset the grammar produces")
            }
            return false
        }
        return true
    }

    /// Whether some engine may accept `text` as a regex: the ECMA-262 parser does not find it
    /// malformed.
    private static func mayBeValidRegex(_ text: String) -> Bool {
        do {
            _ = try Regex(text)
            return true
        } catch {
            return error.code != .invalidRegex
        }
    }

    private mutating func arrayAdmits(_ items: [JSONValue], _ merged: SchemaConstraints, closure: Closure) throws(GrammarError) -> Bool {
        guard items.count >= merged.minItems, items.count <= merged.maxItems ?? items.count else { return false }
        for (index, item) in items.enumerated() where try !admits(item, atoms: merged.elementSchemas(at: index)) { return false }
        var matched: [[Bool]] = []
        for item in merged.contains {
            var flags: [Bool] = []
            var count = 0
            for (index, element) in items.enumerated() {
                var hit = false
                if index >= item.start { hit = try admits(element, atoms: [item.schema]) }
                flags.append(hit)
                if hit { count += 1 }
            }
            guard count >= item.min, count <= item.max ?? count else { return false }
            matched.append(flags)
        }
        if merged.uniqueItems || merged.repeatedItems {
            var repeated = false
            for i in items.indices {
                for j in items.indices where j > i && items[i] == items[j] { repeated = true }
            }
            if repeated ? merged.uniqueItems : merged.repeatedItems { return false }
        }
        for item in merged.unevaluatedItemExistence {
            let scope = inPlaceScope(of: item.owners, in: closure)
            let shapes = merged.arrayShapes.filter { $0.evaluates && scope.contains($0.owner) }
            if shapes.contains(where: { $0.items != nil }) { return false }
            let evaluatedPrefix = shapes.map(\.prefix.count).max() ?? 0
            var found = false
            for (index, element) in items.enumerated() where index >= evaluatedPrefix {
                let byContains = merged.contains.indices.contains { j in
                    merged.contains[j].evaluates && scope.contains(merged.contains[j].owner) && matched[j][index]
                }
                if !byContains, try admits(element, atoms: [item.schema]) { found = true; break }
            }
            if !found { return false }
        }
        for unevaluated in merged.unevaluatedItems {
            let scope = inPlaceScope(of: unevaluated.owners, in: closure)
            let shapes = merged.arrayShapes.filter { $0.evaluates && scope.contains($0.owner) }
            if shapes.contains(where: { $0.items != nil }) { continue }
            if merged.unevaluatedItems.contains(where: { $0 != unevaluated && $0.owners.contains(where: scope.contains) }) { continue }
            let evaluatedPrefix = shapes.map(\.prefix.count).max() ?? 0
            for (index, element) in items.enumerated() where index >= evaluatedPrefix {
                let byContains = merged.contains.indices.contains { j in
                    merged.contains[j].evaluates && scope.contains(merged.contains[j].owner) && matched[j][index]
                }
                if !byContains, try !admits(element, atoms: [unevaluated.schema]) { return false }
            }
        }
        return true
    }

    private mutating func objectAdmits(_ object: JSONObject, _ merged: SchemaConstraints, closure: Closure) throws(GrammarError) -> Bool {
        guard merged.required.allSatisfy({ object[$0] != nil }) else { return false }
        guard object.count >= merged.minProperties, object.count <= merged.maxProperties ?? object.count else { return false }
        for member in object.members {
            if !merged.propertyNames.isEmpty, try !admits(.string(member.key), atoms: merged.propertyNames) { return false }
            if try !admits(member.value, atoms: propertySchemas(for: member.key, in: merged.objectShapes)) { return false }
        }
        for existence in merged.existence {
            var found = false
            for member in object.members where try admits(.string(member.key), atoms: existence.keys) {
                if try existence.value(for: member.key).map({ (v: String) throws(GrammarError) -> Bool in try admits(member.value, atoms: [v]) }) ?? true {
                    found = true
                    break
                }
            }
            if !found { return false }
        }
        for item in merged.unevaluatedPropertyExistence {
            guard let shape = evaluationShape(for: item, merged, closure: closure) else { return false }
            var found = false
            for member in object.members where propertySchemas(for: member.key, in: [shape]) == [item.schema] {
                if try admits(member.value, atoms: [item.schema]) { found = true; break }
            }
            if !found { return false }
        }
        for unevaluated in merged.unevaluatedProperties {
            guard let shape = evaluationShape(for: unevaluated, merged, closure: closure) else { continue }
            for member in object.members where try !admits(member.value, atoms: propertySchemas(for: member.key, in: [shape])) {
                return false
            }
        }
        return true
    }

    /// The schemas the value of property `name` must match under `shapes`: the declared
    /// property's and those of the patterns it matches, or else the additional schema.
    func propertySchemas(for name: String, in shapes: [ObjectShape]) -> [String] {
        var result: [String] = []
        for shape in shapes {
            let start = result.count
            for property in shape.properties where property.name == name { result.append(property.schema) }
            for pattern in shape.patterns where membership.matches(name, pattern.language) { result.append(pattern.schema) }
            if result.count == start, let additional = shape.additional { result.append(additional) }
        }
        return result
    }

    /// `propertySchemas(for: name, in: index.shapes)`, the declared properties looked up in
    /// the index.
    func propertySchemas(for name: String, in index: PropertySchemaIndex) -> [String] {
        var result: [String] = []
        for (position, shape) in index.shapes.enumerated() {
            let start = result.count
            result += index.declaredSchemas(named: name, inShape: position)
            for pattern in shape.patterns where membership.matches(name, pattern.language) { result.append(pattern.schema) }
            if result.count == start, let additional = shape.additional { result.append(additional) }
        }
        return result
    }

    /// `unevaluatedProperties` as a shape: the names and patterns its scope evaluates take
    /// anything, the rest its schema; nil when its scope evaluates every property.
    func evaluationShape(for unevaluated: UnevaluatedConstraint, _ merged: SchemaConstraints, closure: Closure) -> ObjectShape? {
        let scope = inPlaceScope(of: unevaluated.owners, in: closure)
        let shapes = merged.objectShapes.filter { $0.evaluates && scope.contains($0.owner) }
        if shapes.contains(where: { $0.additional != nil }) { return nil }
        if merged.unevaluatedProperties.contains(where: { $0 != unevaluated && $0.owners.contains(where: scope.contains) }) { return nil }
        var shape = ObjectShape(additional: unevaluated.schema, owner: unevaluated.owners.first ?? "")
        var seen = Set<String>()
        for evaluated in shapes {
            for property in evaluated.properties where seen.insert(property.name).inserted {
                shape.properties.append((property.name, SyntheticNodes.trueAtom))
            }
            for pattern in evaluated.patterns where !shape.patterns.contains(where: { $0.language == pattern.language }) {
                shape.patterns.append(PatternProperty(source: pattern.source, language: pattern.language, schema: SyntheticNodes.trueAtom))
            }
        }
        return shape
    }

    // MARK: String languages

    /// The scalar-level language (rule-free) of the strings satisfying every schema of
    /// `atoms`; non-strings are ignored.
    mutating func stringLanguage(of atoms: [String]) throws(GrammarError) -> Expression {
        if atoms.isEmpty { return .anyText }
        if let known = stringLanguages[AtomListKey(atoms)] { return known }
        guard depth < SchemaGrammarBuilder.maxDepth else {
            throw GrammarError(.limitExceeded, "string schemas refer to each other too deeply", at: .jsonPointer(describe(atoms[0])))
        }
        depth += 1
        defer { depth -= 1 }
        let closure = try closure(of: atoms, types: .string)
        let result: Expression
        if let group = closure.pendingGroups.first {
            var branches: [Expression] = []
            for branch in try effectiveBranches(of: group, in: closure) { branches.append(try stringLanguage(of: atoms + [branch])) }
            result = .alternatives(branches)
        } else {
            let merged = try constraints(of: closure)
            if merged.types.isEmpty {
                result = .nothing
            } else if let values = merged.allowedValues {
                var texts: [Expression] = []
                for value in values where try admits(value, merged, closure: closure) {
                    if case .string(let text) = value { texts.append(.text(text)) }
                }
                result = .alternatives(texts)
            } else {
                var parts = merged.string.languages
                for format in merged.string.formats { parts.append(FormatLanguage.language(named: format, portable: options.portableFormats) ?? .nothing) }
                if merged.string.minLength > 0 || merged.string.maxLength != nil {
                    guard merged.string.maxLength ?? merged.string.minLength <= JSONSchemaLimits.maxRepetitionCost else {
                        throw GrammarError(.limitExceeded, "a length bound on property names is too large to unroll",
                                           at: .jsonPointer(describe(atoms[0])))
                    }
                    parts.append(.repetition(.characterClass(.all), min: merged.string.minLength, max: merged.string.maxLength))
                }
                let excluded = merged.excludedValues.compactMap(\.stringValue)
                if !excluded.isEmpty { parts.append(.difference(.anyText, .alternatives(excluded.map { .text($0) }))) }
                result = parts.isEmpty ? .anyText : (parts.count == 1 ? parts[0] : .intersection(parts))
            }
        }
        stringLanguages[AtomListKey(atoms)] = result
        return result
    }

    // MARK: Finite domains

    /// Every value satisfying all of `atoms`, when there are finitely many (at most `limit`)
    /// and they can be listed: from `enum`/`const`, or null and Booleans; nil otherwise.
    mutating func finiteValues(of atoms: [String], limit: Int) throws(GrammarError) -> [JSONValue]? {
        guard depth < SchemaGrammarBuilder.maxDepth else { return nil }
        depth += 1
        defer { depth -= 1 }
        let closure = try closure(of: atoms, types: .all)
        var candidates: [JSONValue] = []
        if let group = closure.pendingGroups.first {
            if !closure.types.isSubset(of: group.types) {
                guard let rest = try finiteValues(of: atoms, types: closure.types.subtracting(group.types)) else { return nil }
                candidates += rest
            }
            for branch in group.branches {
                guard let values = try finiteValues(of: atoms + [branch], limit: limit) else { return nil }
                candidates += values
            }
        } else {
            guard let values = try finiteValues(of: atoms, types: .all) else { return nil }
            candidates = values
        }
        var result: [JSONValue] = []
        for value in candidates where !result.contains(value) {
            if try admits(value, atoms: atoms) { result.append(value) }
            if result.count > limit { return nil }
        }
        return result
    }

    /// The candidate values of the closure of `atoms` restricted to `types`, ignoring groups.
    private mutating func finiteValues(of atoms: [String], types: JSONTypeSet) throws(GrammarError) -> [JSONValue]? {
        let merged = try constraints(of: closure(of: atoms, types: types))
        if let values = merged.allowedValues { return values.filter { merged.types.contains(JSONTypeSet(of: $0)) } }
        guard merged.types.isSubset(of: [.null, .boolean]) else { return nil }
        var values: [JSONValue] = []
        if merged.types.contains(.null) { values.append(.null) }
        if merged.types.contains(.boolean) { values += [.bool(false), .bool(true)] }
        return values
    }
}
