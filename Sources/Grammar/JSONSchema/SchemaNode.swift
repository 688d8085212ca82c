/// One schema, read: its own assertions, the schemas it is conjoined with (`allOf`, `$ref`,
/// `not`), and the disjunctions it takes part in (`anyOf`, `oneOf`, `if`/`then`/`else`,
/// `dependentSchemas`, `dependentRequired`, and those negation produces).
///
/// Schemas are named by *atoms* (see `SchemaGrammarBuilder`): locations, `!atom` for a
/// negation, `#n` for a node the compiler made itself. Nodes read from the document refer to
/// raw locations; the builder maps them into the dynamic scope they are used in.
///
/// Reading validates every keyword's value (`invalidSchema` otherwise) and reports keywords
/// the grammar cannot enforce (`unsupportedKeyword`, `unsupportedValue`), or, when lenient,
/// records them as relaxations and goes on without them.
struct SchemaNode: Hashable {
    /// What this schema asserts by itself.
    var constraints = SchemaConstraints()
    /// Schemas that must hold as well.
    var conjuncts: [String] = []
    /// Disjunctions that must hold as well.
    var groups: [BranchGroup] = []
    /// An unresolved `$dynamicRef` (resolved in the dynamic scope of use).
    var dynamicReference: String?
    /// A `$recursiveRef` (2019-09), resolved in the dynamic scope of use.
    var recursiveReference: String?

    /// The `true` schema.
    static let anything = SchemaNode()
    /// The `false` schema.
    static let nothing: SchemaNode = {
        var node = SchemaNode()
        node.constraints.types = []
        return node
    }()

    /// A node asserting `constraints` only.
    init(_ constraints: SchemaConstraints = SchemaConstraints(), conjuncts: [String] = [], groups: [BranchGroup] = []) {
        self.constraints = constraints
        self.conjuncts = conjuncts
        self.groups = groups
    }

    /// Whether the node asserts and applies nothing (the `true` schema).
    var isTrivial: Bool {
        constraints.isUnconstrained && conjuncts.isEmpty && groups.isEmpty && dynamicReference == nil && recursiveReference == nil
    }

    /// Reads the schema at `location` of `document`.
    init(at location: String, in document: SchemaDocument, options: JSONSchemaOptions, synthetic: SyntheticNodes,
         patternExclusions: PatternExclusions, relaxations: inout [Relaxation]) throws(GrammarError) {
        // An indexed subschema (the usual case) has its facts and value in one entry.
        let indexed = document.info[location]
        let facts = indexed ?? document.schemaInfo(at: location)
        var reader = Reader(location: location, document: document, options: options, dialect: facts.dialect,
                            vocabularies: facts.vocabularies, synthetic: synthetic,
                            patternExclusions: patternExclusions)
        switch indexed.map(\.value) ?? document.value(at: location) {
        case .bool(true)?: break
        case .bool(false)?: constraints.types = []
        case .object(let object)?:
            if facts.dialect <= .draft7, let reference = object["$ref"] {
                // Draft-04 to draft-07: `$ref` overrides every sibling keyword.
                conjuncts = [try reader.reference(reference, keyword: "$ref")]
            } else {
                try read(object, with: &reader)
            }
        default:
            throw GrammarError(.invalidSchema, "a schema must be an object or a boolean", at: .jsonPointer(document.describe(location)))
        }
        relaxations += reader.relaxations
    }

