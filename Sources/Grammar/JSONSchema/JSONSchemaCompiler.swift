/// Compiles a JSON Schema (draft 2020-12; draft-07 and 2019-09 spellings accepted) into a
/// grammar of the JSON texts that satisfy it.
///
/// The grammar admits JSON text as RFC 8259 allows, restricted to:
/// - whitespace per `JSONSchemaOptions.whitespace`, never before or after the document;
/// - strings as `JSONStringEncoding` writes them (raw UTF-8, escapes only where needed);
/// - numbers as `NumberLanguage` describes (integers: `1`, `1.0`, `1e2`, `1.5e1`…; in
///   draft-04 only `1`; under bounds other than 0, no exponent forms);
/// - object members in a fixed order: declared properties in schema order (required ones
///   mandatory), then any additional properties. Keys repeated among the additional
///   properties are not prevented.
///
/// Enforced exactly: `type`, `enum`, `const`, `properties`, `required`,
/// `additionalProperties`, `items`, `prefixItems`, `additionalItems`, `minItems`, `maxItems`,
/// `minLength`, `maxLength`, `pattern`, `format` (see `FormatLanguage`), `minimum`, `maximum`,
/// `exclusiveMinimum`, `exclusiveMaximum`, `multipleOf` (alone or with bounds at 0), `allOf`,
/// `anyOf`, `oneOf` (when its branches are provably disjoint), `$ref` (within the document),
/// `$defs`/`definitions`, boolean schemas. Annotations and keys outside the JSON Schema
/// vocabularies are ignored, and so is a nested `$id` unless a `$ref` below it would resolve
/// against it. Other keywords are errors, or relaxations when lenient.
///
/// Dialects: draft-04, -06, -07, 2019-09 and 2020-12 by `$schema` (2020-12 without one).
public struct JSONSchemaCompiler: Sendable {
    /// The translation options.
    public var options: JSONSchemaOptions

    /// A compiler with `options`.
    public init(options: JSONSchemaOptions = .init()) {
        self.options = options
    }

    /// The grammar of the documents `schema` admits, and the keywords it relaxed.
    ///
    /// Throws `unsupportedKeyword`/`unsupportedValue`/`unsupportedRegex` for what is not
    /// enforced (unless lenient), `invalidSchema`, `invalidRegex`, `unresolvedReference`,
    /// `limitExceeded` (when lenient, length and item-count bounds too large to unroll are
    /// relaxed instead), and `unsatisfiable` when no document satisfies the schema.
    public func compile(_ schema: JSONValue) throws(GrammarError) -> JSONSchemaCompilation {
        var builder = SchemaGrammarBuilder(document: try SchemaDocument(schema), options: options)
        let grammar = try builder.build()
        return JSONSchemaCompilation(grammar: grammar, relaxations: builder.relaxations)
    }
}

extension Grammar {
    /// The grammar of the JSON documents `jsonSchema` admits (see `JSONSchemaCompiler`).
    public init(jsonSchema: JSONValue, options: JSONSchemaOptions = .init()) throws(GrammarError) {
        self = try JSONSchemaCompiler(options: options).compile(jsonSchema).grammar
    }
}
