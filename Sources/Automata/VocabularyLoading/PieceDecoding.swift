/// How a `tokenizer.json` model spells the bytes of a token in its piece string.
enum PieceDecoding: Equatable {
    /// GPT-2's byte↔unicode alphabet (a `ByteLevel` pre-tokenizer or decoder).
    case byteLevel
    /// SentencePiece: `▁` (U+2581) is a space; with byte fallback `<0xNN>` is the byte 0xNN.
    case sentencePiece(byteFallback: Bool)
    /// WordPiece: a piece starting with the continuation prefix (`##`) continues a word and
    /// stands for the rest of the piece; any other piece starts a word and stands for a space
    /// followed by the piece, as the WordPiece decoder joins words with spaces. Concatenated
    /// token bytes are then " " + text, like SentencePiece's dummy prefix.
    case wordPiece(continuationPrefix: [UInt8])

    /// SentencePiece's default control pieces at their default ids (`spm_train`'s unk 0, bos 1,
    /// eos 2): never text, whatever `added_tokens` says of them (Phi-3 lists `</s>` as not
    /// special). The same names at other ids are ordinary text (Gemma's HTML `<s>`, `</s>`).
    static let sentencePieceControlPieces: [[UInt8]] = ["<unk>", "<s>", "</s>"].map { Array($0.utf8) }

    /// The bytes of every piece of `text`, piece `i` ending at `ends[i]`: one buffer, and the
    /// end of each token in it.
    func decode(_ text: [UInt8], ends: [Int]) -> (bytes: [UInt8], ends: [Int]) {
        var tokenEnds: [Int] = []
        tokenEnds.reserveCapacity(ends.count)
        // No piece grows by more than one byte (WordPiece's leading space).
        let bytes = [UInt8](unsafeUninitializedCapacity: text.count + ends.count) { out, initialized in
            text.withUnsafeBufferPointer { text in
                ByteLevelAlphabet.byteForScalar.withUnsafeBufferPointer { alphabet in
                    guard let base = out.baseAddress else { return }
                    var start = 0
                    for end in ends {
                        let piece = UnsafeBufferPointer(rebasing: text[start..<end])
                        initialized += decode(piece, into: base + initialized, alphabet: alphabet)
                        tokenEnds.append(initialized)
                        start = end
                    }
                }
            }
        }
        return (bytes, tokenEnds)
    }

    /// Writes the bytes `piece` stands for to `out`, which has room for `piece.count + 1`
    /// bytes, and returns how many it wrote; `alphabet` is `ByteLevelAlphabet.byteForScalar`.
    func decode(_ piece: UnsafeBufferPointer<UInt8>, into out: UnsafeMutablePointer<UInt8>,
                        alphabet: UnsafeBufferPointer<Int16>) -> Int {
        switch self {
        case .byteLevel:
            return ByteLevelAlphabet.decode(piece, into: out, table: alphabet)
        case .sentencePiece(let byteFallback):
            if byteFallback, let byte = Self.fallbackByte(piece) {
                out[0] = byte
                return 1
            }
            var i = 0
            var written = 0
            while i < piece.count {
                if piece[i] == 0xE2, i + 2 < piece.count, piece[i + 1] == 0x96, piece[i + 2] == 0x81 {
                    out[written] = 0x20
                    i += 3
                } else {
                    out[written] = piece[i]
                    i += 1
                }
                written += 1
            }
            return written
        case .wordPiece(let prefix):
            if piece.starts(with: prefix) {
                let rest = UnsafeBufferPointer(rebasing: piece[prefix.count...])
                _ = UnsafeMutableBufferPointer(start: out, count: rest.count).initialize(from: rest)
                return rest.count
            }
            out[0] = 0x20
            _ = UnsafeMutableBufferPointer(start: out + 1, count: piece.count).initialize(from: piece)
            return piece.count + 1
        }
    }

    /// Whether token `id`, spelled `piece`, is always a special token under this decoding.
    func isControlPiece(_ piece: some Collection<UInt8>, id: Int) -> Bool {
        guard case .sentencePiece = self, id >= 0, id < Self.sentencePieceControlPieces.count else { return false }
        return Self.sentencePieceControlPieces[id].elementsEqual(piece)
    }

    /// The byte of a `<0xNN>` piece.
    static func fallbackByte(_ piece: UnsafeBufferPointer<UInt8>) -> UInt8? {
        guard piece.count == 6, piece[0] == UInt8(ascii: "<"), piece[1] == UInt8(ascii: "0"),
              piece[2] == UInt8(ascii: "x"), piece[5] == UInt8(ascii: ">"),
              let high = HexDigits.value(of: piece[3]), let low = HexDigits.value(of: piece[4]) else { return nil }
        return high << 4 | low
    }
}
