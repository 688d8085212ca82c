/// Reads a Hugging Face `tokenizer.json` into a token table.
///
/// Dispatches on `model.type`:
/// * `BPE`: byte-level (GPT-2 alphabet) when the `pre_tokenizer` or `decoder` contains a
///   `ByteLevel` step, SentencePiece-style (`▁`, `<0xNN>` with `byte_fallback`) otherwise;
/// * `Unigram`: `model.vocab` is a list of `[piece, score]`, the id is the position;
///   SentencePiece-style unless `ByteLevel` is present;
/// * `WordPiece`: see `PieceDecoding.wordPiece`.
///
/// The model's unknown token (`unk_token`, `unk_id`) is special. `added_tokens` then override or
/// extend the model's ids: a special one stands for the UTF-8 of its content and is marked
/// special; a non-special one stands for its content as text.
/// Only the members needed are decoded; merges and the rest are skipped (but checked to be JSON).
struct TokenizerJSONReader {
    /// The tokens, by id.
    let table: TokenTable
    /// The tokenizer family.
    let kind: Vocabulary.Kind

    /// The model's pieces as written (JSON-decoded UTF-8), before they are turned into bytes.
    private struct Pieces {
        var text: [UInt8] = []
        var ends: [Int] = []
        var ids: [Int] = []
        var offsets: [Int] = []   // of each entry in the file, for errors

        /// Empty, with room for the entries of a vocabulary in the `remaining` bytes of the
        /// file. An entry takes more than 16 bytes and its piece is shorter than the entry in
        /// all the files seen, so the arrays never grow (growing would copy them and touch new
        /// pages); the room is only reserved, not touched.
        init(remaining: Int) {
            text.reserveCapacity(remaining / 2)
            ends.reserveCapacity(remaining / 16)
            ids.reserveCapacity(remaining / 16)
            offsets.reserveCapacity(remaining / 16)
        }
    }

    /// What the `model` member says.
    private struct Model {
        var type: String?
        var pieces: Pieces?
        var vocabIsList = false
        var vocabOffset = 0
        var byteFallback = false
        var unknownPiece: [UInt8]?   // BPE, WordPiece `unk_token`
        var unknownID: Int?          // Unigram `unk_id`
        var continuingSubwordPrefix: [UInt8]?
        var endOfWordSuffix: [UInt8]?
        /// The pieces decoded while the merges were skipped, as the model read so far says;
        /// used only if the whole document says the same.
        var earlyDecoding: (decoding: PieceDecoding, decoded: (bytes: [UInt8], ends: [Int]))?
    }

    /// One entry of `added_tokens`.
    private struct AddedToken {
        var id: Int
        var content: [UInt8]
        var special: Bool
        var offset: Int
    }

    /// Reads `bytes`, a whole `tokenizer.json`.
    init(_ bytes: UnsafeBufferPointer<UInt8>) throws(VocabularyError) {
        var s = JSONByteScanner(bytes)
        var model: Model?
        var modelOffset = 0
        var added: [AddedToken] = []
        var byteLevel = false
        try s.beginObject("a tokenizer.json document")
        var first = true
        while try s.nextMember(&first) {
            switch try s.key() {
            case "added_tokens":
                if try !s.null() { added = try Self.addedTokens(&s) }
            case "pre_tokenizer", "decoder":
                if try Self.skipValue(&s, findingType: "ByteLevel", depth: 0) { byteLevel = true }
            case "model":
                modelOffset = s.valueStart()
                model = try Self.model(&s, byteLevelSoFar: byteLevel)
            default:
                try s.skipValue()
            }
        }
        guard s.atEnd() else { throw s.syntaxError("unexpected text after the JSON document") }
        guard let model else { throw s.failure(.unexpectedShape, "the document has no 'model' member", at: 0) }

        switch model.type {
        case "BPE":
            for (name, value) in [("continuing_subword_prefix", model.continuingSubwordPrefix), ("end_of_word_suffix", model.endOfWordSuffix)]
            where !(value ?? []).isEmpty {
                throw s.failure(.unsupportedTokenizer, "BPE with a non-empty model.\(name) is not supported", at: modelOffset)
            }
            kind = byteLevel ? .byteLevelBPE : .sentencePieceBPE
        case "Unigram":
            kind = .unigram
        case "WordPiece":
            kind = .wordPiece
        case let other?:
            throw s.failure(.unsupportedTokenizer, "model type '\(other)' is not supported (BPE, Unigram and WordPiece are)", at: modelOffset)
        case nil:
            throw s.failure(.unexpectedShape, "the model has no 'type' member", at: modelOffset)
        }
        guard let pieces = model.pieces else {
            throw s.failure(.unexpectedShape, "the model has no 'vocab' member", at: modelOffset)
        }
        guard model.vocabIsList == (kind == .unigram) else {
            let expected = kind == .unigram ? "a list of [piece, score]" : "an object of piece: id"
            throw s.failure(.unexpectedShape, "model.vocab of a \(model.type ?? "") model must be \(expected)", at: model.vocabOffset)
        }

        guard let decoding = Self.decoding(of: model, byteLevel: byteLevel) else {
            throw s.failure(.unsupportedTokenizer, "model type '\(model.type ?? "")' is not supported", at: modelOffset)
        }
        let decoded = if let early = model.earlyDecoding, early.decoding == decoding {
            early.decoded
        } else {
            decoding.decode(pieces.text, ends: pieces.ends)
        }
        var table = TokenTable(storage: decoded.bytes, capacity: pieces.ids.count + added.count,
                           byteCapacity: decoded.bytes.count + added.reduce(0) { $0 + $1.content.count })
        var pieceStart = 0, tokenStart = 0
        for (i, id) in pieces.ids.enumerated() {
            let special = decoding.isControlPiece(pieces.text[pieceStart..<pieces.ends[i]], id: id)
            do throws(VocabularyError) {
                try table.define(id, bytes: tokenStart..<decoded.ends[i], special: special)
            } catch {
                throw s.failure(error.code, error.message, at: pieces.offsets[i])
            }
            pieceStart = pieces.ends[i]
            tokenStart = decoded.ends[i]
        }
        var addedIDs = Set<Int>()
        for token in added {
            guard addedIDs.insert(token.id).inserted else {
                throw s.failure(.duplicateID, "added token id \(token.id) is listed twice", at: token.offset)
            }
            let tokenStart = table.storage.count
            table.storage.append(contentsOf: token.content)
            let special = token.special || decoding.isControlPiece(token.content, id: token.id)
            do throws(VocabularyError) {
                try table.define(token.id, bytes: tokenStart..<table.storage.count, special: special, replacing: true)
            } catch {
                throw s.failure(error.code, error.message, at: token.offset)
            }
        }
        if let id = model.unknownID ?? Self.id(of: model.unknownPiece, in: pieces) {
            table.markSpecial(id)
        }
        self.table = table
    }