    private mutating func read(_ object: JSONObject, with reader: inout Reader) throws(GrammarError) {
        var objectShape: ObjectShape?
        var arrayShape: ArrayShape?
        let dialect = reader.dialect
        let here = reader.location
        let validation = reader.vocabularies.validation
        for (keyword, value) in object {
            guard SchemaVocabulary.isKeyword(keyword, in: dialect) else { continue }
            if !validation && SchemaVocabulary.validationKeywords.contains(keyword) { continue }
            switch keyword {
            case "type":
                constraints.types.formIntersection(try reader.types(value))
            case "enum":
                guard case .array(let values) = value else { throw reader.invalid(keyword, "must be an array") }
                constraints.allowedValues = constraints.allowedValues.map { $0.filter(values.contains) } ?? values
            case "const":
                constraints.allowedValues = constraints.allowedValues.map { $0.filter { $0 == value } } ?? [value]
            case "properties":
                guard case .object(let members) = value else { throw reader.invalid(keyword, "must be an object") }
                var shape = objectShape ?? ObjectShape(owner: here)
                for (name, _) in members { shape.properties.append((name, try reader.subschema(keyword, name))) }
                objectShape = shape
            case "patternProperties":
                guard case .object(let members) = value else { throw reader.invalid(keyword, "must be an object") }
                var shape = objectShape ?? ObjectShape(owner: here)
                for (source, _) in members {
                    let schema = try reader.subschema(keyword, source)
                    guard let language = try reader.patternProperty(source) else { continue }
                    shape.patterns.append(PatternProperty(source: source, language: language, schema: schema))
                }
                objectShape = shape
            case "additionalProperties":
                var shape = objectShape ?? ObjectShape(owner: here)
                shape.additional = try reader.subschema(keyword)
                objectShape = shape
            case "required":
                for name in try reader.names(keyword, value) where !constraints.required.contains(name) {
                    constraints.required.append(name)
                }
            case "minProperties": constraints.minProperties = try reader.count(keyword, value)
            case "maxProperties": constraints.maxProperties = try reader.count(keyword, value)
            case "propertyNames":
                constraints.propertyNames.append(try reader.subschema(keyword))
            case "dependentRequired":
                guard case .object(let members) = value else { throw reader.invalid(keyword, "must be an object") }
                for (trigger, list) in members {
                    let names = try reader.names(JSONPointer.appending(keyword, trigger), list)
                    groups.append(reader.dependency(trigger, requires: names, schema: nil, keyword: keyword))
                }
            case "dependentSchemas":
                guard case .object(let members) = value else { throw reader.invalid(keyword, "must be an object") }
                for (trigger, _) in members {
                    let schema = try reader.subschema(keyword, trigger)
                    groups.append(reader.dependency(trigger, requires: [], schema: schema, keyword: keyword))
                }
            case "dependencies":
                guard case .object(let members) = value else { throw reader.invalid(keyword, "must be an object") }
                for (trigger, entry) in members {
                    if case .array = entry {
                        if !validation { continue }
                        let names = try reader.names(JSONPointer.appending(keyword, trigger), entry)
                        groups.append(reader.dependency(trigger, requires: names, schema: nil, keyword: keyword))
                    } else {
                        let schema = try reader.subschema(keyword, trigger)
                        groups.append(reader.dependency(trigger, requires: [], schema: schema, keyword: keyword))
                    }
                }
            case "prefixItems":
                var shape = arrayShape ?? ArrayShape(owner: here)
                shape.prefix = try reader.subschemaList(keyword)
                arrayShape = shape
            case "items":
                var shape = arrayShape ?? ArrayShape(owner: here)
                if case .array = value, dialect <= .draft2019 {
                    // Draft-07 / 2019-09 tuple form: positional schemas, then `additionalItems`.
                    shape.prefix = try reader.subschemaList(keyword)
                    if object["additionalItems"] != nil { shape.items = try reader.subschema("additionalItems") }
                } else {
                    shape.items = try reader.subschema(keyword)
                }
                arrayShape = shape
            case "additionalItems":
                continue  // Applies only beside array-form `items`, read there.
            case "minItems": constraints.minItems = max(constraints.minItems, try reader.count(keyword, value))
            case "maxItems": constraints.maxItems = try reader.count(keyword, value)
            case "uniqueItems":
                guard case .bool(let flag) = value else { throw reader.invalid(keyword, "must be a Boolean") }
                if flag {
                    constraints.uniqueItems = true
                    constraints.uniqueItemsPointer = JSONPointer.appending(reader.document.describe(here), keyword)
                }
            case "contains":
                var minimum = 1
                var maximum: Int?
                if dialect >= .draft2019 && validation {
                    if let value = object["minContains"] { minimum = try reader.count("minContains", value) }
                    if let value = object["maxContains"] { maximum = try reader.count("maxContains", value) }
                }
                constraints.contains.append(ContainsConstraint(
                    schema: try reader.subschema(keyword), min: minimum, max: maximum, owner: here,
                    pointer: JSONPointer.appending(reader.document.describe(here), keyword)))
            case "minContains", "maxContains":
                _ = try reader.count(keyword, value)  // Read with `contains`.
            case "minLength": constraints.string.minLength = try reader.count(keyword, value)
            case "maxLength": constraints.string.maxLength = try reader.count(keyword, value)
            case "pattern":
                if let language = try reader.pattern(value) { constraints.string.languages.append(language) }
            case "format":
                if let format = try reader.format(value) { constraints.string.formats.append(format) }
            case "minimum":
                let exclusive = dialect == .draft4 && object["exclusiveMinimum"] == .bool(true)
                constraints.number.tightenLower(NumericBound(value: try reader.number(keyword, value), isExclusive: exclusive))
            case "exclusiveMinimum":
                if case .bool = value, dialect == .draft4 { continue }  // Qualifies `minimum`.
                constraints.number.tightenLower(NumericBound(value: try reader.number(keyword, value), isExclusive: true))
            case "maximum":
                let exclusive = dialect == .draft4 && object["exclusiveMaximum"] == .bool(true)
                constraints.number.tightenUpper(NumericBound(value: try reader.number(keyword, value), isExclusive: exclusive))
            case "exclusiveMaximum":
                if case .bool = value, dialect == .draft4 { continue }  // Qualifies `maximum`.
                constraints.number.tightenUpper(NumericBound(value: try reader.number(keyword, value), isExclusive: true))
            case "multipleOf":
                let divisor = try reader.number(keyword, value)
                guard !divisor.isNegative, !divisor.isZero else { throw reader.invalid(keyword, "must be greater than 0") }
                constraints.number.divisors.append(divisor)
                constraints.number.divisorPointer = JSONPointer.appending(reader.document.describe(here), keyword)
            case "allOf": conjuncts += try reader.subschemaList(keyword, nonEmpty: true)
            case "anyOf":
                groups.append(BranchGroup(id: JSONPointer.appending(here, keyword), branches: try reader.subschemaList(keyword, nonEmpty: true),
                                          kind: .anyOf, owner: here))
            case "oneOf":
                groups.append(BranchGroup(id: JSONPointer.appending(here, keyword), branches: try reader.subschemaList(keyword, nonEmpty: true),
                                          kind: .oneOf, owner: here))
            case "not":
                conjuncts.append("!" + (try reader.subschema(keyword)))
            case "if":
                let condition = try reader.subschema(keyword)
                let then = object["then"] == nil ? nil : try reader.subschema("then")
                let otherwise = object["else"] == nil ? nil : try reader.subschema("else")
                // Without then/else, `if` asserts nothing, but its annotations count for
                // unevaluated* when it holds.
                guard then != nil || otherwise != nil || reader.document.usesUnevaluated else { continue }
                let holds = reader.synthetic.intern(SchemaNode(conjuncts: [condition] + (then.map { [$0] } ?? [])))
                let fails = reader.synthetic.intern(SchemaNode(conjuncts: ["!" + condition] + (otherwise.map { [$0] } ?? [])))
                groups.append(BranchGroup(id: JSONPointer.appending(here, keyword), branches: [holds, fails], kind: .plain, owner: here))
            case "then", "else":
                _ = try reader.subschema(keyword)
            case "$ref":
                conjuncts.append(try reader.reference(value, keyword: keyword))
            case "$dynamicRef":
                guard case .string(let text) = value else { throw reader.invalid(keyword, "must be a string") }
                dynamicReference = text
            case "$recursiveRef":
                guard case .string(let text) = value else { throw reader.invalid(keyword, "must be a string") }
                recursiveReference = text
            case "unevaluatedProperties":
                // Even `true` matters: it evaluates what is left, for enclosing unevaluated* keywords.
                let schema = try reader.subschema(keyword)
                constraints.unevaluatedProperties.append(UnevaluatedConstraint(
                    schema: schema, owners: [here], pointer: JSONPointer.appending(reader.document.describe(here), keyword)))
            case "unevaluatedItems":
                // Even `true` matters: it evaluates what is left, for enclosing unevaluated* keywords.
                let schema = try reader.subschema(keyword)
                constraints.unevaluatedItems.append(UnevaluatedConstraint(
                    schema: schema, owners: [here], pointer: JSONPointer.appending(reader.document.describe(here), keyword)))
            case "$defs", "definitions":
                guard case .object = value else { throw reader.invalid(keyword, "must be an object") }
            case "$id", "id", "$anchor", "$dynamicAnchor", "$schema", "$vocabulary", "$comment", "$recursiveAnchor":
                continue
            default:
                continue  // Annotations and keywords of no vocabulary constrain nothing.
            }
        }
        if let objectShape { constraints.objectShapes = [objectShape] }
        if let arrayShape { constraints.arrayShapes = [arrayShape] }
    }

