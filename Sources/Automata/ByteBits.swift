/// A set of bytes as 256 bits, for word-level questions about byte edges ("does this state read
/// every byte a plain-text string may start with?") instead of a loop over 256 flags.
struct ByteBits: Equatable {
    /// Bit `b & 63` of word `b >> 6` is byte `b`.
    var words: SIMD4<UInt64>

    /// The empty set.
    init() { words = .zero }

    /// The bytes `low...high`.
    init(_ low: UInt8, _ high: UInt8) {
        words = .zero
        for w in Int(low) >> 6...Int(high) >> 6 {
            let from = max(Int(low), w << 6) & 63, through = min(Int(high), w << 6 | 63) & 63
            words[w] = (~UInt64(0) &>> UInt64(63 - through)) & (~UInt64(0) &<< UInt64(from))
        }
    }

    /// Adds the bytes of `other`.
    mutating func formUnion(_ other: ByteBits) { words |= other.words }

    /// The bytes in both sets.
    func intersection(_ other: ByteBits) -> ByteBits {
        var both = self
        both.words &= other.words
        return both
    }

    /// Whether every byte of `other` is in the set.
    func isSuperset(of other: ByteBits) -> Bool { other.words & ~words == .zero }

    /// How many bytes the set holds.
    var count: Int { (0..<4).reduce(0) { $0 + words[$1].nonzeroBitCount } }
}

extension PlainText {
    /// The bytes a plain-text string may start with (`next(0, byte)` is not -1).
    static let firstBytes: ByteBits = {
        var bits = ByteBits()
        for b in 0...255 where next(0, UInt8(b)) >= 0 { bits.formUnion(ByteBits(UInt8(b), UInt8(b))) }
        return bits
    }()
}

extension ConfigurationSpace {
    /// The bytes the byte edges of NFA state `state` read.
    func edgeBytes(_ state: Int) -> ByteBits {
        var bits = ByteBits()
        for e in Int(edgeStart[state])..<Int(edgeEnd[state]) { bits.formUnion(ByteBits(edges[e].low, edges[e].high)) }
        return bits
    }
}
