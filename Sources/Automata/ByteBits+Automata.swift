import Grammar

extension PlainText {
    /// The bytes a plain-text string may start with (`next(0, byte)` is not -1).
    static let firstBytes: ByteBits = {
        var bits = ByteBits()
        for b in 0...255 where next(0, UInt8(b)) >= 0 { bits.insert(UInt8(b)) }
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
