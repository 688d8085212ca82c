/// Turns text into the token ids a Hugging Face tokenizer produces for it, as
/// `Tokenizer.encode(text, add_special_tokens=False)` does: no BOS/EOS or template added, added
/// tokens (special ones too) found in the text first.
///
/// Built from a `tokenizer.json` with a BPE model: byte-level BPE with `Split` / `ByteLevel`
/// regex pre-tokenization (GPT-2, Llama 3, Qwen 2), `ignore_merges`, and SentencePiece-style BPE
/// (`▁` for spaces through a `Prepend` / `Replace` normalizer or a `Metaspace` pre-tokenizer,
/// `<0xNN>` byte fallback; Llama 2, Mistral, Phi-3, Gemma). The steps run as in the library:
/// 1. added tokens with `normalized: false` are found in the raw text;
/// 2. each run between them is normalized, then searched for added tokens with `normalized: true`;
/// 3. each remaining run is pre-tokenized into pieces, and each piece is encoded by the BPE model.
///
/// The encoder is immutable and `Sendable`; `encode` may run on many threads at once.
public struct TokenEncoder: Sendable {
    private let rawAddedTokens: AddedTokenMatcher
    private let normalizedAddedTokens: AddedTokenMatcher
    private let normalizer: Normalizer
    private let preTokenizer: PreTokenizer
    private let model: BytePairModel

    /// Builds the encoder of a `tokenizer.json` (BPE: merges, pre-tokenizer and normalizer as
    /// the file says).
    ///
    /// - Throws: `malformedJSON` / `unexpectedShape` for a file that is not a tokenizer.json,
    ///   `unsupportedTokenizer` for a model, normalizer, pre-tokenizer or regex outside the
    ///   supported set, `invalidToken` for merges of pieces missing from the vocabulary.
    public init(tokenizerJSON bytes: [UInt8]) throws(VocabularyError) {
        let definition = try bytes.withUnsafeBufferPointer { bytes throws(VocabularyError) in try TokenizerDefinition(bytes) }
        let normalizer = try Normalizer(json: definition.normalizer)
        self.normalizer = normalizer
        preTokenizer = try PreTokenizer(json: definition.preTokenizer)
        model = try BytePairModel(definition.model, readsBytes: preTokenizer.isByteLevel)
        var raw: [AddedTokenMatcher.Token] = []
        var normalized: [AddedTokenMatcher.Token] = []
        for token in definition.addedTokens {
            var matcherToken = AddedTokenMatcher.Token(
                id: token.id, content: token.content, singleWord: token.singleWord,
                leftStrip: token.leftStrip, rightStrip: token.rightStrip)
            if token.normalized {
                // The library looks for a normalized token's content as the normalizer leaves it.
                if let content = token.content.withUnsafeBufferPointer({ normalizer.normalize($0) }) {
                    matcherToken.content = content
                }
                normalized.append(matcherToken)
            } else {
                raw.append(matcherToken)
            }
        }
        rawAddedTokens = AddedTokenMatcher(raw)
        normalizedAddedTokens = AddedTokenMatcher(normalized)
    }

    /// Builds the encoder of the `tokenizer.json` at `path`, or in the folder `path`.
    ///
    /// - Throws: `unreadableFile`, `noVocabularyFile` (a folder without any vocabulary file),
    ///   `unsupportedTokenizer` for another vocabulary format (tokens.jsonl, tiktoken), and the
    ///   errors of `init(tokenizerJSON:)`, naming the file.
    public init(contentsOf path: String) throws(VocabularyError) {
        let file = try VocabularyFile.locate(path)
        guard file.format == .tokenizerJSON else {
            throw VocabularyError(.unsupportedTokenizer, "encoding needs a Hugging Face tokenizer.json (token lists and tiktoken files have no merges)", file: file.path)
        }
        do throws(VocabularyError) {
            try self.init(tokenizerJSON: file.bytes)
        } catch {
            throw error.inFile(file.path)
        }
    }

    /// Reusable buffers for one `encode` call.
    private struct Workspace {
        var rawSegments: [AddedTokenMatcher.Segment] = []
        var normalizedSegments: [AddedTokenMatcher.Segment] = []
        var pieces = PreTokenizer.Pieces()
        var model = BytePairModel.Scratch()
    }

    /// The ids the tokenizer produces for `text`: no special tokens added, added tokens matched
    /// as the Hugging Face library matches them.
    public func encode(_ text: String) -> [Int] {
        var text = text
        var ids: [Int] = []
        ids.reserveCapacity(text.utf8.count / 3)
        var work = Workspace()
        text.withUTF8 { bytes in
            rawAddedTokens.split(bytes, into: &work.rawSegments)
            for segment in work.rawSegments {
                switch segment {
                case .token(let id):
                    ids.append(id)
                case .text(let range):
                    encodeRaw(UnsafeBufferPointer(rebasing: bytes[range]), atStart: range.lowerBound == 0, into: &ids, &work)
                }
            }
        }
        return ids
    }

    /// Normalizes a run of raw text and encodes it, finding the normalized added tokens.
    private func encodeRaw(_ text: UnsafeBufferPointer<UInt8>, atStart: Bool, into ids: inout [Int], _ work: inout Workspace) {
        guard let normalized = normalizer.normalize(text) else {
            encodeNormalized(text, atStart: atStart, into: &ids, &work)
            return
        }
        normalized.withUnsafeBufferPointer { encodeNormalized($0, atStart: atStart, into: &ids, &work) }
    }

    /// Encodes a run of normalized text.
    private func encodeNormalized(_ text: UnsafeBufferPointer<UInt8>, atStart: Bool, into ids: inout [Int], _ work: inout Workspace) {
        guard !normalizedAddedTokens.isEmpty else {
            encodePlain(text, atStart: atStart, into: &ids, &work)
            return
        }
        work.normalizedSegments.removeAll(keepingCapacity: true)
        normalizedAddedTokens.split(text, into: &work.normalizedSegments)
        var segments: [AddedTokenMatcher.Segment] = []
        swap(&segments, &work.normalizedSegments)
        defer { swap(&segments, &work.normalizedSegments) }
        for segment in segments {
            switch segment {
            case .token(let id):
                ids.append(id)
            case .text(let range):
                encodePlain(UnsafeBufferPointer(rebasing: text[range]), atStart: atStart && range.lowerBound == 0, into: &ids, &work)
            }
        }
    }

    /// Pre-tokenizes a run free of added tokens and encodes each piece.
    private func encodePlain(_ text: UnsafeBufferPointer<UInt8>, atStart: Bool, into ids: inout [Int], _ work: inout Workspace) {
        preTokenizer.split(text, atStart: atStart, into: &work.pieces)
        work.pieces.bytes.withUnsafeBufferPointer { bytes in
            for range in work.pieces.ranges {
                model.encode(UnsafeBufferPointer(rebasing: bytes[range]), into: &ids, scratch: &work.model)
            }
        }
    }
}
