/// Compiles a JSON Schema (draft 2020-12; draft-04, -06, -07 and 2019-09 by `$schema`) into a
/// grammar of the JSON texts that satisfy it.
///
/// The grammar admits JSON text as RFC 8259 allows, restricted to:
/// - whitespace per `JSONSchemaOptions.whitespace`;
/// - strings as `JSONStringEncoding` writes them (raw UTF-8, escapes only where needed);
/// - numbers as `NumberLanguage` describes (integers: `1`, `1.0`, `1e2`, `1.5e1`…; in
///   draft-04 only `1`; under bounds other than 0 and exclusions, exponents within ±20; under
///   `multipleOf` other than a decimal step, plain numerals);
/// - object members in declared order (`JSONSchemaOptions.propertyOrder`): declared
///   properties in schema order (required ones mandatory), then the others; or in any order.
///   Keys repeated among the additional properties cannot be excluded by a grammar; the
///   grammar is marked `distinctObjectKeys` and matchers refuse a token that would repeat a
///   member name (counting members for `minProperties` assumes distinct names).
/// - arrays under `uniqueItems` whose elements have too many values to write out are plain
///   arrays in rules listed in `Grammar.uniqueArrayRules`; matchers refuse a token that would
///   complete an element equal (as a JSON value) to an earlier one of its array, and for the
///   rules also in `Grammar.closedUniqueArrayRules`, a token after which the element being
///   read has only used values left to end as.
///
/// Enforced exactly: every assertion and applicator of the core, applicator, unevaluated and
/// validation vocabularies — `type`, `enum`, `const`, `properties`, `patternProperties`,
/// `additionalProperties`, `required`, `propertyNames`, `minProperties`, `maxProperties`,
/// `dependentRequired`, `dependentSchemas`, `dependencies`, `items`, `prefixItems`,
/// `additionalItems`, `contains`, `minContains`, `maxContains`, `minItems`, `maxItems`,
/// `minLength`, `maxLength`, `pattern`, `format` (see `FormatLanguage`), `minimum`,
/// `maximum`, `exclusiveMinimum`, `exclusiveMaximum`, `multipleOf`, `allOf`, `anyOf`, `oneOf`,
/// `not`, `if`/`then`/`else`, `unevaluatedProperties`, `unevaluatedItems`, `$ref`,
/// `$dynamicRef`, `$recursiveRef`, boolean schemas — with these limits: `uniqueItems` over
/// at most 12 possible element values (enum, const, Booleans, null) in the grammar, or at run
/// time: over *open* elements, whose every undetermined prefix has infinitely many completing
/// values, so refusing repeats never leads to a dead end (unconstrained strings and numbers,
/// objects open to more members, unbounded arrays, with null and Booleans beside them; see
/// `SchemaGrammarBuilder+UniqueItems.swift`), and over other elements sharing one schema with
/// a dead-end check after every token (`UniqueElementCompletion` in TokenMask); an error with
/// `contains`, `prefixItems` positions that are not open, or a `minItems` beyond the values
/// the elements are known to have; an overlapping
/// `oneOf` only while excluding the other branches stays small; budgets on automaton sizes.
/// References resolve against `$id` base URIs, `$anchor`/`$dynamicAnchor`, JSON Pointers, and
/// `JSONSchemaOptions.remoteDocuments` (never the network); a custom `$schema` metaschema's
/// `$vocabulary` selects the validation and format-assertion vocabularies. Annotations and
/// keys outside the dialect's vocabularies are ignored. What is not enforced exactly is an
/// error, or a relaxation when lenient.
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
    /// `limitExceeded` (when lenient, length and count bounds too large to unroll are relaxed
    /// instead), and `unsatisfiable` when no document satisfies the schema.
    public func compile(_ schema: JSONValue) throws(GrammarError) -> JSONSchemaCompilation {
        var builder = SchemaGrammarBuilder(document: try SchemaDocument(schema, remoteDocuments: options.remoteDocuments), options: options)
        var grammar = try builder.build()
        builder.lexicon.wrapDocument(&grammar)
        // Declared properties appear at most once by construction; only extra members and
        // untyped values (any object) can repeat a name, which matchers then prevent.
        grammar.distinctObjectKeys = builder.admitsExtraMembers || grammar.rule(named: JSONLexicon.objectRule) != nil
        grammar.narrowedObjectKeys = builder.narrowsExtraKeys
        // Matchers keep unique arrays' elements apart by stepping configurations alone, so a
        // grammar with unique arrays unrolls its length bounds (within the automaton budget).
        if grammar.rule(named: JSONLexicon.characterRule) != nil, grammar.uniqueArrayRules.isEmpty {
            grammar.lengthCounter = LengthCounter(unitRule: JSONLexicon.characterRule, threshold: JSONSchemaLimits.maxUnrolledLength,
                                                  intersectedThreshold: JSONSchemaLimits.maxUnrolledIntersectedLength)
        }
        return JSONSchemaCompilation(grammar: grammar, relaxations: builder.relaxations)
    }
}

extension Grammar {
    /// The grammar of the JSON documents `jsonSchema` admits (see `JSONSchemaCompiler`).
    public init(jsonSchema: JSONValue, options: JSONSchemaOptions = .init()) throws(GrammarError) {
        self = try JSONSchemaCompiler(options: options).compile(jsonSchema).grammar
    }
}
