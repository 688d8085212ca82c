import Testing
@testable import Grammar

/// `RegularMatcher` on repetitions of one byte or scalar (the path without sets) against
/// counting: every string of a small alphabet up to four scalars, alone and followed by more.
@Suite struct RegularMatcherTests {
    /// `class{min,max}` and `class{min,max}` followed by `a`, for a byte class and a scalar
    /// class, all bounds up to 3 (and unbounded), on every string of `a`, `é`, `x` up to 4 long.
    @Test func oneUnitRepetitionsMatchAsCounted() {
        let alphabet = ["a", "\u{e9}", "x"]
        var strings = [""]
        var frontier = [""]
        for _ in 0..<4 {
            frontier = frontier.flatMap { prefix in alphabet.map { prefix + $0 } }
            strings += frontier
        }
        let classes: [(Expression, (Character) -> Bool)] = [
            (.byteClass([UInt8(ascii: "a")...UInt8(ascii: "c")]), { $0 == "a" }),
            (.characterClass(ScalarSet([UInt32(0x61)...0x61, 0xE9...0xE9])), { $0 == "a" || $0 == "\u{e9}" }),
        ]
        for (unit, inClass) in classes {
            for min in 0...3 {
                for max in [nil, 0, 1, 2, 3] as [Int?] where max.map({ $0 >= min }) ?? true {
                    let alone = RegularMatcher(.repetition(unit, min: min, max: max))
                    let followed = RegularMatcher(.concat([.repetition(unit, min: min, max: max), .text("a")]))
                    func counted(_ text: Substring) -> Bool {
                        text.allSatisfy(inClass) && text.count >= min && max.map { text.count <= $0 } ?? true
                    }
                    for text in strings {
                        #expect(alone.matches(text) == counted(text[...]), "\(unit) {\(min),\(String(describing: max))} \(text)")
                        let expected = text.hasSuffix("a") && counted(text.dropLast())
                        #expect(followed.matches(text) == expected, "\(unit) {\(min),\(String(describing: max))} a \(text)")
                    }
                }
            }
        }
    }
}