    /// Reads keyword values of the schema at `location`, collecting relaxations.
    struct Reader {
        let location: String
        let document: SchemaDocument
        let options: JSONSchemaOptions
        let dialect: SchemaDocument.Dialect
        let vocabularies: SchemaDocument.Vocabularies
        let synthetic: SyntheticNodes
        let patternExclusions: PatternExclusions
        var relaxations: [Relaxation] = []

        var pointer: String { document.describe(location) }

        func invalid(_ keyword: String, _ message: String) -> GrammarError {
            GrammarError(.invalidSchema, "\(keyword) \(message)", at: .jsonPointer(JSONPointer.appending(pointer, keyword)))
        }

        /// Reports `keyword` as not enforced: an error, or when lenient a relaxation.
        mutating func unenforced(_ keyword: String, _ code: GrammarError.Code, _ message: String,
                                 relaxed detail: String, at location: SourceLocation? = nil) throws(GrammarError) {
            let here = JSONPointer.appending(pointer, keyword)
            guard options.lenient else { throw GrammarError(code, message, at: location ?? .jsonPointer(here)) }
            relaxations.append(Relaxation(keyword: keyword, pointer: here, detail: detail))
        }

        /// The location of the subschema under `keyword` (and `member`), checked to be a schema.
        func subschema(_ keyword: String, _ member: String? = nil) throws(GrammarError) -> String {
            var target = JSONPointer.appending(location, keyword)
            if let member { target = JSONPointer.appending(target, member) }
            switch document.value(at: target) {
            case .object?, .bool?: return target
            default: throw GrammarError(.invalidSchema, "must be a schema (object or boolean)", at: .jsonPointer(document.describe(target)))
            }
        }

