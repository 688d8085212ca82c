import Testing
@testable import Grammar

/// `BoundedNumerals`: the directly built automaton of a bounded number has exactly the language
/// of `NumberLanguage.bounded`'s expression (compared as automata: neither difference accepts
/// anything), for `number` and `integer` under bounds of both signs, exclusive or not, with
/// fractions, and of magnitudes beyond the exponent range in both directions.
@Suite struct BoundedNumeralsTests {
    /// Lower and upper bounds (`x` before a value: exclusive; nil: none).
    static let cases: [(String?, String?)] = [
        ("0", "2147483647"), ("0", "x100"), ("0", "5"), ("1.5", "20"), ("x-3", "x0.25"), ("-0.5", "0.5"), ("x9.5", nil),
        (nil, "-12"), ("120", "1.2e2"), ("1", "1"), ("-1", "1"), ("x-1", "x1"), ("-100", "-0.001"), ("0.001", "0.002"),
        ("1e25", nil), (nil, "1e-25"), ("-1e-25", "1e25"), ("3.14159", "x3.1416"), ("x0", "1"), ("0", "x1"), ("-5", "0"),
        ("-5", "x0"), ("10", "99"), ("100", "1000"), ("x-1e22", "x-1e-22"), ("0.5", "123456789012345678901234567890"),
        (nil, "7"), ("7", nil), ("x7", nil), (nil, "x-7"), ("-2.5e3", "4.75e-2"), ("99999", "100001"),
    ]

    static func bound(_ text: String?) -> NumericBound? {
        guard let text else { return nil }
        let exclusive = text.hasPrefix("x")
        return NumericBound(value: JSONNumber(String(text.drop { $0 == "x" }))!, isExclusive: exclusive)
    }

    /// Whether `a` and `b` accept the same numerals.
    static func equivalent(_ a: NumeralAutomaton, _ b: NumeralAutomaton) -> Bool {
        a.product(b, .difference, maxStates: 1 << 20)!.stateCount == 0 && b.product(a, .difference, maxStates: 1 << 20)!.stateCount == 0
    }

    @Test func sameLanguageAsTheExpression() throws {
        for (lowerText, upperText) in Self.cases {
            let lower = Self.bound(lowerText), upper = Self.bound(upperText)
            for fractions in [NumberLanguage.Fractions.any, .zerosOnly] {
                guard let direct = NumberLanguage.deterministic(lower: lower, upper: upper, fractions: fractions),
                      case .automaton(let table) = direct else {
                    Issue.record("no automaton for \(lowerText ?? "-") \(upperText ?? "-") \(fractions)")
                    continue
                }
                let expression = NumberLanguage.bounded(lower: lower, upper: upper, fractions: fractions)
                let reference = try #require(NumeralAutomaton.from(expression, maxStates: 1 << 20))
                #expect(Self.equivalent(NumeralAutomaton(table), reference), "\(lowerText ?? "-") \(upperText ?? "-") \(fractions)")
            }
        }
    }

    /// The automaton is not far from minimal (its size is what the compiled grammar trims,
    /// minimizes and splices): at most 2.5 times the minimal automaton's states, plus 12 (an empty language: the few states before its bounds are found out).
    @Test func nearlyMinimal() {
        for (lowerText, upperText) in Self.cases {
            let lower = Self.bound(lowerText), upper = Self.bound(upperText)
            for fractions in [NumberLanguage.Fractions.any, .zerosOnly] {
                let direct = BoundedNumerals(lower: lower, upper: upper, fractions: fractions).automaton()
                let minimal = direct.trimmed().minimized()
                #expect(2 * direct.stateCount <= 5 * minimal.stateCount + 24,
                        "\(lowerText ?? "-") \(upperText ?? "-") \(fractions): \(direct.stateCount) states, minimal \(minimal.stateCount)")
            }
        }
    }

    /// No automaton where `bounded` reads no exponent against a bound: draft-04 integers,
    /// bounds at 0 only, empty ranges.
    @Test func expressionsKept() {
        let zero = NumericBound(value: JSONNumber(0), isExclusive: false)
        let one = NumericBound(value: JSONNumber(1), isExclusive: false)
        #expect(NumberLanguage.deterministic(lower: one, upper: nil, fractions: .none) == nil)
        #expect(NumberLanguage.deterministic(lower: zero, upper: nil, fractions: .any) == nil)
        #expect(NumberLanguage.deterministic(lower: zero, upper: zero, fractions: .any) == nil)
        #expect(NumberLanguage.deterministic(lower: one, upper: zero, fractions: .any) == nil)
        #expect(NumberLanguage.deterministic(lower: zero, upper: one, fractions: .any) != nil)
    }
}
