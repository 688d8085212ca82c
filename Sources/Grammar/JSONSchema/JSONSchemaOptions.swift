/// How `JSONSchemaCompiler` translates a schema.
public struct JSONSchemaOptions: Sendable, Hashable {
    /// Where and how much whitespace the grammar allows.
    public enum Whitespace: Sendable, Hashable {
        /// No whitespace at all.
        case compact
        /// `[ \t\n\r]{0,maxRun}` at each place JSON allows whitespace between tokens (not
        /// before the document or after it).
        case flexible(maxRun: Int)
    }

    /// The whitespace policy; default `.flexible(maxRun: 20)`.
    public var whitespace: Whitespace
    /// False: a keyword the grammar cannot enforce is an error. True: it is skipped and listed
    /// in `JSONSchemaCompilation.relaxations`.
    public var lenient: Bool
    /// True: `format` is asserted (unknown formats are unsupported); false: it is an annotation.
    public var assertFormat: Bool

    /// Options with the given policies.
    public init(whitespace: Whitespace = .flexible(maxRun: 20), lenient: Bool = false, assertFormat: Bool = true) {
        self.whitespace = whitespace
        self.lenient = lenient
        self.assertFormat = assertFormat
    }
}
