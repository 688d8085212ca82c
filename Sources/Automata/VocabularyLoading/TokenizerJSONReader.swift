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
        /// The pieces decoded as they were read (or while the merges were skipped), as the
        /// model read so far says; used only if the whole document says the same.
        var earlyDecoding: (decoding: PieceDecoding, decoded: (bytes: [UInt8], ends: [Int]))?
        /// The table of the early-decoded pieces, built while the merges were skipped.
        var earlyTable: (decoding: PieceDecoding, table: Result<TokenTable, VocabularyError>)?
        /// The merges that follow the vocab, skipped while the vocab was read: where their
        /// value starts and where it ends (or the error skipping it met).
        var mergesAhead: (start: Int, end: Result<Int, VocabularyError>)?
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
        var table = if let early = model.earlyTable, early.decoding == decoding {
            try early.table.get()
        } else if let early = model.earlyDecoding, early.decoding == decoding {
            try Self.table(of: pieces, decoded: early.decoded, decoding: decoding, s)
        } else {
            try Self.table(of: pieces, decoded: decoding.decode(pieces.text, ends: pieces.ends), decoding: decoding, s)
        }
        table.storage.reserveCapacity(table.storage.count + added.reduce(0) { $0 + $1.content.count })
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

    /// The table of the model's `pieces`, `decoded` as `decoding` says; errors located at
    /// the entry (by `s`).
    private static func table(of pieces: Pieces, decoded: (bytes: [UInt8], ends: [Int]), decoding: PieceDecoding,
                              _ s: JSONByteScanner) throws(VocabularyError) -> TokenTable {
        var table = TokenTable(storage: decoded.bytes)
        if let (i, error) = table.define(ids: pieces.ids, ends: decoded.ends) {
            throw s.failure(error.code, error.message, at: pieces.offsets[i])
        }
        if case .sentencePiece = decoding {
            for (i, id) in pieces.ids.enumerated() where id < PieceDecoding.sentencePieceControlPieces.count {
                let piece = pieces.text[(i == 0 ? 0 : pieces.ends[i - 1])..<pieces.ends[i]]
                if decoding.isControlPiece(piece, id: id) { table.markSpecial(id) }
            }
        }
        return table
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
                model.earlyDecoding = nil
                model.earlyTable = nil
                if model.vocabIsList {
                    model.pieces = try unigramVocab(&s)
                } else {
                    // Decoded as they are read, when the model so far says how. Another thread
                    // reads the entries from `split` on and skips the merges after the vocab (most
                    // of a BPE file); this one reads the entries before `split`.
                    let decoding = decoding(of: model, byteLevel: byteLevelSoFar)
                    let spelling = decoding.flatMap(JSONByteScanner.PieceSpelling.init)
                    let start = s
                    let split = Self.split(after: start.position, in: start.bytes)
                    let (read, (tail, ahead)) = Concurrently.run(
                        { Result { () throws(VocabularyError) in
                            var scanner = start
                            let part = try pieceIDVocab(&scanner, decoding: spelling, stoppingAt: split)
                            return (part, scanner.position)
                        } },
                        { Self.readAhead(from: start, split: split, decoding: spelling) })
                    var (part, end) = try read.get()
                    if part.stopped, let tail {
                        let (tailPart, tailEnd) = try tail.get()
                        part.append(tailPart)
                        end = tailEnd
                    }
                    s.position = end
                    model.pieces = part.pieces
                    model.mergesAhead = ahead
                    if let decoding, let decoded = part.decoded { model.earlyDecoding = (decoding, decoded) }
                }
            case "merges" where model.mergesAhead?.start == s.valueStart():
                s.position = try model.mergesAhead!.end.get()
            case "merges":
                guard let pieces = model.pieces, let decoding = decoding(of: model, byteLevel: byteLevelSoFar) else {
                    try s.skipValue()
                    continue
                }
                // The pieces are decoded, or their table built, while the merges are skipped.
                let early = model.earlyDecoding.flatMap { $0.decoding == decoding ? $0.decoded : nil }
                let start = s
                let (table, skipped) = Concurrently.run(
                    { Result { () throws(VocabularyError) -> TokenTable in
                        try Self.table(of: pieces, decoded: early ?? decoding.decode(pieces.text, ends: pieces.ends), decoding: decoding, start)
                    } },
                    { Result { () throws(VocabularyError) -> Int in
                        var merges = start
                        try merges.skipValue()
                        return merges.position
                    } })
                s.position = try skipped.get()
                model.earlyTable = (decoding, table)
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

    /// Where a vocab object starting at `start` is split between two threads: the first entry
    /// after a line break a quarter of the rest of the document on (a raw line break lies
    /// outside any string, and what follows it is an entry when the vocab reaches that far);
    /// nil when the document is small or has no such line break.
    private static func split(after start: Int, in bytes: UnsafeBufferPointer<UInt8>) -> Int? {
        let rest = bytes.count - start
        guard rest >= 1 << 20 else { return nil }
        var p = start + rest / 4
        while p < bytes.count, bytes[p] != 0x0A { p += 1 }
        while p < bytes.count, JSONByteScanner.isWhitespace(bytes[p]) { p += 1 }
        return p < bytes.count && bytes[p] == UInt8(ascii: "\"") ? p : nil
    }

    /// The other thread's share of reading a vocab object that starts at `start`: its entries
    /// from `split` on (read as the first thread would read them, should it stop there), then
    /// the merges after the vocab, skipped.
    private static func readAhead(from start: JSONByteScanner, split: Int?, decoding spelling: JSONByteScanner.PieceSpelling?)
        -> (tail: Result<(VocabPart, Int), VocabularyError>?, merges: (start: Int, end: Result<Int, VocabularyError>)?) {
        guard let split else { return (nil, mergesAhead(of: start)) }
        var scanner = start
        scanner.position = split
        let tail = Result { () throws(VocabularyError) -> (VocabPart, Int) in
            let part = try pieceIDVocab(&scanner, decoding: spelling, fromEntry: true)
            return (part, scanner.position)
        }
        guard case .success = tail else { return (tail, mergesAhead(of: start)) }
        return (tail, mergesAhead(after: scanner))
    }

    /// Skips the value at `start` (the model's vocab) and the merges after it, as
    /// `mergesAhead(after:)` says.
    private static func mergesAhead(of start: JSONByteScanner) -> (start: Int, end: Result<Int, VocabularyError>)? {
        var s = start
        do throws(VocabularyError) {
            try s.skipValue()
        } catch {
            return nil
        }
        return mergesAhead(after: s)
    }

    /// When the member after the value `vocabEnd` stands after is `merges`, skips it: where the
    /// merges start, and where they end or the error skipping them met. Nil when no merges
    /// follow (or the vocab does not parse: its reader reports why).
    private static func mergesAhead(after vocabEnd: JSONByteScanner) -> (start: Int, end: Result<Int, VocabularyError>)? {
        var s = vocabEnd
        do throws(VocabularyError) {
            var first = false
            guard try s.nextMember(&first), try s.key() == "merges" else { return nil }
        } catch {
            return nil
        }
        let mergesStart = s.valueStart()
        return (mergesStart, Result { () throws(VocabularyError) -> Int in
            try s.skipValue()
            return s.position
        })
    }

    /// The entries of a `{"piece": id, …}` vocabulary read by one thread.
    private struct VocabPart {
        var pieces: Pieces
        /// The bytes of the pieces, decoded as they were read.
        var decoded: (bytes: [UInt8], ends: [Int])?
        /// Whether the reading stopped before the last entry, at the position asked.
        var stopped: Bool

        /// Appends the entries `tail` read after these.
        mutating func append(_ tail: VocabPart) {
            let (textBase, decodedBase) = (pieces.text.count, decoded?.bytes.count ?? 0)
            pieces.text.append(contentsOf: tail.pieces.text)
            pieces.ends.append(contentsOf: tail.pieces.ends.lazy.map { $0 + textBase })
            pieces.ids.append(contentsOf: tail.pieces.ids)
            pieces.offsets.append(contentsOf: tail.pieces.offsets)
            if let tailDecoded = tail.decoded {
                decoded?.bytes.append(contentsOf: tailDecoded.bytes)
                decoded?.ends.append(contentsOf: tailDecoded.ends.lazy.map { $0 + decodedBase })
            }
            stopped = tail.stopped
        }
    }

    /// Reads a `{"piece": id, …}` vocabulary (BPE, WordPiece); with a `spelling`, also the bytes
    /// each piece stands for, decoded in the same pass (one buffer, and each piece's end in it).
    ///
    /// - Parameters:
    ///   - stop: stop before the entry at this offset, if the reading comes to it.
    ///   - fromEntry: whether `s` stands at an entry after the first one (rather than at the object).
    private static func pieceIDVocab(_ s: inout JSONByteScanner, decoding spelling: JSONByteScanner.PieceSpelling?,
                                     stoppingAt stop: Int? = nil, fromEntry: Bool = false) throws(VocabularyError) -> VocabPart {
        let remaining = s.bytes.count - s.position
        if !fromEntry { try s.beginObject("model.vocab") }
        var stopped = false
        let decoding = spelling?.decoding
        var failure: VocabularyError?
        // Keys are written straight into the text (no key is longer than the rest of the
        // document; 8 bytes more for whole-word stores), and decoded straight into `decoded`,
        // which they never outgrow (no piece grows when decoded); the few keys with escapes
        // are decoded into `escaped` first. The columns have room for every entry the rest of
        // the document can hold (`"":0,` takes 5 bytes); room never written costs no memory.
        var escaped: [UInt8] = []
        var text: [UInt8] = []
        var columns = EntryColumns()
        let decoded = [UInt8](unsafeUninitializedCapacity: spelling == nil ? 0 : remaining + 8) { decodedBuffer, decodedCount in
            text = [UInt8](unsafeUninitializedCapacity: remaining + 8) { text, written in
                columns = EntryColumns(capacity: remaining / 5 + 1) { offsets, ends, ids, decodedEnds in
                    ByteLevelAlphabet.byteForScalar.withUnsafeBufferPointer { alphabet in
                        let out = text.baseAddress!
                        let decodedOut = decodedBuffer.baseAddress ?? out
                        var n = 0
                        do throws(VocabularyError) {
                            var first = !fromEntry
                            var more = fromEntry ? true : try s.nextMember(&first)
                            while more {
                                if s.position == stop {
                                    stopped = true
                                    break
                                }
                                offsets[n] = s.position
                                if let spelling, let member = s.pieceMember(spelling, raw: out + written, decoded: decodedOut + decodedCount,
                                                                              alphabet: alphabet.baseAddress!) {
                                    written += member.rawCount
                                    decodedCount += member.decodedCount
                                    ids[n] = member.id
                                } else if spelling == nil, let (key, value) = s.plainKeyedInteger() {
                                    if let keyBytes = key.baseAddress { (out + written).initialize(from: keyBytes, count: key.count) }
                                    written += key.count
                                    ids[n] = value
                                } else {
                                    escaped.removeAll(keepingCapacity: true)
                                    try s.key(appendingTo: &escaped)
                                    escaped.withUnsafeBufferPointer { key in
                                        if let keyBytes = key.baseAddress { (out + written).initialize(from: keyBytes, count: key.count) }
                                        if let decoding {
                                            decodedCount += decoding.decode(key, into: decodedOut + decodedCount, alphabet: alphabet)
                                        }
                                    }
                                    written += escaped.count
                                    ids[n] = try s.integer("a model.vocab id")
                                }
                                ends[n] = written
                                decodedEnds[n] = decodedCount
                                n += 1
                                more = s.memberSeparator() ? true : try s.nextMember(&first)
                            }
                        } catch {
                            failure = error
                        }
                        return n
                    }
                }
            }
        }
        if let failure { throw failure }
        var pieces = Pieces(remaining: 0)
        (pieces.text, pieces.offsets, pieces.ends, pieces.ids) = (text, columns.offsets, columns.ends, columns.ids)
        return VocabPart(pieces: pieces, decoded: spelling == nil ? nil : (decoded, columns.decodedEnds), stopped: stopped)
    }

    /// The columns of the entries of a `{"piece": id, …}` vocabulary, filled through pointers.
    private struct EntryColumns {
        /// Where each entry starts in the document.
        var offsets: [Int] = []
        /// Where each piece ends in the text.
        var ends: [Int] = []
        /// Each entry's id.
        var ids: [Int] = []
        /// Where each decoded piece ends.
        var decodedEnds: [Int] = []

        init() {}

        /// Columns of room for `capacity` entries, filled by `fill`, which returns how many it wrote.
        init(capacity: Int, _ fill: (_ offsets: UnsafeMutablePointer<Int>, _ ends: UnsafeMutablePointer<Int>,
                                     _ ids: UnsafeMutablePointer<Int>, _ decodedEnds: UnsafeMutablePointer<Int>) -> Int) {
            var count = 0
            var (ends, ids, decodedEnds): ([Int], [Int], [Int]) = ([], [], [])
            offsets = [Int](unsafeUninitializedCapacity: capacity) { offsets, offsetCount in
                ends = [Int](unsafeUninitializedCapacity: capacity) { ends, endCount in
                    ids = [Int](unsafeUninitializedCapacity: capacity) { ids, idCount in
                        decodedEnds = [Int](unsafeUninitializedCapacity: capacity) { decodedEnds, decodedCount in
                            count = fill(offsets.baseAddress!, ends.baseAddress!, ids.baseAddress!, decodedEnds.baseAddress!)
                            precondition(count <= capacity)
                            decodedCount = count
                        }
                        idCount = count
                    }
                    endCount = count
                }
                offsetCount = count
            }
            (self.ends, self.ids, self.decodedEnds) = (ends, ids, decodedEnds)
        }
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
