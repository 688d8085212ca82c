/// One schema of the document, read: its own assertions, and the applicators (`$ref`,
/// `allOf`, `anyOf`, `oneOf`) that combine it with other schemas, given by pointer.
///
/// Reading validates every keyword's value (`invalidSchema` otherwise) and reports keywords
/// the grammar cannot enforce (`unsupportedKeyword`, `unsupportedValue`), or, when lenient,
/// records them as relaxations and goes on without them.
struct SchemaNode {
    /// What this schema asserts by itself.
    var constraints = SchemaConstraints()
    /// The target of `$ref`.
    var reference: String?
    /// The `allOf` members.
    var allOf: [String] = []
    /// The `anyOf` members.
    var anyOf: [String]?
    /// The `oneOf` members.
    var oneOf: [String]?

    /// Reads the schema at `pointer` of `document`.
    init(at pointer: String, in document: SchemaDocument, options: JSONSchemaOptions,
         relaxations: inout [Relaxation]) throws(GrammarError) {
        var reader = Reader(pointer: pointer, document: document, options: options)
        switch document.value(at: pointer) {
        case .bool(true)?: break
        case .bool(false)?: constraints.types = []
        case .object(let object)?:
            if document.dialect == .draft7 || document.dialect == .draft4, let reference = object["$ref"] {
                // Draft-04 to draft-07: `$ref` overrides every sibling keyword.
                self.reference = try reader.reference(reference)
            } else {
                try read(object, with: &reader)
            }
        default:
            throw GrammarError(.invalidSchema, "a schema must be an object or a boolean", at: .jsonPointer(pointer))
        }
        relaxations += reader.relaxations
    }

    private mutating func read(_ object: JSONObject, with reader: inout Reader) throws(GrammarError) {
        var objectShape: ObjectShape?
        var arrayShape: ArrayShape?
        for (keyword, value) in object {
            switch keyword {
            case "type":
                constraints.types = try reader.types(value)
            case "enum":
                guard case .array(let values) = value else { throw reader.invalid(keyword, "must be an array") }
                constraints.allowedValues = constraints.allowedValues.map { $0.filter(values.contains) } ?? values
            case "const":
                constraints.allowedValues = constraints.allowedValues.map { $0.filter { $0 == value } } ?? [value]
            case "properties":
                guard case .object(let members) = value else { throw reader.invalid(keyword, "must be an object") }
                var shape = objectShape ?? ObjectShape()
                for (name, _) in members {
                    shape.properties.append((name, try reader.subschema(keyword, name)))
                }
                objectShape = shape
            case "additionalProperties":
                var shape = objectShape ?? ObjectShape()
                shape.additional = try reader.subschema(keyword)
                objectShape = shape
            case "required":
                guard case .array(let names) = value else { throw reader.invalid(keyword, "must be an array of strings") }
                for name in names {
                    guard case .string(let text) = name else { throw reader.invalid(keyword, "must be an array of strings") }
                    if !constraints.required.contains(text) { constraints.required.append(text) }
                }
            case "prefixItems":
                var shape = arrayShape ?? ArrayShape()
                shape.prefix = try reader.subschemaList(keyword)
                arrayShape = shape
            case "items":
                var shape = arrayShape ?? ArrayShape()
                if case .array = value {
                    // Draft-07 / 2019-09 tuple form: positional schemas, then `additionalItems`.
                    if object["prefixItems"] == nil { shape.prefix = try reader.subschemaList(keyword) }
                    if object["additionalItems"] != nil { shape.items = try reader.subschema("additionalItems") }
                } else {
                    shape.items = try reader.subschema(keyword)
                }
                arrayShape = shape
            case "additionalItems":
                continue  // Applies only beside array-form `items`, read there.
            case "minItems": constraints.minItems = try reader.count(keyword, value)
            case "maxItems": constraints.maxItems = try reader.count(keyword, value)
            case "minLength": constraints.string.minLength = try reader.count(keyword, value)
            case "maxLength": constraints.string.maxLength = try reader.count(keyword, value)
            case "pattern":
                if let language = try reader.pattern(value) { constraints.string.languages.append(language) }
            case "format":
                if let format = try reader.format(value) { constraints.string.formats.append(format) }
            case "minimum":
                let exclusive = object["exclusiveMinimum"] == .bool(true)
                constraints.number.tightenLower(NumericBound(value: try reader.number(keyword, value), isExclusive: exclusive))
            case "exclusiveMinimum":
                if case .bool = value, reader.document.dialect == .draft4 { continue }  // Qualifies `minimum`.
                constraints.number.tightenLower(NumericBound(value: try reader.number(keyword, value), isExclusive: true))
            case "maximum":
                let exclusive = object["exclusiveMaximum"] == .bool(true)
                constraints.number.tightenUpper(NumericBound(value: try reader.number(keyword, value), isExclusive: exclusive))
            case "exclusiveMaximum":
                if case .bool = value, reader.document.dialect == .draft4 { continue }  // Qualifies `maximum`.
                constraints.number.tightenUpper(NumericBound(value: try reader.number(keyword, value), isExclusive: true))
            case "multipleOf":
                let divisor = try reader.number(keyword, value)
                guard !divisor.isNegative, !divisor.isZero else { throw reader.invalid(keyword, "must be greater than 0") }
                constraints.number.divisors.append(divisor)
                constraints.number.divisorPointer = JSONPointer.appending(reader.pointer, keyword)
            case "allOf": allOf = try reader.subschemaList(keyword, nonEmpty: true)
            case "anyOf": anyOf = try reader.subschemaList(keyword, nonEmpty: true)
            case "oneOf": oneOf = try reader.subschemaList(keyword, nonEmpty: true)
            case "$ref": reference = try reader.reference(value)
            case "$defs", "definitions":
                guard case .object = value else { throw reader.invalid(keyword, "must be an object") }
            case reader.document.identifierKeyword:
                try reader.identifier(value)
            default:
                switch SchemaVocabulary.treatment(of: keyword) {
                case .annotation, .enforced: continue
                case .unsupported:
                    if SchemaVocabulary.isVacuous(keyword, value) { continue }
                    try reader.unenforced(keyword, .unsupportedKeyword, "keyword \(keyword) is not supported",
                                          relaxed: "ignored: instances are not checked against it")
                }
            }
        }
        if let objectShape { constraints.objectShapes = [objectShape] }
        if let arrayShape { constraints.arrayShapes = [arrayShape] }
    }