        /// The locations of the subschemas in the array under `keyword`.
        func subschemaList(_ keyword: String, nonEmpty: Bool = false) throws(GrammarError) -> [String] {
            guard case .array(let items)? = document.value(at: JSONPointer.appending(location, keyword)),
                  !(nonEmpty && items.isEmpty) else {
                throw invalid(keyword, nonEmpty ? "must be a non-empty array of schemas" : "must be an array of schemas")
            }
            var result: [String] = []
            for index in items.indices { result.append(try subschema(keyword, String(index))) }
            return result
        }

        func types(_ value: JSONValue) throws(GrammarError) -> JSONTypeSet {
            let names: [JSONValue]
            if case .array(let list) = value { names = list } else { names = [value] }
            var types: JSONTypeSet = []
            for name in names {
                guard case .string(let text) = name, let type = JSONTypeSet(typeName: text) else {
                    throw invalid("type", "must name JSON Schema types")
                }
                types.formUnion(type)
            }
            return types
        }

        /// An array of strings.
        func names(_ keyword: String, _ value: JSONValue) throws(GrammarError) -> [String] {
            guard case .array(let items) = value else { throw invalid(keyword, "must be an array of strings") }
            var names: [String] = []
            for item in items {
                guard case .string(let text) = item else { throw invalid(keyword, "must be an array of strings") }
                if !names.contains(text) { names.append(text) }
            }
            return names
        }

