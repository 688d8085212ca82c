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

    /// The order object members may come in.
    public enum PropertyOrder: Sendable, Hashable {
        /// Declared properties in schema order (required ones mandatory), then the others.
        case declared
        /// Any order: declared properties each at most once (required ones exactly once) and
        /// additional properties, interleaved. Exact for at most
        /// `JSONSchemaLimits.maxAnyOrderRequiredProperties` (10) required properties per object
        /// (any number of optional ones); more is `limitExceeded`, or when lenient a relaxation
        /// to declared order.
        case any
    }

    /// What a `format` name that JSON Schema does not define (`"ports"`, `"int32"`) means.
    public enum UnknownFormats: Sendable, Hashable {
        /// An annotation, as the specification says: every value passes. Each one is listed in
        /// `JSONSchemaCompilation.relaxations`, so none passes unseen.
        case annotation
        /// An `unsupportedValue` error.
        case error
    }

    /// What the formats gramc can only produce a subset of (`hostname`, `regex`,
    /// `idn-hostname`, `idn-email`: see `FormatLanguage.underApproximated`) do.
    public enum FormatSubsets: Sendable, Hashable {
        /// The subset is produced (sound: every value is valid) and listed in
        /// `JSONSchemaCompilation.relaxations`, since valid values outside it are not.
        case produce
        /// An `unsupportedValue` error (under `lenient`: the format is not checked, listed).
        case refuse
        /// A regular superset is enforced instead (`FormatSupersets`): every valid value can
        /// be produced, and some invalid ones too; listed in `JSONSchemaCompilation.relaxations`.
        /// Under `not` the complement of the subset is taken, so there too every string that
        /// fails the format can be produced.
        case widen
    }

    /// The whitespace policy; default `.flexible(maxRun: 20)`.
    public var whitespace: Whitespace
    /// False: a keyword the grammar cannot enforce is an error. True: it is skipped and listed
    /// in `JSONSchemaCompilation.relaxations`.
    public var lenient: Bool
    /// True: `format` is asserted (unknown formats are unsupported); false: it is an annotation.
    public var assertFormat: Bool
    /// True: the `date`, `time` and `date-time` formats leave out values RFC 3339 allows but
    /// common validators (Python `jsonschema`, several others) reject — leap seconds `:60` and
    /// the year 0000 — so every generated value passes them too. A narrower language, so
    /// still sound; some valid instances become unreachable. Default false (RFC 3339 exactly).
    public var portableFormats: Bool
    /// True: `pattern` and `patternProperties` are read so that outputs pass them the same
    /// way on ECMA-262 (what JSON Schema specifies) and on Python's `re` (what Python
    /// validators run): a string that must match a pattern is one both engines match, and
    /// one that must not is one neither matches (`Regex.Reading`). The engines differ on
    /// `\d \w \s` beyond ASCII, on `.` and line terminators, and on `$` before a final
    /// newline. A narrower language, so still sound; some valid instances become
    /// unreachable. Default false (ECMA-262 exactly).
    public var portablePatterns: Bool
    /// The member order; default `.declared`.
    public var propertyOrder: PropertyOrder
    /// Unknown `format` names; default `.annotation`.
    public var unknownFormats: UnknownFormats
    /// Formats produced only in part; default `.produce`.
    public var formatSubsets: FormatSubsets
    /// Schema documents `$ref`, `$dynamicRef` and `$schema` may name by absolute URI, keyed by
    /// that URI (a fragment is ignored): remote schemas and metaschemas. Nothing is ever
    /// fetched from the network.
    public var remoteDocuments: [String: JSONValue]
    /// Whether an `anyOf` of closed objects is read as one object automaton over its
    /// branches' members (`SchemaGrammarBuilder.objectUnion`); false distributes it over its
    /// branches like any disjunction. The same language either way: tests compare the two.
    var readsObjectUnions = true
    /// The fewest members that may follow a separator, in declared order, for them to share it
    /// (`MemberChain`); `Int.max` keeps a separator per member everywhere. The same language
    /// either way: tests compare the two.
    var sharedSeparatorThreshold = MemberChain.sharedSeparatorThreshold

    /// Options with the given policies.
    public init(whitespace: Whitespace = .flexible(maxRun: 20), lenient: Bool = false, assertFormat: Bool = true,
                propertyOrder: PropertyOrder = .declared, portableFormats: Bool = false, portablePatterns: Bool = false,
                unknownFormats: UnknownFormats = .annotation,
                formatSubsets: FormatSubsets = .produce,
                remoteDocuments: [String: JSONValue] = [:]) {
        self.whitespace = whitespace
        self.lenient = lenient
        self.assertFormat = assertFormat
        self.propertyOrder = propertyOrder
        self.portableFormats = portableFormats
        self.portablePatterns = portablePatterns
        self.unknownFormats = unknownFormats
        self.formatSubsets = formatSubsets
        self.remoteDocuments = remoteDocuments
    }
}
