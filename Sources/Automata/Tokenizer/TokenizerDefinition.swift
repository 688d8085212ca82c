import Grammar

/// What a Hugging Face `tokenizer.json` says about turning text into ids: the model's pieces and
/// merges as written, the normalizer and pre-tokenizer descriptions, and the added tokens.
///
/// The model's `vocab` and `merges` (hundreds of thousands of entries) are read with
/// `JSONByteScanner` straight into byte buffers; the small members are parsed into `JSONValue`s.
struct TokenizerDefinition {
    /// The `model` member, as written.
    struct Model {
        /// `model.type`.
        var type: String?
        /// The pieces of `model.vocab`, back to back (JSON-decoded UTF-8).
        var pieceText: [UInt8] = []
        /// The end of each piece in `pieceText`.
        var pieceEnds: [Int] = []
        /// The id of each piece.
        var pieceIDs: [Int] = []
        /// The two sides of every merge, back to back: merge `i` is parts `2i` and `2i + 1`.
        var mergeText: [UInt8] = []
        /// The end of each merge part in `mergeText`.
        var mergePartEnds: [Int] = []
        /// `model.unk_token`.
        var unknownPiece: [UInt8]?
        /// `model.byte_fallback`: characters not in the vocabulary become `<0xNN>` byte pieces.
        var byteFallback = false
        /// `model.fuse_unk`: consecutive unknown characters become one unknown token.
        var fuseUnknown = false
        /// `model.ignore_merges`: a word that is a piece is that token, whatever the merges say.
        var ignoreMerges = false
        /// Whether `model.dropout` is set to a non-zero value.
        var hasDropout = false
        /// Whether `model.vocab` is a list (a Unigram model's `[piece, score]` pairs), left unread.
        var vocabIsList = false
        /// Non-empty `continuing_subword_prefix` / `end_of_word_suffix` names, for the error.
        var unsupportedAffixes: [String] = []

        /// The number of merges.
        var mergeCount: Int { mergePartEnds.count / 2 }

        /// Piece `i` of `pieceText`.
        func piece(_ i: Int) -> ArraySlice<UInt8> {
            pieceText[(i == 0 ? 0 : pieceEnds[i - 1])..<pieceEnds[i]]
        }

        /// Part `i` of `mergeText`.
        func mergePart(_ i: Int) -> ArraySlice<UInt8> {
            mergeText[(i == 0 ? 0 : mergePartEnds[i - 1])..<mergePartEnds[i]]
        }
    }

    /// One entry of `added_tokens`.
    struct AddedToken {
        /// The token id.
        var id: Int
        /// The text the token stands for.
        var content: [UInt8]
        /// Whether it matches only as a whole word.
        var singleWord: Bool
        /// Whether it takes the whitespace before it.
        var leftStrip: Bool
        /// Whether it takes the whitespace after it.
        var rightStrip: Bool
        /// Whether it matches the normalized text (else the raw text); by default, when it is not special.
        var normalized: Bool
    }

    /// The model.
    var model = Model()
    /// The `normalizer` member (nil when absent).
    var normalizer: JSONValue?
    /// The `pre_tokenizer` member (nil when absent).
    var preTokenizer: JSONValue?
    /// The `added_tokens` entries.
    var addedTokens: [AddedToken] = []

    /// Reads `bytes`, a whole `tokenizer.json`.
    init(_ bytes: UnsafeBufferPointer<UInt8>) throws(VocabularyError) {
        var s = JSONByteScanner(bytes)
        var sawModel = false
        try s.beginObject("a tokenizer.json document")
        var first = true
        while try s.nextMember(&first) {
            switch try s.key() {
            case "model":
                model = try Self.model(&s)
                sawModel = true
            case "normalizer":
                normalizer = try Self.value(&s)
            case "pre_tokenizer":
                preTokenizer = try Self.value(&s)
            case "added_tokens":
                let offset = s.valueStart()
                addedTokens = try Self.addedTokens(try Self.value(&s), s, at: offset)
            default:
                try s.skipValue()
            }
        }
        guard s.atEnd() else { throw s.syntaxError("unexpected text after the JSON document") }
        guard sawModel else { throw s.failure(.unexpectedShape, "the document has no 'model' member", at: 0) }
    }

    /// The next value as a `JSONValue` (for the small members).
    private static func value(_ s: inout JSONByteScanner) throws(VocabularyError) -> JSONValue {
        let start = s.valueStart()
        try s.skipValue()
        do {
            return try JSONParser().parse(bytes: UnsafeBufferPointer(rebasing: s.bytes[start..<s.position]))
        } catch {
            throw s.failure(.malformedJSON, "\(error)", at: start)
        }
    }

