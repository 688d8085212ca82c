/// A set of token ids as a bitmask: bit `i & 31` of word `i >> 5` is token `i` (LSB first),
/// the layout XGrammar and llguidance use, so decoders can hand the words to their kernels.
public struct TokenBitmask: Hashable, Sendable {
    /// The words; bits past `size` are always zero.
    public internal(set) var words: [UInt32]
    /// The number of token ids the mask covers.
    public let size: Int

    /// An empty mask (nothing allowed) over `size` token ids.
    public init(size: Int) {
        self.size = size
        self.words = [UInt32](repeating: 0, count: (size + 31) / 32)
    }

    /// Whether token `id` is allowed.
    @inlinable
    public func contains(_ id: Int) -> Bool {
        id >= 0 && id < size && words[id >> 5] & (1 << UInt32(id & 31)) != 0
    }

    /// The number of allowed tokens.
    public var allowedCount: Int { words.reduce(0) { $0 + $1.nonzeroBitCount } }

    /// The allowed token ids in increasing order.
    public var allowedTokens: [Int] {
        var out: [Int] = []
        words.withUnsafeBufferPointer { TokenBitmask.forEachSetBit(in: $0) { out.append($0) } }
        return out
    }

    /// Calls `body` with the id of every set bit of `words`, in increasing order. Each word is
    /// read before its ids are visited, so `body` may clear bits of the same memory.
    @inline(__always)
    static func forEachSetBit(in words: UnsafeBufferPointer<UInt32>, _ body: (Int) -> Void) {
        for w in words.indices {
            var bits = words[w]
            while bits != 0 {
                body(w << 5 | bits.trailingZeroBitCount)
                bits &= bits - 1
            }
        }
    }

    /// Refills this mask in place with `matcher`'s allowed tokens (no allocation when the sizes match).
    public mutating func fill(from matcher: Matcher) {
        precondition(size == matcher.vocabulary.size, "mask size differs from the vocabulary size")
        words.withUnsafeMutableBufferPointer { matcher.fillMask(into: $0) }
    }

    /// Calls `body` with the words, for handing to a kernel without copying.
    public func withUnsafeWords<R>(_ body: (UnsafeBufferPointer<UInt32>) throws -> R) rethrows -> R {
        try words.withUnsafeBufferPointer(body)
    }

    /// Sets every disallowed logit to negative infinity.
    public func apply(to logits: inout [Float]) {
        for i in 0..<min(logits.count, size) where words[i >> 5] & (1 << UInt32(i & 31)) == 0 {
            logits[i] = -.infinity
        }
        if logits.count > size {
            for i in size..<logits.count { logits[i] = -.infinity }
        }
    }
}
