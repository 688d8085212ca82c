/// Where in its source an error was found.
public enum SourceLocation: Hashable, Sendable, CustomStringConvertible {
    /// A byte offset into a text (regex, grammar or JSON), with its 1-based line and column.
    case offset(Int, line: Int, column: Int)
    /// A JSON Pointer into a JSON Schema document (RFC 6901, e.g. `/properties/a/pattern`).
    case jsonPointer(String)
    /// A JSON Pointer to a schema, and a byte offset into a regex found there.
    case pattern(pointer: String, offset: Int)

    public var description: String {
        switch self {
        case .offset(let offset, let line, let column): return "\(line):\(column) (offset \(offset))"
        case .jsonPointer(let pointer): return "#\(pointer)"
        case .pattern(let pointer, let offset): return "#\(pointer) at pattern offset \(offset)"
        }
    }
}

/// An error raised while building a grammar: malformed input, an unsupported feature, or a
/// limit exceeded. Every error has a named `code` and, where it applies, a location.
public struct GrammarError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The kind of error, stable across releases so callers and reports can count them.
    public struct Code: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
        public var rawValue: String
        public init(rawValue: String) { self.rawValue = rawValue }
        public var description: String { rawValue }

        /// The text is not valid JSON.
        public static let malformedJSON = Code(rawValue: "malformed-json")
        /// The regex does not parse.
        public static let invalidRegex = Code(rawValue: "invalid-regex")
        /// The regex uses a construct no grammar here can express (lookaround, backreference).
        public static let unsupportedRegex = Code(rawValue: "unsupported-regex")
        /// The schema is not a valid JSON Schema (wrong type for a keyword, …).
        public static let invalidSchema = Code(rawValue: "invalid-schema")
        /// The schema uses a keyword that is not enforced.
        public static let unsupportedKeyword = Code(rawValue: "unsupported-keyword")
        /// The schema uses a keyword value (a `format`, a `$ref` form…) that is not enforced.
        public static let unsupportedValue = Code(rawValue: "unsupported-value")
        /// A `$ref` does not resolve.
        public static let unresolvedReference = Code(rawValue: "unresolved-reference")
        /// The schema or grammar admits no document at all.
        public static let unsatisfiable = Code(rawValue: "unsatisfiable")
        /// A size, count, depth or time budget was exceeded.
        public static let limitExceeded = Code(rawValue: "limit-exceeded")
        /// The grammar is malformed (undefined rule, left recursion, …).
        public static let invalidGrammar = Code(rawValue: "invalid-grammar")
    }

    /// What went wrong, as a named kind.
    public var code: Code
    /// A human-readable explanation.
    public var message: String
    /// Where, when known.
    public var location: SourceLocation?

    /// An error of kind `code` at `location`.
    public init(_ code: Code, _ message: String, at location: SourceLocation? = nil) {
        self.code = code
        self.message = message
        self.location = location
    }

    public var description: String {
        if let location { return "\(code) at \(location): \(message)" }
        return "\(code): \(message)"
    }
}