    /// Reads keyword values of the schema at `pointer`, collecting relaxations.
    private struct Reader {
        let pointer: String
        let document: SchemaDocument
        let options: JSONSchemaOptions
        var relaxations: [Relaxation] = []

        init(pointer: String, document: SchemaDocument, options: JSONSchemaOptions) {
            self.pointer = pointer
            self.document = document
            self.options = options
        }

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

        /// The pointer of the subschema under `keyword` (and `member`), checked to be a schema.
        func subschema(_ keyword: String, _ member: String? = nil) throws(GrammarError) -> String {
            var target = JSONPointer.appending(pointer, keyword)
            if let member { target = JSONPointer.appending(target, member) }
            switch document.value(at: target) {
            case .object?, .bool?: return target
            default: throw GrammarError(.invalidSchema, "must be a schema (object or boolean)", at: .jsonPointer(target))
            }
        }

        /// The pointers of the subschemas in the array under `keyword`.
        func subschemaList(_ keyword: String, nonEmpty: Bool = false) throws(GrammarError) -> [String] {
            guard case .array(let items)? = document.value(at: JSONPointer.appending(pointer, keyword)),
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

        func reference(_ value: JSONValue) throws(GrammarError) -> String {
            guard case .string(let text) = value else { throw invalid("$ref", "must be a string") }
            return try document.resolve(text, at: pointer)
        }

        /// Accepts `$id` (`id` in draft-04) except below the root with a `$ref` inside, which
        /// would resolve against the new base URI.
        mutating func identifier(_ value: JSONValue) throws(GrammarError) {
            let keyword = document.identifierKeyword
            guard case .string = value else { throw invalid(keyword, "must be a string") }
            guard document.scopedIdentifiers.contains(pointer) else { return }
            try unenforced(keyword, .unsupportedKeyword, "\(keyword) below the root (a new base URI) with references inside is not supported",
                           relaxed: "ignored: references inside are resolved against the root document")
        }

        /// The search language of a `pattern`, or nil when relaxed.
        mutating func pattern(_ value: JSONValue) throws(GrammarError) -> Expression? {
            guard case .string(let source) = value else { throw invalid("pattern", "must be a string") }
            let here = JSONPointer.appending(pointer, "pattern")
            do {
                return try Regex(source).searchLanguage()
            } catch {
                var location = SourceLocation.jsonPointer(here)
                if case .offset(let offset, _, _)? = error.location { location = .pattern(pointer: here, offset: offset) }
                guard error.code == .unsupportedRegex else { throw GrammarError(error.code, error.message, at: location) }
                try unenforced("pattern", .unsupportedRegex, error.message, relaxed: "ignored: strings are not matched against it",
                               at: location)
                return nil
            }
        }

        /// The name of an asserted, known `format`; nil when not asserted or relaxed.
        mutating func format(_ value: JSONValue) throws(GrammarError) -> String? {
            guard case .string(let name) = value else { throw invalid("format", "must be a string") }
            guard options.assertFormat else { return nil }
            if FormatLanguage.language(named: name) != nil { return name }
            try unenforced("format", .unsupportedValue, "format \"\(name)\" is not supported",
                           relaxed: "ignored: format \"\(name)\" is not checked")
            return nil
        }
    }
}
