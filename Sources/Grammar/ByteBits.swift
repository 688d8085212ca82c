/// A set of bytes as 256 bits, for word-level questions about bytes ("does this state read
/// every byte a plain-text string may start with?", "can two languages start alike?") instead
/// of a loop over 256 flags.
package struct ByteBits: Hashable {
    /// Bit `b & 63` of word `b >> 6` is byte `b`.
    package var words: SIMD4<UInt64>

    /// The empty set.
    @inlinable package init() { words = .zero }

    /// The bytes `low...high`.
    @inlinable package init(_ low: UInt8, _ high: UInt8) {
        words = .zero
        for w in Int(low) >> 6...Int(high) >> 6 {
            let from = max(Int(low), w << 6) & 63, through = min(Int(high), w << 6 | 63) & 63
            words[w] = (~UInt64(0) &>> UInt64(63 - through)) & (~UInt64(0) &<< UInt64(from))
        }
    }

    /// Adds `byte`.
    @inlinable package mutating func insert(_ byte: UInt8) { words[Int(byte >> 6)] |= UInt64(1) << UInt64(byte & 63) }

    /// Adds the bytes of `other`.
    @inlinable package mutating func formUnion(_ other: ByteBits) { words |= other.words }

    /// The bytes of either set.
    @inlinable package func union(_ other: ByteBits) -> ByteBits {
        var either = self
        either.words |= other.words
        return either
    }

    /// The bytes in both sets.
    @inlinable package func intersection(_ other: ByteBits) -> ByteBits {
        var both = self
        both.words &= other.words
        return both
    }

    /// Whether every byte of `other` is in the set.
    @inlinable package func isSuperset(of other: ByteBits) -> Bool { other.words & ~words == .zero }

    /// Whether no byte is in both sets.
    @inlinable package func isDisjoint(with other: ByteBits) -> Bool { words & other.words == .zero }

    /// How many bytes the set holds.
    @inlinable package var count: Int { (0..<4).reduce(0) { $0 + words[$1].nonzeroBitCount } }
}