        /// A non-negative integer; values beyond `Int` saturate.
        func count(_ keyword: String, _ value: JSONValue) throws(GrammarError) -> Int {
            guard case .number(let n) = value, n.isInteger, !n.isNegative else {
                throw invalid(keyword, "must be a non-negative integer")
            }
            return n.intValue ?? Int.max
        }

        func number(_ keyword: String, _ value: JSONValue) throws(GrammarError) -> JSONNumber {
            guard case .number(let n) = value else {
                if case .bool = value {
                    throw GrammarError(.unsupportedValue, "\(keyword) as a Boolean is draft-04 syntax",
                                       at: .jsonPointer(JSONPointer.appending(pointer, keyword)))
                }
                throw invalid(keyword, "must be a number")
            }
            return n
        }

        func reference(_ value: JSONValue, keyword: String) throws(GrammarError) -> String {
            guard case .string(let text) = value else { throw invalid(keyword, "must be a string") }
            return try document.resolve(text, at: location, keyword: keyword)
        }

        /// `trigger` present ⇒ `requires` present and `schema` holds: a choice, for objects,
        /// between `trigger` absent and both.
        func dependency(_ trigger: String, requires names: [String], schema: String?, keyword: String) -> BranchGroup {
            var absent = SchemaConstraints()
            absent.objectShapes = [ObjectShape(properties: [(trigger, SyntheticNodes.falseAtom)], evaluates: false)]
            var present = SchemaConstraints()
            present.required = [trigger] + names.filter { $0 != trigger }
            let branches = [synthetic.intern(SchemaNode(absent)),
                            synthetic.intern(SchemaNode(present, conjuncts: schema.map { [$0] } ?? []))]
            return BranchGroup(id: JSONPointer.appending(JSONPointer.appending(location, keyword), trigger), branches: branches,
                               kind: .plain, types: .object, owner: location)
        }

        /// The search language of a `pattern`, or nil when relaxed.
        mutating func pattern(_ value: JSONValue) throws(GrammarError) -> Expression? {
            guard case .string(let source) = value else { throw invalid("pattern", "must be a string") }
            return try regex(source, keyword: "pattern", at: JSONPointer.appending(pointer, "pattern"))
        }

        /// The search language of a `patternProperties` regex, or nil when relaxed (the
        /// entry is then dropped: keys matching it take `additionalProperties`).
        mutating func patternProperty(_ source: String) throws(GrammarError) -> Expression? {
            try regex(source, keyword: "patternProperties", at: JSONPointer.appending(JSONPointer.appending(pointer, "patternProperties"), source))
        }

        private mutating func regex(_ source: String, keyword: String, at here: String) throws(GrammarError) -> Expression? {
            do {
                let regex = try Regex(source)
                guard options.portablePatterns else { return try regex.searchLanguage() }
                let matching = try regex.searchLanguage(.matchedByBoth)
                patternExclusions.record(matching: matching, excluded: try regex.searchLanguage(.matchedByEither))
                return matching
            } catch {
                var location = SourceLocation.jsonPointer(here)
                if case .offset(let offset, _, _)? = error.location { location = .pattern(pointer: here, offset: offset) }
                guard error.code == .unsupportedRegex else { throw GrammarError(error.code, error.message, at: location) }
                try unenforced(keyword, .unsupportedRegex, error.message,
                               relaxed: keyword == "pattern" ? "ignored: strings are not matched against it"
                                   : "the entry is ignored: matching keys take additionalProperties", at: location)
                return nil
            }
        }

