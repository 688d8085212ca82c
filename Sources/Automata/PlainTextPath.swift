/// What the path from a token trie's root to a node reads, as the vocabulary's plain-text
/// summaries follow it in their passes over the trie (`TokenTrie.TextSummary`,
/// `TokenTrie.PlainTokenGroups`): the byte groups on it, and the `PlainText` and `SpaceRuns`
/// states and run count after it.
struct PlainTextPath {
    /// The groups of the path's bytes (`TextClass.group(of:)`; low, high words).
    var groups: SIMD2<UInt64>
    /// The `PlainText` state after the path, -1 when the path is not plain text.
    var plainState: Int8
    /// The `SpaceRuns` state after the path.
    var runState: UInt8
    /// The whitespace runs on the path (at most 255).
    var runs: UInt8

    /// The empty path.
    static let root = PlainTextPath(groups: .zero, plainState: 0, runState: SpaceRuns.start, runs: 0)

    /// The path followed by `byte`, reading the tables of `TextClass.groupBitsByByte`,
    /// `PlainText.transitionTable` and `SpaceRuns.table`.
    @inline(__always)
    func extended(by byte: UInt8, groupBits: UnsafeBufferPointer<SIMD2<UInt64>>, plainTable: UnsafeBufferPointer<Int8>,
                  runTable: UnsafeBufferPointer<UInt8>) -> PlainTextPath {
        let entry = runTable[Int(runState) << 8 | Int(byte)]
        return PlainTextPath(groups: groups | groupBits[Int(byte)],
                             plainState: plainState < 0 ? -1 : plainTable[Int(plainState) << 8 | Int(byte)],
                             runState: entry & 0x7F, runs: runs &+ (entry >> 7 != 0 && runs < 255 ? 1 : 0))
    }
}
