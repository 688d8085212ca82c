/// A set of Unicode scalar values, stored as sorted, disjoint, non-adjacent closed ranges.
///
/// Surrogate code points (U+D800…U+DFFF) are never members: they are not scalars, and
/// every operation removes them.
public struct ScalarSet: Hashable, Sendable, CustomStringConvertible {
    /// The ranges of the set, sorted, disjoint and non-adjacent; a range may span the
    /// surrogates (…U+D7FF and U+E000… merge), which are members of none.
    public private(set) var ranges: [ClosedRange<UInt32>]

    /// The largest Unicode scalar value.
    public static let maxScalar: UInt32 = 0x10FFFF

    /// The empty set.
    public init() { ranges = [] }

    /// A set holding the given ranges (in any order, overlapping or not).
    public init(_ ranges: [ClosedRange<UInt32>]) {
        self.ranges = ScalarSet.normalize(ranges)
    }

    /// A set holding one range.
    public init(_ range: ClosedRange<UInt32>) { self.init([range]) }

    /// A set holding one scalar.
    public init(scalar: UInt32) { self.init([scalar...scalar]) }

    /// A set holding the scalars of a string.
    public init(characters: String) {
        self.init(characters.unicodeScalars.map { $0.value...$0.value })
    }

    /// Every Unicode scalar.
    public static let all = ScalarSet([0...maxScalar])

    /// Whether the set has no member.
    public var isEmpty: Bool { ranges.isEmpty }

    /// The number of scalars in the set (a range spanning the surrogates does not count them).
    public var count: Int {
        ranges.reduce(0) { total, range in
            let spansSurrogates = range.lowerBound < 0xD800 && range.upperBound > 0xDFFF
            return total + Int(range.upperBound - range.lowerBound) + 1 - (spansSurrogates ? 0x800 : 0)
        }
    }

    /// Whether `scalar` is a member.
    public func contains(_ scalar: UInt32) -> Bool {
        if (0xD800...0xDFFF).contains(scalar) { return false }
        var low = 0, high = ranges.count
        while low < high {
            let mid = (low + high) / 2
            if ranges[mid].upperBound < scalar { low = mid + 1 } else { high = mid }
        }
        return low < ranges.count && ranges[low].contains(scalar)
    }

    /// The scalars in either set.
    public func union(_ other: ScalarSet) -> ScalarSet { ScalarSet(ranges + other.ranges) }

    /// The scalars not in this set.
    public func inverted() -> ScalarSet {
        var result: [ClosedRange<UInt32>] = []
        var next: UInt32 = 0
        for range in ranges {
            if range.lowerBound > next { result.append(next...(range.lowerBound - 1)) }
            next = range.upperBound &+ 1
        }
        if next <= ScalarSet.maxScalar, !(ranges.last?.upperBound == ScalarSet.maxScalar) {
            result.append(next...ScalarSet.maxScalar)
        }
        return ScalarSet(result)
    }

    /// The scalars in both sets.
    public func intersection(_ other: ScalarSet) -> ScalarSet {
        var result: [ClosedRange<UInt32>] = []
        var i = 0, j = 0
        while i < ranges.count, j < other.ranges.count {
            let a = ranges[i], b = other.ranges[j]
            let low = max(a.lowerBound, b.lowerBound), high = min(a.upperBound, b.upperBound)
            if low <= high { result.append(low...high) }
            if a.upperBound < b.upperBound { i += 1 } else { j += 1 }
        }
        return ScalarSet(result)
    }

    /// The scalars in this set and not in `other`.
    public func subtracting(_ other: ScalarSet) -> ScalarSet { intersection(other.inverted()) }

    public var description: String {
        ranges.map { r in
            r.lowerBound == r.upperBound
                ? ScalarSet.show(r.lowerBound) : "\(ScalarSet.show(r.lowerBound))-\(ScalarSet.show(r.upperBound))"
        }.joined()
    }

    static func show(_ scalar: UInt32) -> String {
        if scalar > 0x20, scalar < 0x7F, let s = Unicode.Scalar(scalar) {
            let c = Character(s)
            return "\\^-[]".contains(c) ? "\\\(c)" : String(c)
        }
        return scalar <= 0xFFFF ? "\\u" + hex(scalar, width: 4) : "\\U" + hex(scalar, width: 8)
    }

    private static func normalize(_ input: [ClosedRange<UInt32>]) -> [ClosedRange<UInt32>] {
        var pieces: [ClosedRange<UInt32>] = []
        for var range in input {
            if range.lowerBound > maxScalar { continue }
            range = range.lowerBound...min(range.upperBound, maxScalar)
            // Remove surrogates.
            if range.upperBound < 0xD800 || range.lowerBound > 0xDFFF {
                pieces.append(range)
            } else {
                if range.lowerBound < 0xD800 { pieces.append(range.lowerBound...0xD7FF) }
                if range.upperBound > 0xDFFF { pieces.append(0xE000...range.upperBound) }
            }
        }
        pieces.sort { $0.lowerBound < $1.lowerBound }
        var merged: [ClosedRange<UInt32>] = []
        for range in pieces {
            if let last = merged.last, range.lowerBound <= last.upperBound &+ 1 || (last.upperBound == 0xD7FF && range.lowerBound == 0xE000) {
                merged[merged.count - 1] = last.lowerBound...max(last.upperBound, range.upperBound)
            } else {
                merged.append(range)
            }
        }
        return merged
    }
}

/// Lower-case hexadecimal text of `value`, zero-padded to `width` digits.
func hex(_ value: UInt32, width: Int) -> String {
    let digits = String(value, radix: 16, uppercase: true)
    return String(repeating: "0", count: max(0, width - digits.count)) + digits
}
