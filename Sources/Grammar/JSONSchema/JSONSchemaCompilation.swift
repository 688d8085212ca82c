/// The result of compiling a schema: the grammar of its JSON texts, and what was relaxed.
public struct JSONSchemaCompilation: Sendable {
    /// The grammar; its root matches one JSON document.
    public var grammar: Grammar
    /// Everything not enforced exactly: keywords skipped under `lenient`, and `format` names
    /// JSON Schema does not define (annotations by the specification, unless
    /// `JSONSchemaOptions.unknownFormats` is `.error`).
    public var relaxations: [Relaxation]

    /// A compilation of `grammar` with `relaxations`.
    public init(grammar: Grammar, relaxations: [Relaxation]) {
        self.grammar = grammar
        self.relaxations = relaxations
    }
}