    /// The id of the entry spelled `piece`.
    private static func id(of piece: [UInt8]?, in pieces: Pieces) -> Int? {
        guard let piece else { return nil }
        var start = 0
        for (i, end) in pieces.ends.enumerated() {
            if pieces.text[start..<end].elementsEqual(piece) { return pieces.ids[i] }
            start = end
        }
        return nil
    }

    /// How the pieces of `model` spell their bytes, when the `pre_tokenizer` and `decoder`
    /// say `byteLevel`; nil for a model type that is not supported.
    private static func decoding(of model: Model, byteLevel: Bool) -> PieceDecoding? {
        switch model.type {
        case "BPE", "Unigram": byteLevel ? .byteLevel : .sentencePiece(byteFallback: model.byteFallback)
        case "WordPiece": .wordPiece(continuationPrefix: model.continuingSubwordPrefix ?? Array("##".utf8))
        default: nil
        }
    }

    /// Reads the `model` object; `byteLevelSoFar` is whether the members before it have a
    /// `ByteLevel` step.
    ///
    /// The merges, most of a BPE file, are only skipped (checked to be JSON); meanwhile the
    /// pieces are decoded as the document read so far says, which the reader then checks.
    private static func model(_ s: inout JSONByteScanner, byteLevelSoFar: Bool) throws(VocabularyError) -> Model {
        var model = Model()
        try s.beginObject("model")
        var first = true
        while try s.nextMember(&first) {
            switch try s.key() {
            case "type":
                model.type = try s.string("model.type")
            case "vocab":
                model.vocabOffset = s.valueStart()
                model.vocabIsList = s.peek() == UInt8(ascii: "[")
                model.pieces = model.vocabIsList ? try unigramVocab(&s) : try pieceIDVocab(&s)
                model.earlyDecoding = nil
            case "merges":
                guard let pieces = model.pieces, let decoding = decoding(of: model, byteLevel: byteLevelSoFar) else {
                    try s.skipValue()
                    continue
                }
                let start = s
                let (decoded, skipped) = Concurrently.run(
                    { decoding.decode(pieces.text, ends: pieces.ends) },
                    { Result { () throws(VocabularyError) -> Int in
                        var merges = start
                        try merges.skipValue()
                        return merges.position
                    } })
                s.position = try skipped.get()
                model.earlyDecoding = (decoding, decoded)
            case "unk_token":
                model.unknownPiece = try s.null() ? nil : Array(try s.string("model.unk_token").utf8)
            case "unk_id":
                model.unknownID = try s.null() ? nil : try s.integer("model.unk_id")
            case "byte_fallback":
                model.byteFallback = try s.null() ? false : try s.bool("model.byte_fallback")
            case "continuing_subword_prefix":
                model.continuingSubwordPrefix = try s.null() ? nil : Array(try s.string("model.continuing_subword_prefix").utf8)
            case "end_of_word_suffix":
                model.endOfWordSuffix = try s.null() ? nil : Array(try s.string("model.end_of_word_suffix").utf8)
            default:
                try s.skipValue()
            }
        }
        return model
    }

