import Foundation

extension Vocabulary {
    /// Loads the vocabulary at `path`.
    ///
    /// `path` is a Hugging Face `tokenizer.json`, a `tokens.jsonl`, a tiktoken rank file (such as
    /// Llama 3's `tokenizer.model`: a base64 token and its rank per line), or a folder holding
    /// one of them (`tokenizer.json` first, then `tokens.jsonl`, then a tiktoken file).
    ///
    /// A tiktoken file has no special tokens: those of `added_tokens_decoder` in a
    /// `tokenizer_config.json` beside it are added.
    ///
    /// - Parameters:
    ///   - eos: the ids that end generation. When nil they are read from `tokenizer_config.json`
    ///     (`eos_token`), `config.json` and `generation_config.json` (`eos_token_id`) beside the
    ///     file, and completed with special tokens of well-known end-marker names such as
    ///     `<|eot_id|>`, `<|end_of_text|>`, `<|endoftext|>`, `<|im_end|>`, `</s>`, `<eos>`,
    ///     `<end_of_turn>` (see `EOSResolution` for the exact rule).
    ///   - size: the model's id space when its logits outnumber the tokenizer's ids; at least
    ///     the number of ids the file defines.
    /// - Throws: a `VocabularyError` naming the file, and the line or offset where it applies.
    public init(contentsOf path: String, eos: [Int]? = nil, size: Int? = nil) throws(VocabularyError) {
        let file = try VocabularyFile.locate(path)
        do throws(VocabularyError) {
            // The configuration files beside the vocabulary are read while it is parsed; errors
            // come in the same order as when read one after the other.
            let folder = URL(fileURLWithPath: file.path).deletingLastPathComponent().path
            let needsConfig = eos == nil || file.format == .tiktoken
            let (parsed, configured) = Concurrently.run(
                { Result { () throws(VocabularyError) in try Self.table(of: file.bytes, format: file.format) } },
                { Result { () throws(VocabularyError) in needsConfig ? try TokenizerConfigFiles(folder: folder) : nil } })
            var (table, kind) = try parsed.get()
            let config = try configured.get()
            if let config, file.format == .tiktoken {
                for token in config.addedTokens {
                    let start = table.storage.count
                    table.storage.append(contentsOf: token.content.utf8)
                    do throws(VocabularyError) {
                        try table.define(token.id, bytes: start..<table.storage.count, special: token.special, replacing: true)
                    } catch {
                        throw VocabularyError(error.code, "added_tokens_decoder: \(error.message)", file: config.tokenizerConfigPath)
                    }
                }
            }
            let eosIDs = if let eos { eos } else {
                try EOSResolution.resolve(configured: config?.eos ?? [], in: table, idSpace: max(size ?? 0, table.count))
            }
            self = try table.vocabulary(kind: kind, eos: eosIDs, size: size)
        } catch {
            throw error.inFile(file.path)
        }
    }

    /// The token table of a vocabulary file's `bytes`, and its tokenizer family.
    private static func table(of bytes: [UInt8], format: VocabularyFile.Format) throws(VocabularyError) -> (TokenTable, Kind) {
        try bytes.withUnsafeBufferPointer { bytes throws(VocabularyError) -> (TokenTable, Kind) in
            switch format {
            case .tokenizerJSON:
                let reader = try TokenizerJSONReader(bytes)
                return (reader.table, reader.kind)
            case .tokensJSONL:
                return (try TokensJSONL.read(bytes), .tokenList)
            case .tiktoken:
                return (try TiktokenReader.read(bytes), .tiktoken)
            }
        }
    }

    /// Reads a Hugging Face `tokenizer.json` (`model.type` BPE, Unigram or WordPiece).
    ///
    /// Byte-level BPE pieces are mapped back through GPT-2's byte↔unicode alphabet;
    /// SentencePiece-style pieces have `▁` as a space and `<0xNN>` as a byte; a WordPiece piece
    /// is a space and the piece, or with `##` the rest of the piece (so token bytes join to
    /// " " + text, as with SentencePiece's dummy prefix). Added tokens override the model's
    /// pieces: special ones stand for the UTF-8 of their content and are special, others for
    /// their text. The model's unknown token, and SentencePiece's `<unk>`, `<s>`, `</s>` at ids
    /// 0, 1, 2, are always special. Ids missing from the file (up to the largest) are empty
    /// special tokens.
    ///
    /// - Parameter eos: the ids that end generation; when nil, the special tokens of well-known
    ///   end-marker names (`EOSResolution.wellKnownNames`).
    public init(tokenizerJSON bytes: [UInt8], eos: [Int]? = nil) throws(VocabularyError) {
        let reader = try bytes.withUnsafeBufferPointer { bytes throws(VocabularyError) in try TokenizerJSONReader(bytes) }
        let eosIDs = if let eos { eos } else {
            try EOSResolution.resolve(configured: [], in: reader.table, idSpace: reader.table.count)
        }
        self = try reader.table.vocabulary(kind: reader.kind, eos: eosIDs, size: nil)
    }

    /// Reads a `tokens.jsonl`: one `{"id": N, "bytes_hex": "…", "special": bool}` object per line.
    ///
    /// Ids may come in any order; missing ids (up to the largest) are empty special tokens.
    /// - Parameter eos: the ids that end generation.
    public init(tokensJSONL bytes: [UInt8], eos: [Int]) throws(VocabularyError) {
        let table = try bytes.withUnsafeBufferPointer { bytes throws(VocabularyError) in try TokensJSONL.read(bytes) }
        self = try table.vocabulary(kind: .tokenList, eos: eos, size: nil)
    }
}
