/// Which keywords each dialect knows. Keys that belong to no vocabulary of the schema's
/// dialect are legal and constrain nothing, so they are treated as annotations and ignored
/// silently (a draft 2019-09 schema's `prefixItems`, a draft-04 `const`, `x-custom`…).
enum SchemaVocabulary {
    /// Whether `keyword` means something in `dialect` (assertion, applicator or identifier).
    static func isKeyword(_ keyword: String, in dialect: SchemaDocument.Dialect) -> Bool {
        keywordDialects[keyword]?.contains(dialect) ?? false
    }

    /// The dialects each keyword means something in: one hashed lookup per key of a schema
    /// (most keys of real schemas are annotations, which a `switch` over the names compared
    /// with every name).
    private static let keywordDialects: [String: ClosedRange<SchemaDocument.Dialect>] = {
        var table: [String: ClosedRange<SchemaDocument.Dialect>] = [:]
        func add(_ keywords: [String], _ dialects: ClosedRange<SchemaDocument.Dialect>) {
            for keyword in keywords { table[keyword] = dialects }
        }
        add(["type", "enum", "properties", "patternProperties", "additionalProperties", "required",
             "minProperties", "maxProperties", "items", "additionalItems", "minItems", "maxItems", "uniqueItems",
             "minLength", "maxLength", "pattern", "format", "minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum",
             "multipleOf", "allOf", "anyOf", "oneOf", "not", "$ref", "definitions", "dependencies", "$schema", "$comment"],
            .draft4 ... .draft2020)
        add(["id"], .draft4 ... .draft4)
        add(["$id", "const", "contains", "propertyNames", "if", "then", "else"], .draft7 ... .draft2020)
        add(["$defs", "$anchor", "dependentRequired", "dependentSchemas", "minContains", "maxContains",
             "unevaluatedProperties", "unevaluatedItems", "$vocabulary"], .draft2019 ... .draft2020)
        add(["$recursiveRef", "$recursiveAnchor"], .draft2019 ... .draft2019)
        add(["prefixItems", "$dynamicRef", "$dynamicAnchor"], .draft2020 ... .draft2020)
        return table
    }()

    /// The keywords of the validation vocabulary, ignored when a custom metaschema leaves it out.
    static let validationKeywords: Set<String> = [
        "type", "enum", "const", "multipleOf", "maximum", "exclusiveMaximum", "minimum", "exclusiveMinimum",
        "maxLength", "minLength", "pattern", "maxItems", "minItems", "uniqueItems", "maxContains", "minContains",
        "maxProperties", "minProperties", "required", "dependentRequired",
    ]
}