    /// Reads a `{"piece": id, …}` vocabulary (BPE, WordPiece).
    private static func pieceIDVocab(_ s: inout JSONByteScanner) throws(VocabularyError) -> Pieces {
        let remaining = s.bytes.count - s.position
        try s.beginObject("model.vocab")
        // Room for every entry, as in `Pieces(remaining:)`.
        var offsets: [Int] = [], ends: [Int] = [], ids: [Int] = []
        offsets.reserveCapacity(remaining / 16)
        ends.reserveCapacity(remaining / 16)
        ids.reserveCapacity(remaining / 16)
        var failure: VocabularyError?
        // Keys are written straight into the text (no key is longer than the rest of the
        // document); the few with escapes are decoded into `escaped` first.
        var escaped: [UInt8] = []
        let text = [UInt8](unsafeUninitializedCapacity: max(1, remaining)) { text, written in
            let out = UnsafeMutableRawPointer(text.baseAddress!)
            do throws(VocabularyError) {
                var first = true
                while try s.nextMember(&first) {
                    offsets.append(s.position)
                    let id: Int
                    if let (key, value) = s.plainKeyedInteger() {
                        if let keyBytes = key.baseAddress { (out + written).copyMemory(from: keyBytes, byteCount: key.count) }
                        written += key.count
                        id = value
                    } else {
                        escaped.removeAll(keepingCapacity: true)
                        try s.key(appendingTo: &escaped)
                        escaped.withUnsafeBytes { key in
                            if let keyBytes = key.baseAddress { (out + written).copyMemory(from: keyBytes, byteCount: key.count) }
                        }
                        written += escaped.count
                        id = try s.integer("a model.vocab id")
                    }
                    ends.append(written)
                    ids.append(id)
                }
            } catch {
                failure = error
            }
        }
        if let failure { throw failure }
        var pieces = Pieces(remaining: 0)
        (pieces.text, pieces.offsets, pieces.ends, pieces.ids) = (text, offsets, ends, ids)
        return pieces
    }

    /// Reads a `[["piece", score], …]` vocabulary (Unigram); ids are positions.
    private static func unigramVocab(_ s: inout JSONByteScanner) throws(VocabularyError) -> Pieces {
        var pieces = Pieces(remaining: s.bytes.count - s.position)
        try s.beginArray("model.vocab")
        var first = true
        while try s.nextElement(&first) {
            let offset = s.position
            let entry = "a Unigram vocab entry (a [piece, score] pair)"
            try s.beginArray(entry)
            var firstItem = true
            guard try s.nextElement(&firstItem) else { throw s.failure(.unexpectedShape, "\(entry) is empty", at: offset) }
            try s.string(entry, appendingTo: &pieces.text)
            guard try s.nextElement(&firstItem), let b = s.peek(), b == UInt8(ascii: "-") || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(b) else {
                throw s.failure(.unexpectedShape, "\(entry) has no score", at: offset)
            }
            try s.skipValue()
            guard try !s.nextElement(&firstItem) else { throw s.failure(.unexpectedShape, "\(entry) has more than 2 items", at: offset) }
            pieces.offsets.append(offset)
            pieces.ends.append(pieces.text.count)
            pieces.ids.append(pieces.ids.count)
        }
        return pieces
    }

    /// Reads the `added_tokens` list.
    private static func addedTokens(_ s: inout JSONByteScanner) throws(VocabularyError) -> [AddedToken] {
        var tokens: [AddedToken] = []
        try s.beginArray("added_tokens")
        var first = true
        while try s.nextElement(&first) {
            let offset = s.position
            try s.beginObject("an added token")
            var id: Int?
            var content: [UInt8]?
            var special = false
            var firstMember = true
            while try s.nextMember(&firstMember) {
                switch try s.key() {
                case "id": id = try s.integer("an added token's id")
                case "content":
                    var bytes: [UInt8] = []
                    try s.string("an added token's content", appendingTo: &bytes)
                    content = bytes
                case "special": special = try s.bool("an added token's 'special'")
                default: try s.skipValue()
                }
            }
            guard let id, let content else {
                throw s.failure(.unexpectedShape, "an added token needs an integer 'id' and a string 'content'", at: offset)
            }
            tokens.append(AddedToken(id: id, content: content, special: special, offset: offset))
        }
        return tokens
    }

    /// Skips a value, reporting whether it holds, at any depth, an object whose `type` is `name`.
    private static func skipValue(_ s: inout JSONByteScanner, findingType name: String, depth: Int) throws(VocabularyError) -> Bool {
        guard depth < JSONByteScanner.maxDepth else { throw s.syntaxError("nesting deeper than \(JSONByteScanner.maxDepth) levels") }
        var found = false
        var first = true
        switch s.peek() {
        case UInt8(ascii: "{"):
            try s.beginObject("")
            while try s.nextMember(&first) {
                if try s.key() == "type", s.peek() == UInt8(ascii: "\"") {
                    if try s.string("type") == name { found = true }
                } else if try skipValue(&s, findingType: name, depth: depth + 1) {
                    found = true
                }
            }
        case UInt8(ascii: "["):
            try s.beginArray("")
            while try s.nextElement(&first) {
                if try skipValue(&s, findingType: name, depth: depth + 1) { found = true }
            }
        default:
            try s.skipValue()
        }
        return found
    }
}
