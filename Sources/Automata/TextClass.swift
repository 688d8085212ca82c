/// A set of plain-text strings read by byte *groups*, with a length bound: the strings of at
/// most `maxBytes` bytes that are plain JSON string text (`PlainText`) and whose bytes all lie
/// in the class's groups. A *closed* class also says that the longer strings of its groups
/// lead nowhere (a string near its `maxLength`).
///
/// A configuration inside a string restricted to a set of characters (a pattern's character
/// class, a URI, a name) accepts every string of some class up to some length, though not
/// every plain string: `ConfigurationSpace.textClass` finds such a class, and the mask walk
/// then takes every token of the class at once, per subtree of the token trie
/// (`TokenTrie.TextSummary`), and steps only through the others.
///
/// Bytes are grouped so that a set of groups fits in 128 bits: each printable ASCII byte is a
/// group of its own (0x20–0x7F are groups 0–95), the control bytes share the group of `"`
/// (none of them is plain text), and the bytes from 0x80 on come in groups of four
/// consecutive bytes (groups 96–127). A class holds a group only when it holds all of the
/// group's plain bytes.
public struct TextClass: Hashable, Sendable {
    /// Groups 0–63.
    public var low: UInt64
    /// Groups 64–127.
    public var high: UInt64
    /// The longest string of the class, in bytes.
    public var maxBytes: Int
    /// Whether every longer string of the class's groups is refused (by whoever accepts the
    /// class): a token of them is then known to be out of the mask without a step.
    public var closed = false
    /// Whether `maxBytes` counts characters (ASCII and lead bytes) instead of bytes: a closed
    /// class near a `maxLength`, where strings of multi-byte characters are longer in bytes.
    public var countsCharacters = false
    /// The most whitespace runs (`SpaceRuns`) of a string of the class: below
    /// `SpaceRuns.limitedRuns`, or `Int.max` for any number (the last word of a word-count
    /// pattern reads the plain strings of no whitespace).
    public var maxRuns = Int.max

    /// The class of the strings of the groups of (`low`, `high`) of at most `maxBytes` bytes.
    public init(low: UInt64, high: UInt64, maxBytes: Int, closed: Bool = false) {
        self.low = low
        self.high = high
        self.maxBytes = maxBytes
        self.closed = closed
    }

    /// The class without what it says of longer strings: not closed, and counted in bytes
    /// (its strings of `maxBytes` characters include those of `maxBytes` bytes).
    public var opened: TextClass {
        var open = self
        open.closed = false
        open.countsCharacters = false
        return open
    }

    /// How much `byte` adds to a string's length in the class's unit.
    @inline(__always)
    public func length(of byte: UInt8) -> Int {
        countsCharacters && byte & 0xC0 == 0x80 ? 0 : 1
    }

    /// The class of every plain-text byte, up to `maxBytes` (and `maxRuns` whitespace runs).
    public static func allPlainText(maxBytes: Int, maxRuns: Int = .max) -> TextClass {
        precondition(maxRuns < SpaceRuns.limitedRuns || maxRuns == .max)
        var all = TextClass(low: ~0, high: ~0, maxBytes: maxBytes)
        all.remove(group: TextClass.group(of: UInt8(ascii: "\"")))
        all.remove(group: TextClass.group(of: UInt8(ascii: "\\")))
        all.maxRuns = maxRuns
        return all
    }

    /// Whether the class holds every byte plain text may have (every group but those of `"`
    /// and `\`, and of the bytes no UTF-8 text has): its strings are all the plain strings
    /// up to its length.
    public var holdsEveryPlainByte: Bool {
        contains(groupsLow: TextClass.plainByteGroups.low, high: TextClass.plainByteGroups.high)
    }

    /// The groups of the bytes some plain text has.
    private static let plainByteGroups: (low: UInt64, high: UInt64) = {
        var groups = (low: UInt64(0), high: UInt64(0))
        for b in 0..<256 where (0..<PlainText.stateCount).contains(where: { PlainText.next(Int8($0), UInt8(b)) >= 0 }) {
            let bit = TextClass.bit(of: TextClass.group(of: UInt8(b)))
            groups.low |= bit.low
            groups.high |= bit.high
        }
        return groups
    }()

    /// The automaton of the class's plain text: `PlainText.transitionTable`, or with a run limit
    /// `SpaceRuns.plainTransitions(maxRuns:)` (a string leaves the class where it leaves it).
    var plainTransitions: [Int8] {
        maxRuns < SpaceRuns.limitedRuns ? SpaceRuns.plainTransitions(maxRuns: maxRuns) : PlainText.transitionTable
    }

    /// The group of `byte`.
    @inline(__always)
    public static func group(of byte: UInt8) -> Int {
        byte < 0x20 ? 2 : byte < 0x80 ? Int(byte) - 0x20 : 96 + Int(byte - 0x80) >> 2
    }

    /// The bit of group `group` in a (`low`, `high`) pair.
    @inline(__always)
    static func bit(of group: Int) -> (low: UInt64, high: UInt64) {
        group < 64 ? (1 << UInt64(group), 0) : (0, 1 << UInt64(group - 64))
    }

    /// Per byte, its group's bit as a (`low`, `high`) vector: the table the vocabulary's trie
    /// summaries (`TextSummary`, `PlainTokenGroups`) OR along each token's path.
    static let groupBitsByByte: [SIMD2<UInt64>] = (0..<256).map { byte in
        let bit = bit(of: group(of: UInt8(byte)))
        return SIMD2(bit.low, bit.high)
    }

    /// Whether the class holds `byte`'s group.
    @inline(__always)
    public func contains(_ byte: UInt8) -> Bool {
        let g = TextClass.group(of: byte)
        return g < 64 ? low >> UInt64(g) & 1 != 0 : high >> UInt64(g - 64) & 1 != 0
    }

    /// Whether every group of (`low`, `high`) is in the class.
    @inline(__always)
    public func contains(groupsLow low: UInt64, high: UInt64) -> Bool {
        low & ~self.low | high & ~self.high == 0
    }

    /// Takes group `group` out of the class.
    public mutating func remove(group: Int) {
        let b = TextClass.bit(of: group)
        low &= ~b.low
        high &= ~b.high
    }

    /// `length` rounded down to one of a few lengths (1–6, 8, 10, 12, 16, then multiples of
    /// 16), so that searches ending at nearby depths give the same class.
    public static func roundedLength(_ length: Int) -> Int {
        switch length {
        case ...6: return length
        case 7: return 6
        case 8...9: return 8
        case 10...11: return 10
        case 12...15: return 12
        default: return length & ~15
        }
    }
}
