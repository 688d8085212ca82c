import Testing
@testable import Automata
import Grammar

/// `ByteBits`, the 256-bit byte sets of the plain-text questions about byte edges and of
/// `LeadingBytes`.
@Suite struct ByteBitsTests {
    /// Ranges within a word, across words and over all bytes hold exactly their bytes.
    @Test func rangesHoldTheirBytes() {
        func bytes(_ bits: ByteBits) -> [Int] { (0..<256).filter { bits.words[$0 >> 6] >> UInt64($0 & 63) & 1 == 1 } }
        for (low, high) in [(0, 0), (5, 9), (60, 70), (63, 64), (0, 255), (200, 255), (255, 255), (10, 190)] {
            let bits = ByteBits(UInt8(low), UInt8(high))
            #expect(bytes(bits) == Array(low...high), "\(low)...\(high)")
            #expect(bits.count == high - low + 1)
        }
        var union = ByteBits(0x30, 0x39)
        union.formUnion(ByteBits(0x41, 0x46))
        #expect(union.count == 16)
        #expect(union.intersection(ByteBits(0x35, 0x42)).count == 7)
        #expect(union.isSuperset(of: ByteBits(0x41, 0x43)) && !union.isSuperset(of: ByteBits(0x39, 0x41)))
        #expect(union == ByteBits(0x30, 0x39).union(ByteBits(0x41, 0x46)))
        #expect(union.isDisjoint(with: ByteBits(0x3A, 0x40)) && !union.isDisjoint(with: ByteBits(0x3A, 0x41)))
    }

    /// Single bytes inserted in every word are exactly the bytes held.
    @Test func insertedBytes() {
        var bits = ByteBits()
        let inserted: [UInt8] = [0, 63, 64, 127, 128, 200, 255]
        for byte in inserted { bits.insert(byte) }
        #expect(bits.count == inserted.count)
        for b in 0...255 { #expect(bits.isSuperset(of: ByteBits(UInt8(b), UInt8(b))) == inserted.contains(UInt8(b)), "\(b)") }
    }

    /// The plain-text first bytes are those `PlainText.next` leaves the start state with.
    @Test func plainFirstBytes() {
        for b in 0...255 {
            #expect(PlainText.firstBytes.isSuperset(of: ByteBits(UInt8(b), UInt8(b))) == (PlainText.next(0, UInt8(b)) >= 0), "\(b)")
        }
    }
}
