/// How the compiler treats each JSON Schema keyword.
///
/// Keys that belong to no JSON Schema vocabulary (draft-07, 2019-09 or 2020-12) are legal and
/// constrain nothing, so they are treated as annotations and ignored silently.
enum SchemaVocabulary {
    /// What the compiler does with one keyword.
    enum Treatment: Equatable {
        /// Translated exactly into the grammar.
        case enforced
        /// Constrains nothing (annotation, or unknown to JSON Schema): ignored silently.
        case annotation
        /// A JSON Schema keyword the compiler cannot enforce.
        case unsupported
    }

    /// The treatment of `keyword`.
    static func treatment(of keyword: String) -> Treatment {
        if enforced.contains(keyword) { return .enforced }
        if unsupported.contains(keyword) { return .unsupported }
        return .annotation
    }

    /// Whether `value` makes the unsupported `keyword` constrain nothing, so it can be ignored
    /// (`uniqueItems: false`, `minProperties: 0`, `propertyNames: true`, `patternProperties: {}`…).
    static func isVacuous(_ keyword: String, _ value: JSONValue) -> Bool {
        switch (keyword, value) {
        case ("uniqueItems", .bool(false)): return true
        case ("minProperties", .number(let n)): return n.isZero
        case ("propertyNames", .bool(true)), ("unevaluatedProperties", .bool(true)),
             ("unevaluatedItems", .bool(true)): return true
        case ("patternProperties", .object(let o)), ("dependentRequired", .object(let o)),
             ("dependentSchemas", .object(let o)), ("dependencies", .object(let o)): return o.isEmpty
        default: return false
        }
    }

    /// Keywords translated into the grammar (`format` only when asserted and known).
    static let enforced: Set<String> = [
        "type", "enum", "const",
        "properties", "required", "additionalProperties",
        "items", "prefixItems", "additionalItems", "minItems", "maxItems",
        "minLength", "maxLength", "pattern", "format",
        "minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "multipleOf",
        "allOf", "anyOf", "oneOf", "$ref", "$defs", "definitions", "$id",
    ]

    /// JSON Schema keywords that constrain instances in ways the grammar does not express.
    static let unsupported: Set<String> = [
        "not", "if", "uniqueItems", "contains", "patternProperties", "propertyNames",
        "dependentRequired", "dependentSchemas", "dependencies", "unevaluatedProperties",
        "unevaluatedItems", "minProperties", "maxProperties", "$dynamicRef", "$recursiveRef",
    ]
}
