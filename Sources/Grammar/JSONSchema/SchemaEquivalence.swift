/// Telling two subschemas of the document to be the same schema by their text.
///
/// `oneOf` branches are often written out in full, each repeating the properties they share
/// (`"id": {"type": "string", "maxLength": 48}` in six branches): distinct locations, one
/// schema. Excluding such branches from each other needs "this property fails the other
/// branch's schema" to be seen as impossible where the branch asserts the same schema.
/// Two locations hold the same schema when they are read in the same dynamic scope, against
/// the same base URI, dialect and vocabularies, and their JSON is equal once annotations
/// (`title`, `description`, `default`, `examples`, `$comment`, …) are left out of every
/// subschema. Schemas declaring identifiers or anchors, or using dynamic references, are
/// never taken as equal (their meaning depends on where they are).
extension SchemaGrammarBuilder {
    /// Keywords that only annotate: they assert nothing.
    private static let annotationKeywords: Set<String> = [
        "title", "description", "default", "examples", "$comment", "deprecated", "readOnly", "writeOnly",
        "contentMediaType", "contentEncoding", "contentSchema",
    ]
    /// Keywords whose meaning depends on the schema's place: such schemas are never equated.
    private static let placeKeywords: Set<String> = [
        "$id", "id", "$anchor", "$dynamicAnchor", "$recursiveAnchor", "$dynamicRef", "$recursiveRef",
    ]
    /// Keywords whose value is one subschema, or an array of them.
    private static let subschemaKeywords: Set<String> = [
        "items", "additionalItems", "additionalProperties", "unevaluatedItems", "unevaluatedProperties", "not", "if", "then",
        "else", "contains", "propertyNames", "allOf", "anyOf", "oneOf", "prefixItems",
    ]
    /// Keywords whose value maps names to subschemas.
    private static let subschemaMapKeywords: Set<String> = [
        "properties", "patternProperties", "$defs", "definitions", "dependentSchemas",
    ]

    /// Whether atoms `a` and `b` name the same schema of the document, by the rule above.
    func areEquivalentSchemas(_ a: String, _ b: String) -> Bool {
        if a == b { return true }
        guard let (left, leftScope) = SchemaGrammarBuilder.location(of: a),
              let (right, rightScope) = SchemaGrammarBuilder.location(of: b), leftScope == rightScope else { return false }
        let leftInfo = document.schemaInfo(at: left), rightInfo = document.schemaInfo(at: right)
        guard leftInfo.base == rightInfo.base, leftInfo.dialect == rightInfo.dialect,
              leftInfo.vocabularies == rightInfo.vocabularies,
              let leftValue = document.value(at: left), let rightValue = document.value(at: right),
              let leftNormal = SchemaGrammarBuilder.withoutAnnotations(leftValue),
              let rightNormal = SchemaGrammarBuilder.withoutAnnotations(rightValue) else { return false }
        return leftNormal == rightNormal
    }

    /// `schema` with the annotations of every subschema left out; nil when some subschema
    /// declares an identifier or anchor or uses a dynamic reference.
    static func withoutAnnotations(_ schema: JSONValue) -> JSONValue? {
        guard case .object(let object) = schema else { return schema }
        var result = JSONObject()
        for (key, value) in object {
            if placeKeywords.contains(key) { return nil }
            if annotationKeywords.contains(key) { continue }
            if subschemaKeywords.contains(key) {
                if case .array(let items) = value {
                    var normal: [JSONValue] = []
                    for item in items {
                        guard let item = withoutAnnotations(item) else { return nil }
                        normal.append(item)
                    }
                    result[key] = .array(normal)
                } else {
                    guard let normal = withoutAnnotations(value) else { return nil }
                    result[key] = normal
                }
            } else if subschemaMapKeywords.contains(key), case .object(let map) = value {
                var normal = JSONObject()
                for (name, subschema) in map {
                    guard let item = withoutAnnotations(subschema) else { return nil }
                    normal[name] = item
                }
                result[key] = .object(normal)
            } else {
                result[key] = value
            }
        }
        return .object(result)
    }
}