        /// The name of an asserted, known `format`; nil when not asserted or relaxed.
        mutating func format(_ value: JSONValue) throws(GrammarError) -> String? {
            guard case .string(let name) = value else { throw invalid("format", "must be a string") }
            guard options.assertFormat || vocabularies.formatAssertion else { return nil }
            if FormatLanguage.isDefined(name) {
                if let omitted = FormatLanguage.underApproximated[name] {
                    if options.formatSubsets == .refuse {
                        try unenforced("format", .unsupportedValue, "format \"\(name)\" can only be produced in part: \(omitted)",
                                       relaxed: "ignored: format \"\(name)\" is not checked (\(omitted))")
                        return nil
                    }
                    if options.formatSubsets == .widen {
                        relaxations.append(Relaxation(keyword: "format", pointer: JSONPointer.appending(pointer, "format"),
                                                      detail: "format \"\(name)\" is enforced as a superset: "
                                                          + (FormatSupersets.admittedInvalid[name] ?? "some invalid values are admitted")))
                        return FormatSupersets.identifier(of: name)
                    }
                    relaxations.append(Relaxation(keyword: "format", pointer: JSONPointer.appending(pointer, "format"),
                                                  detail: "format \"\(name)\": \(omitted)"))
                }
                return name
            }
            // Not a format JSON Schema defines: the specification (and the suite's
            // optional/format/unknown.json) makes it an annotation that every value satisfies.
            guard options.unknownFormats == .annotation else {
                throw GrammarError(.unsupportedValue, "format \"\(name)\" is not a format JSON Schema defines",
                                   at: .jsonPointer(JSONPointer.appending(pointer, "format")))
            }
            relaxations.append(Relaxation(keyword: "format", pointer: JSONPointer.appending(pointer, "format"),
                                          detail: "annotation only: \"\(name)\" is not a format JSON Schema defines, so no value is checked against it"))
            return nil
        }
    }
}

/// A disjunction: one of the branches must hold (`oneOf`: exactly one). It constrains only
/// values of `types`; the others satisfy it whatever the branches say.
struct BranchGroup: Hashable {
    enum Kind: Hashable {
        /// `anyOf`: at least one branch.
        case anyOf
        /// `oneOf`: exactly one branch.
        case oneOf
        /// A disjunction the compiler made (if/then/else, dependencies, negations): at least one.
        case plain
    }

    /// Identifies the group: the keyword's location, or a made-up name.
    var id: String
    var branches: [String]
    var kind: Kind
    var types: JSONTypeSet = .all
    /// The schema the group belongs to (for unevaluated* scopes).
    var owner: String
}

/// Nodes the compiler makes (negations, branches of conditionals, exact `oneOf` branches),
/// interned by value and named `#n`. A reference type, shared by the builder and readers.
final class SyntheticNodes {
    static let trueAtom = "#T"
    static let falseAtom = "#F"

    private(set) var nodes: [SchemaNode] = []
    private var index: [SchemaNode: Int] = [:]

    /// The atom naming `node` (`#T`/`#F` for the trivial ones).
    func intern(_ node: SchemaNode) -> String {
        if node == .anything { return SyntheticNodes.trueAtom }
        if node == .nothing { return SyntheticNodes.falseAtom }
        if let known = index[node] { return "#\(known)" }
        index[node] = nodes.count
        nodes.append(node)
        return "#\(nodes.count - 1)"
    }

    /// The node an atom `#…` names.
    func node(_ atom: String) -> SchemaNode? {
        if atom == SyntheticNodes.trueAtom { return .anything }
        if atom == SyntheticNodes.falseAtom { return .nothing }
        guard atom.hasPrefix("#"), let n = Int(atom.dropFirst()), nodes.indices.contains(n) else { return nil }
        return nodes[n]
    }

    var count: Int { nodes.count }
}