    /// The entries of `added_tokens`.
    private static func addedTokens(_ json: JSONValue, _ s: JSONByteScanner, at offset: Int) throws(VocabularyError) -> [AddedToken] {
        guard json != .null else { return [] }
        guard let items = json.arrayValue else { throw s.failure(.unexpectedShape, "added_tokens must be a list", at: offset) }
        var tokens: [AddedToken] = []
        for item in items {
            guard let id = item["id"]?.numberValue?.intValue, let content = item["content"]?.stringValue else {
                throw s.failure(.unexpectedShape, "an added token needs an integer 'id' and a string 'content'", at: offset)
            }
            let special = item["special"]?.boolValue ?? false
            tokens.append(AddedToken(
                id: id, content: Array(content.utf8),
                singleWord: item["single_word"]?.boolValue ?? false, leftStrip: item["lstrip"]?.boolValue ?? false,
                rightStrip: item["rstrip"]?.boolValue ?? false, normalized: item["normalized"]?.boolValue ?? !special))
        }
        return tokens
    }

    /// Reads the `model` object.
    private static func model(_ s: inout JSONByteScanner) throws(VocabularyError) -> Model {
        var model = Model()
        try s.beginObject("model")
        var first = true
        while try s.nextMember(&first) {
            switch try s.key() {
            case "type":
                model.type = try s.string("model.type")
            case "vocab":
                try vocab(&s, into: &model)
            case "merges":
                try merges(&s, into: &model)
            case "unk_token":
                model.unknownPiece = try s.null() ? nil : Array(try s.string("model.unk_token").utf8)
            case "byte_fallback":
                model.byteFallback = try s.null() ? false : try s.bool("model.byte_fallback")
            case "fuse_unk":
                model.fuseUnknown = try s.null() ? false : try s.bool("model.fuse_unk")
            case "ignore_merges":
                model.ignoreMerges = try s.null() ? false : try s.bool("model.ignore_merges")
            case "dropout":
                let dropout = try value(&s)
                model.hasDropout = dropout != .null && dropout.numberValue?.isZero != true
            case let name where name == "continuing_subword_prefix" || name == "end_of_word_suffix":
                if try !s.null(), try !s.string("model.\(name)").isEmpty { model.unsupportedAffixes.append(name) }
            default:
                try s.skipValue()
            }
        }
        return model
    }

    /// Reads a `{"piece": id, …}` vocabulary; skips a list.
    private static func vocab(_ s: inout JSONByteScanner, into model: inout Model) throws(VocabularyError) {
        if s.peek() == UInt8(ascii: "[") {
            model.vocabIsList = true
            try s.skipValue()
            return
        }
        try s.beginObject("model.vocab")
        var first = true
        while try s.nextMember(&first) {
            try s.key(appendingTo: &model.pieceText)
            model.pieceEnds.append(model.pieceText.count)
            model.pieceIDs.append(try s.integer("a model.vocab id"))
        }
    }

    /// Reads `merges`: `"left right"` strings (lines starting `#version` skipped) or `[left, right]` pairs.
    private static func merges(_ s: inout JSONByteScanner, into model: inout Model) throws(VocabularyError) {
        try s.beginArray("model.merges")
        var first = true
        while try s.nextElement(&first) {
            let offset = s.position
            if s.peek() == UInt8(ascii: "[") {
                try s.beginArray("a merge")
                var firstSide = true
                for _ in 0..<2 {
                    guard try s.nextElement(&firstSide) else { throw s.failure(.unexpectedShape, "a merge pair needs two strings", at: offset) }
                    try s.string("a merge side", appendingTo: &model.mergeText)
                    model.mergePartEnds.append(model.mergeText.count)
                }
                guard try !s.nextElement(&firstSide) else { throw s.failure(.unexpectedShape, "a merge pair has more than two items", at: offset) }
                continue
            }
            let start = model.mergeText.count
            try s.string("a merge", appendingTo: &model.mergeText)
            // Scan without keeping a slice alive, so the edits below do not copy the buffer.
            let space: Int
            switch Self.scanMergeLine(model.mergeText, from: start) {
            case .version:
                model.mergeText.removeSubrange(start...)
                continue
            case .malformed:
                throw s.failure(.unexpectedShape, "a merge string must be two pieces separated by one space", at: offset)
            case .pair(let at):
                space = at
            }
            model.mergeText.remove(at: space)
            model.mergePartEnds.append(space)
            model.mergePartEnds.append(model.mergeText.count)
        }
    }

    /// What a merge string is.
    private enum MergeLine {
        /// A `#version` line, not a merge.
        case version
        /// Two pieces around the one space at this offset.
        case pair(space: Int)
        /// Not one space.
        case malformed
    }

    /// What the merge string `text[start...]` is.
    private static func scanMergeLine(_ text: [UInt8], from start: Int) -> MergeLine {
        let line = text[start...]
        if line.starts(with: "#version".utf8) { return .version }
        guard let space = line.firstIndex(of: 0x20), line[(space + 1)...].firstIndex(of: 0x20) == nil else { return .malformed }
        return .pair(space: space)
    }
}
