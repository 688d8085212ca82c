/// Exact arithmetic on decimal numerals of any magnitude, as digit arrays (most significant
/// first, values 0…9, no leading zeros; the empty array is zero).
enum DecimalArithmetic {
    /// -1, 0 or 1 as `a` is below, equal to or above `b`.
    static func compare(_ a: [UInt8], _ b: [UInt8]) -> Int {
        if a.count != b.count { return a.count < b.count ? -1 : 1 }
        for (x, y) in zip(a, b) where x != y { return x < y ? -1 : 1 }
        return 0
    }

    /// `a + 1`.
    static func incremented(_ a: [UInt8]) -> [UInt8] {
        var digits = a
        var index = digits.count - 1
        while index >= 0 {
            if digits[index] < 9 { digits[index] += 1; return digits }
            digits[index] = 0
            index -= 1
        }
        return [1] + digits
    }

    /// `a - 1`, for `a > 0`.
    static func decremented(_ a: [UInt8]) -> [UInt8] {
        var digits = a
        var index = digits.count - 1
        while index >= 0 {
            if digits[index] > 0 { digits[index] -= 1; break }
            digits[index] = 9
            index -= 1
        }
        return trimmed(digits)
    }

    /// `a mod m`, for `m > 0`.
    static func remainder(_ a: [UInt8], _ m: [UInt8]) -> [UInt8] {
        var r: [UInt8] = []
        for digit in a {
            r = trimmed(r + [digit])
            while compare(r, m) >= 0 { r = subtracting(r, m) }
        }
        return r
    }

    /// `a - b`, for `a >= b`.
    static func subtracting(_ a: [UInt8], _ b: [UInt8]) -> [UInt8] {
        var result = a
        var borrow: UInt8 = 0
        for offset in 0..<a.count {
            let i = a.count - 1 - offset
            let subtrahend = (offset < b.count ? b[b.count - 1 - offset] : 0) + borrow
            if result[i] >= subtrahend {
                result[i] -= subtrahend
                borrow = 0
            } else {
                result[i] = result[i] + 10 - subtrahend
                borrow = 1
            }
        }
        return trimmed(result)
    }

    /// `digits` without leading zeros.
    static func trimmed(_ digits: [UInt8]) -> [UInt8] { Array(digits.drop { $0 == 0 }) }

    /// Whether `value` is an integer multiple of `divisor` (> 0). Values whose ratio to the
    /// divisor has a decimal exponent beyond 100,000 count as non-multiples.
    static func isMultiple(_ value: JSONNumber, of divisor: JSONNumber) -> Bool {
        if value.isZero { return true }
        guard !divisor.isZero else { return false }
        let shift = value.exponent - divisor.exponent
        // value / divisor = (value.digits / divisor.digits) × 10^shift; value.digits ends in a
        // nonzero digit, so no negative power of ten can divide into it.
        guard shift >= 0, shift <= 100_000 else { return false }
        var r = remainder(value.digits, divisor.digits)
        for _ in 0..<shift where !r.isEmpty {
            r = remainder(r + [0], divisor.digits)
        }
        return r.isEmpty
    }
}

extension DecimalArithmetic {
    /// One modulus and scale for all `divisors`: a value is a multiple of divisor `i` iff
    /// value × 10^scale is an integer divisible by `factors[i]`, and every factor divides
    /// `modulus`. For integers the scale is 0. Nil when the scale is `maxScale` or more, a
    /// factor scaled by a power of ten exceeds `maxFactor`, or the modulus exceeds 10^15.
    static func combinedModulus(_ divisors: [JSONNumber], integerOnly: Bool, maxScale: Int,
                                maxFactor: Int) -> (modulus: Int, scale: Int, factors: [Int])? {
        let scale = integerOnly ? 0 : divisors.map { max(-$0.exponent, 0) }.max() ?? 0
        guard scale < maxScale else { return nil }
        var modulus = 1
        var factors: [Int] = []
        for divisor in divisors {
            // divisor = significand × 10^exponent.
            guard divisor.digits.count <= 18, let significand = Int(divisor.digits.map(String.init).joined()) else { return nil }
            var factor = significand
            if integerOnly && divisor.exponent < 0 {
                // An integer n is a multiple of s × 10^-k iff n ≡ 0 (mod s / gcd(s, 10^k)).
                for _ in 0..<min(-divisor.exponent, 64) {
                    let common = gcd(factor, 10)
                    if common == 1 { break }
                    factor /= common
                }
            } else {
                // value × 10^scale is a multiple of s × 10^(exponent + scale), an integer.
                for _ in 0..<(divisor.exponent + scale) {
                    guard factor <= maxFactor / 10 else { return nil }
                    factor *= 10
                }
            }
            factors.append(factor)
            let (product, overflow) = (modulus / gcd(modulus, factor)).multipliedReportingOverflow(by: factor)
            guard !overflow, product <= 1_000_000_000_000_000 else { return nil }
            modulus = product
        }
        return (modulus, scale, factors)
    }

    /// The coprime parts of `factor` whose product it is: 2^a·5^b together (divisibility by
    /// it depends on the last digits only), then each other prime power, with the primes above
    /// `maxPrime` left together as one last part (bounded work for any factor). [1] for 1.
    static func primePowerParts(of factor: Int, maxPrime: Int) -> [Int] {
        var n = factor
        var decimal = 1
        while n % 2 == 0 { n /= 2; decimal *= 2 }
        while n % 5 == 0 { n /= 5; decimal *= 5 }
        var parts = decimal > 1 ? [decimal] : []
        var p = 3
        while p * p <= n && p <= maxPrime {
            var power = 1
            while n % p == 0 { n /= p; power *= p }
            if power > 1 { parts.append(power) }
            p += 2
        }
        if n > 1 { parts.append(n) }
        return parts.isEmpty ? [1] : parts
    }

    private static func gcd(_ a: Int, _ b: Int) -> Int { b == 0 ? a : gcd(b, a % b) }
}

extension JSONNumber {
    /// The integral part of the magnitude, as digits.
    var integerDigits: [UInt8] {
        let count = digits.count + exponent
        if count <= 0 { return [] }
        if exponent >= 0 { return digits + Array(repeating: 0, count: exponent) }
        return Array(digits[0..<count])
    }

    /// The fractional part of the magnitude, as digits without trailing zeros.
    var fractionDigits: [UInt8] {
        guard exponent < 0 else { return [] }
        let count = digits.count + exponent
        if count >= 0 { return Array(digits[count...]) }
        return Array(repeating: 0, count: -count) + digits
    }

    /// The value × 10^`power`.
    func shifted(by power: Int) -> JSONNumber {
        if isZero { return self }
        return JSONNumber((isNegative ? "-" : "") + digits.map(String.init).joined() + "e\(exponent + power)") ?? self
    }

    /// The number of decimal digits written out without exponent (integral + fractional).
    var plainDigitCount: Int { max(digits.count + exponent, 1) + max(-exponent, 0) }
}
