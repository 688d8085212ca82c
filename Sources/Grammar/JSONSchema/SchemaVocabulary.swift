/// Which keywords each dialect knows. Keys that belong to no vocabulary of the schema's
/// dialect are legal and constrain nothing, so they are treated as annotations and ignored
/// silently (a draft 2019-09 schema's `prefixItems`, a draft-04 `const`, `x-custom`…).
enum SchemaVocabulary {
    /// Whether `keyword` means something in `dialect` (assertion, applicator or identifier).
    static func isKeyword(_ keyword: String, in dialect: SchemaDocument.Dialect) -> Bool {
        switch keyword {
        case "type", "enum", "properties", "patternProperties", "additionalProperties", "required",
             "minProperties", "maxProperties", "items", "additionalItems", "minItems", "maxItems", "uniqueItems",
             "minLength", "maxLength", "pattern", "format", "minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum",
             "multipleOf", "allOf", "anyOf", "oneOf", "not", "$ref", "definitions", "dependencies":
            return true
        case "id": return dialect == .draft4
        case "$id", "const", "contains", "propertyNames": return dialect >= .draft7
        case "if", "then", "else": return dialect >= .draft7
        case "$defs", "$anchor", "dependentRequired", "dependentSchemas", "minContains", "maxContains",
             "unevaluatedProperties", "unevaluatedItems", "$vocabulary":
            return dialect >= .draft2019
        case "$recursiveRef", "$recursiveAnchor": return dialect == .draft2019
        case "prefixItems", "$dynamicRef", "$dynamicAnchor": return dialect >= .draft2020
        case "$schema", "$comment": return true
        default: return false
        }
    }

    /// The keywords of the validation vocabulary, ignored when a custom metaschema leaves it out.
    static let validationKeywords: Set<String> = [
        "type", "enum", "const", "multipleOf", "maximum", "exclusiveMaximum", "minimum", "exclusiveMinimum",
        "maxLength", "minLength", "pattern", "maxItems", "minItems", "uniqueItems", "maxContains", "minContains",
        "maxProperties", "minProperties", "required", "dependentRequired",
    ]
}
