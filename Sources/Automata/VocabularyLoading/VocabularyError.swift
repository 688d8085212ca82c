/// An error raised while loading a vocabulary: an unreadable or malformed file, a shape the
/// loader does not understand, or EOS / size settings that do not fit the vocabulary.
///
/// Every error has a named `code`, a message, and where known the file and the place in it
/// (1-based line and byte offset).
public struct VocabularyError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The kind of error, stable across releases so callers and reports can count them.
    public struct Code: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
        /// The code's name, in kebab case (`malformed-json`).
        public var rawValue: String
        /// The code named `rawValue`.
        public init(rawValue: String) { self.rawValue = rawValue }
        /// The code's name.
        public var description: String { rawValue }

        /// The file or folder does not exist or cannot be read.
        public static let unreadableFile = Code(rawValue: "unreadable-file")
        /// The folder holds no vocabulary file this loader reads.
        public static let noVocabularyFile = Code(rawValue: "no-vocabulary-file")
        /// The text is not valid JSON.
        public static let malformedJSON = Code(rawValue: "malformed-json")
        /// The JSON is valid but a member is missing or has the wrong type.
        public static let unexpectedShape = Code(rawValue: "unexpected-shape")
        /// The tokenizer uses a model or option this loader does not support.
        public static let unsupportedTokenizer = Code(rawValue: "unsupported-tokenizer")
        /// A token entry is invalid: bad hex or base64, a malformed tiktoken line, an id out of range.
        public static let invalidToken = Code(rawValue: "invalid-token")
        /// Two entries define the same token id.
        public static let duplicateID = Code(rawValue: "duplicate-id")
        /// An EOS id lies outside the id space, or an EOS token name is not in the vocabulary.
        public static let invalidEOS = Code(rawValue: "invalid-eos")
        /// The requested id space is smaller than the number of tokens the tokenizer defines.
        public static let sizeTooSmall = Code(rawValue: "size-too-small")
    }

    /// What went wrong, as a named kind.
    public var code: Code
    /// A human-readable explanation.
    public var message: String
    /// The file the error is in, when the input came from a file.
    public var file: String?
    /// The 1-based line in the file, when known.
    public var line: Int?
    /// The byte offset in the file, when known.
    public var offset: Int?

    /// An error of kind `code`, optionally located in `file` at `line` / `offset`.
    public init(_ code: Code, _ message: String, file: String? = nil, line: Int? = nil, offset: Int? = nil) {
        self.code = code
        self.message = message
        self.file = file
        self.line = line
        self.offset = offset
    }

    /// `file:line: code: message (offset N)`, leaving out the parts that are not known.
    public var description: String {
        var place = file ?? ""
        if let line { place += place.isEmpty ? "line \(line)" : ":\(line)" }
        var text = place.isEmpty ? "\(code): \(message)" : "\(place): \(code): \(message)"
        if let offset { text += " (offset \(offset))" }
        return text
    }

    /// The same error, attributed to `path` unless it already names a file.
    func inFile(_ path: String) -> VocabularyError {
        var copy = self
        if copy.file == nil { copy.file = path }
        return copy
    }
}
