/// A JSON number, kept exactly: its source text and its value as a canonical decimal.
///
/// Equality and ordering are by mathematical value (`1.0 == 1`, `1e2 == 100`), as JSON Schema
/// requires; `text` keeps the original spelling for round trips.
public struct JSONNumber: Hashable, Sendable, Comparable, CustomStringConvertible {
    /// The number as written in the source.
    public let text: String
    /// Whether the value is below zero (never true for zero).
    public let isNegative: Bool
    /// The significant decimal digits (0…9), without leading or trailing zeros; empty for zero.
    public let digits: [UInt8]
    /// The power of ten: value = ±digits × 10^exponent.
    public let exponent: Int

    /// Parses a JSON number lexeme; nil if `text` is not one.
    public init?(_ text: String) {
        guard let parts = JSONNumber.scan(Array(text.utf8)) else { return nil }
        self.text = text
        (isNegative, digits, exponent) = parts
    }

    /// The number of an integer value.
    public init(_ value: Int) { self.init(String(value))! }

    /// Whether the value is a whole number.
    public var isInteger: Bool { exponent >= 0 }

    /// Whether the value is zero.
    public var isZero: Bool { digits.isEmpty }

    /// The value as a Double (rounded).
    public var doubleValue: Double { Double(text) ?? .nan }

    /// The value as an Int when it is a whole number that fits.
    public var intValue: Int? {
        guard isInteger, digits.count + exponent <= 18 else { return nil }
        var v = 0
        for d in digits { v = v * 10 + Int(d) }
        for _ in 0..<exponent { v *= 10 }
        return isNegative ? -v : v
    }

    /// The value's digits written out without exponent, e.g. "-12.5", "0.001", "300".
    public var plainText: String {
        if digits.isEmpty { return "0" }
        var s = isNegative ? "-" : ""
        let ds = digits.map { Character(Unicode.Scalar($0 + 48)) }
        let intCount = digits.count + exponent
        if exponent >= 0 {
            s += String(ds) + String(repeating: "0", count: exponent)
        } else if intCount > 0 {
            s += String(ds[0..<intCount]) + "." + String(ds[intCount...])
        } else {
            s += "0." + String(repeating: "0", count: -intCount) + String(ds)
        }
        return s
    }

    public var description: String { text }

    public static func == (a: JSONNumber, b: JSONNumber) -> Bool {
        a.isNegative == b.isNegative && a.digits == b.digits && a.exponent == b.exponent
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(isNegative)
        hasher.combine(digits)
        hasher.combine(exponent)
    }

    public static func < (a: JSONNumber, b: JSONNumber) -> Bool {
        if a.isNegative != b.isNegative { return a.isNegative }
        let magnitudeLess = JSONNumber.compareMagnitude(a, b) < 0
        let magnitudeGreater = JSONNumber.compareMagnitude(a, b) > 0
        return a.isNegative ? magnitudeGreater : magnitudeLess
    }

    /// -1, 0 or 1 as |a| is below, equal to or above |b|.
    static func compareMagnitude(_ a: JSONNumber, _ b: JSONNumber) -> Int {
        if a.digits.isEmpty || b.digits.isEmpty {
            return a.digits.isEmpty ? (b.digits.isEmpty ? 0 : -1) : 1
        }
        let aMag = a.digits.count + a.exponent, bMag = b.digits.count + b.exponent
        if aMag != bMag { return aMag < bMag ? -1 : 1 }
        let n = max(a.digits.count, b.digits.count)
        for i in 0..<n {
            let x = i < a.digits.count ? a.digits[i] : 0
            let y = i < b.digits.count ? b.digits[i] : 0
            if x != y { return x < y ? -1 : 1 }
        }
        return 0
    }

    /// Splits a lexeme into sign, significant digits and exponent; nil if not JSON number syntax.
    static func scan(_ b: [UInt8]) -> (Bool, [UInt8], Int)? {
        var i = 0
        var negative = false
        if i < b.count, b[i] == UInt8(ascii: "-") { negative = true; i += 1 }
        guard i < b.count, (48...57).contains(b[i]) else { return nil }
        var mantissa: [UInt8] = []
        var fractionDigits = 0
        if b[i] == 48 { i += 1 } else {
            while i < b.count, (48...57).contains(b[i]) { mantissa.append(b[i] - 48); i += 1 }
        }
        if i < b.count, b[i] == UInt8(ascii: ".") {
            i += 1
            guard i < b.count, (48...57).contains(b[i]) else { return nil }
            while i < b.count, (48...57).contains(b[i]) { mantissa.append(b[i] - 48); fractionDigits += 1; i += 1 }
        }
        var exp = 0
        if i < b.count, b[i] == UInt8(ascii: "e") || b[i] == UInt8(ascii: "E") {
            i += 1
            var expNegative = false
            if i < b.count, b[i] == UInt8(ascii: "+") || b[i] == UInt8(ascii: "-") { expNegative = b[i] == UInt8(ascii: "-"); i += 1 }
            guard i < b.count, (48...57).contains(b[i]) else { return nil }
            while i < b.count, (48...57).contains(b[i]) {
                if exp < 100_000_000 { exp = exp * 10 + Int(b[i] - 48) }
                i += 1
            }
            if expNegative { exp = -exp }
        }
        guard i == b.count else { return nil }
        var start = 0
        while start < mantissa.count, mantissa[start] == 0 { start += 1 }
        var end = mantissa.count
        var trailing = 0
        while end > start, mantissa[end - 1] == 0 { end -= 1; trailing += 1 }
        let digits = Array(mantissa[start..<end])
        if digits.isEmpty { return (false, [], 0) }
        return (negative, digits, exp - fractionDigits + trailing)
    }
}
