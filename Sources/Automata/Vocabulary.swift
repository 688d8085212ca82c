/// A tokenizer's vocabulary as a grammar engine needs it: every token id's exact bytes, which
/// ids end generation (EOS), and which ids are special (never produced as text).
///
/// Token bytes live in one contiguous buffer. `size` is the id space the model's logits use; it
/// may exceed the number of tokens the tokenizer defines, and such padding ids are never allowed.
public struct Vocabulary: Sendable {
    /// How the tokenizer turns text into tokens; decides how token strings map to bytes.
    public enum Kind: String, Sendable, Hashable {
        /// Byte-level BPE (GPT-2, Llama 3, Qwen): token strings use the GPT-2 byte↔unicode map.
        case byteLevelBPE = "byte-level-bpe"
        /// SentencePiece-style BPE with `▁` for space and `<0xNN>` byte-fallback tokens (Llama 2, Mistral).
        case sentencePieceBPE = "sentencepiece-bpe"
        /// Unigram model (SentencePiece unigram, T5-like).
        case unigram
        /// WordPiece (BERT-like); `##` marks a continuation.
        case wordPiece = "wordpiece"
        /// tiktoken rank file (base64 bytes and rank per line).
        case tiktoken
        /// A plain list of token bytes (`tokens.jsonl`, or built in code).
        case tokenList = "token-list"
    }

    /// The tokenizer family the vocabulary came from.
    public let kind: Kind
    /// The number of token ids: masks have this many bits.
    public let size: Int
    /// The ids that end generation.
    public let eosTokens: [Int]

    private let storage: [UInt8]
    private let offsets: [Int32]        // count = definedCount + 1
    private let specialFlags: [Bool]    // count = definedCount

    /// Builds a vocabulary from each id's bytes (`tokens[i]` is token `i`).
    ///
    /// - Parameters:
    ///   - tokens: the bytes of every defined token id, in id order.
    ///   - special: the ids of special tokens (never allowed as text); EOS ids may be among them.
    ///   - eos: the ids that end generation.
    ///   - size: the model's id space; at least `tokens.count` (defaults to it).
    ///   - kind: the tokenizer family.
    public init(tokens: [[UInt8]], special: Set<Int> = [], eos: [Int], size: Int? = nil, kind: Kind = .tokenList) {
        var storage: [UInt8] = []
        storage.reserveCapacity(tokens.reduce(0) { $0 + $1.count })
        var offsets: [Int32] = [0]
        offsets.reserveCapacity(tokens.count + 1)
        for t in tokens {
            storage.append(contentsOf: t)
            offsets.append(Int32(storage.count))
        }
        self.storage = storage
        self.offsets = offsets
        self.specialFlags = (0..<tokens.count).map { special.contains($0) }
        self.eosTokens = eos.filter { $0 >= 0 && $0 < max(size ?? 0, tokens.count) }
        self.size = max(size ?? tokens.count, tokens.count)
        self.kind = kind
    }

    /// The number of ids the tokenizer defines (the rest, up to `size`, are padding).
    public var definedCount: Int { offsets.count - 1 }

    /// The bytes of token `id` (empty for padding ids).
    public func bytes(of id: Int) -> ArraySlice<UInt8> {
        guard id >= 0, id < definedCount else { return [] }
        return storage[Int(offsets[id])..<Int(offsets[id + 1])]
    }

    /// Calls `body` with the concatenated bytes of all defined tokens and the offsets of each
    /// token's bytes in it (token `i` is `bytes[offsets[i]..<offsets[i + 1]]`), without copying.
    public func withTokenStorage<R>(_ body: (_ bytes: UnsafeBufferPointer<UInt8>, _ offsets: UnsafeBufferPointer<Int32>) throws -> R) rethrows -> R {
        try storage.withUnsafeBufferPointer { bytes in
            try offsets.withUnsafeBufferPointer { offsets in try body(bytes, offsets) }
        }
    }

    /// Whether `id` is a special token (control token, never emitted as text).
    public func isSpecial(_ id: Int) -> Bool {
        id >= 0 && id < definedCount && specialFlags[id]
    }

    /// Whether `id` ends generation.
    public func isEOS(_ id: Int) -> Bool { eosTokens.contains(id) }

    /// The same vocabulary with other EOS ids.
    public func withEOS(_ eos: [Int]) -> Vocabulary {
        Vocabulary(kind: kind, size: size, eos: eos, storage: storage, offsets: offsets, special: specialFlags)
    }

    /// The same vocabulary with a larger id space (model logits beyond the tokenizer).
    public func withSize(_ newSize: Int) -> Vocabulary {
        Vocabulary(kind: kind, size: max(newSize, definedCount), eos: eosTokens, storage: storage, offsets: offsets, special: specialFlags)
    }

    /// A vocabulary over its parts as stored: token `i` is `storage[offsets[i]..<offsets[i + 1]]`
    /// and is special when `special[i]`; `offsets.count == special.count + 1`, `size` is at least
    /// `special.count` and every id of `eos` lies below `size`.
    init(kind: Kind, size: Int, eos: [Int], storage: [UInt8], offsets: [Int32], special: [Bool]) {
        self.kind = kind
        self.size = size
        self.eosTokens = eos
        self.storage = storage
        self.offsets = offsets
        self.specialFlags = special
    }
}
