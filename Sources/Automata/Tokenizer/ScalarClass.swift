/// A set of Unicode scalars as a pre-tokenizer regex spells it: `[^\r\n\p{L}\p{N}]`, `\s`, `'`.
///
/// The set is the union of scalar ranges, general categories, the `White_Space` property (`\s`),
/// Unicode word characters (`\w`) and the complements of nested sets (`\S`, `\P{L}` inside
/// brackets), negated as a whole when `negated` is set.
struct ScalarClass: Hashable, Sendable {
    /// Scalar value ranges in the set.
    var ranges: [ClosedRange<UInt32>] = []
    /// General categories in the set, one bit per `GeneralCategoryBits` index.
    var categories: UInt32 = 0
    /// Whether scalars with the `White_Space` property are in the set (`\s`).
    var whitespace = false
    /// Whether word characters are in the set (`\w`: alphabetic, marks, decimal digits,
    /// connector punctuation, join controls).
    var word = false
    /// Sets whose complements are in the set.
    var complements: [ScalarClass] = []
    /// Whether the set is the complement of all the above.
    var negated = false

    /// The set of one scalar.
    init(_ scalar: UInt32) { ranges = [scalar...scalar] }

    /// The set of the scalars of `ranges`.
    init(ranges: [ClosedRange<UInt32>] = []) { self.ranges = ranges }

    /// The scalar value of a set of exactly one scalar (as a literal or an escape spells it).
    var singleScalar: UInt32? {
        guard ranges.count == 1, ranges[0].count == 1, categories == 0, !whitespace, !word, complements.isEmpty, !negated
        else { return nil }
        return ranges[0].lowerBound
    }

    /// The complement of this set.
    var inverted: ScalarClass {
        var copy = self
        copy.negated.toggle()
        return copy
    }

    /// Whether `scalar`, of general category bit `category` (`GeneralCategoryBits.bit`), is in the set.
    func contains(_ scalar: Unicode.Scalar, category: UInt32) -> Bool {
        var hit = categories & category != 0
        if !hit, whitespace { hit = scalar.properties.isWhitespace }
        if !hit, word { hit = Self.isWordScalar(scalar, category: category) }
        if !hit {
            let v = scalar.value
            hit = ranges.contains { $0.contains(v) }
        }
        if !hit { hit = complements.contains { !$0.contains(scalar, category: category) } }
        return hit != negated
    }

    /// Whether `scalar` is a Unicode word character (`\w` in the Hugging Face library's regexes).
    static func isWordScalar(_ scalar: Unicode.Scalar, category: UInt32) -> Bool {
        guard category != GeneralCategoryBits.unassigned else { return false }
        return category & GeneralCategoryBits.wordCategories != 0 || scalar.properties.isAlphabetic
            || scalar.properties.isJoinControl
    }
}

/// General categories as bits, so a class tests a category with one mask.
enum GeneralCategoryBits {
    /// The bit of `category`.
    static func bit(_ category: Unicode.GeneralCategory) -> UInt32 {
        let index: Int
        switch category {
        case .uppercaseLetter: index = 0
        case .lowercaseLetter: index = 1
        case .titlecaseLetter: index = 2
        case .modifierLetter: index = 3
        case .otherLetter: index = 4
        case .nonspacingMark: index = 5
        case .spacingMark: index = 6
        case .enclosingMark: index = 7
        case .decimalNumber: index = 8
        case .letterNumber: index = 9
        case .otherNumber: index = 10
        case .connectorPunctuation: index = 11
        case .dashPunctuation: index = 12
        case .openPunctuation: index = 13
        case .closePunctuation: index = 14
        case .initialPunctuation: index = 15
        case .finalPunctuation: index = 16
        case .otherPunctuation: index = 17
        case .mathSymbol: index = 18
        case .currencySymbol: index = 19
        case .modifierSymbol: index = 20
        case .otherSymbol: index = 21
        case .spaceSeparator: index = 22
        case .lineSeparator: index = 23
        case .paragraphSeparator: index = 24
        case .control: index = 25
        case .format: index = 26
        case .surrogate: index = 27
        case .privateUse: index = 28
        case .unassigned: index = 29
        @unknown default: index = 29
        }
        return 1 << index
    }

    /// The bit of `scalar`'s general category, as of `unicodeVersion`: scalars assigned in
    /// later versions are unassigned (`Cn`).
    @inline(__always)
    static func bit(of scalar: Unicode.Scalar) -> UInt32 {
        let properties = scalar.properties
        let category = bit(properties.generalCategory)
        guard category != unassigned, let age = properties.age,
              age.major > unicodeVersion.major || age.major == unicodeVersion.major && age.minor > unicodeVersion.minor
        else { return category }
        return unassigned
    }

    /// The Unicode version of the character tables the Hugging Face library matches with
    /// (Oniguruma 6.9.10); Swift's own tables may be newer.
    static let unicodeVersion = (major: 16, minor: 0)

    /// The bit of unassigned scalars (`Cn`).
    static let unassigned: UInt32 = 1 << 29

    /// Categories always in `\w`: marks, decimal digits, connector punctuation.
    static let wordCategories: UInt32 = 0b111 << 5 | 1 << 8 | 1 << 11

    /// The categories a `\p{…}` name stands for: one- and two-letter names (`L`, `Lu`, `N`,
    /// `Nd`, …), `L&` / `LC` (cased letters), and the long names of the one-letter groups.
    static func named(_ name: String) -> UInt32? { namedGroups[name] }

    private static let namedGroups: [String: UInt32] = [
        "L": 0b11111, "Letter": 0b11111, "LC": 0b111, "L&": 0b111, "Cased_Letter": 0b111,
        "Lu": 1 << 0, "Ll": 1 << 1, "Lt": 1 << 2, "Lm": 1 << 3, "Lo": 1 << 4,
        "M": 0b111 << 5, "Mark": 0b111 << 5, "Mn": 1 << 5, "Mc": 1 << 6, "Me": 1 << 7,
        "N": 0b111 << 8, "Number": 0b111 << 8, "Nd": 1 << 8, "Nl": 1 << 9, "No": 1 << 10,
        "P": 0b1111111 << 11, "Punctuation": 0b1111111 << 11, "Pc": 1 << 11, "Pd": 1 << 12,
        "Ps": 1 << 13, "Pe": 1 << 14, "Pi": 1 << 15, "Pf": 1 << 16, "Po": 1 << 17,
        "S": 0b1111 << 18, "Symbol": 0b1111 << 18, "Sm": 1 << 18, "Sc": 1 << 19, "Sk": 1 << 20, "So": 1 << 21,
        "Z": 0b111 << 22, "Separator": 0b111 << 22, "Zs": 1 << 22, "Zl": 1 << 23, "Zp": 1 << 24,
        "C": 0b11111 << 25, "Other": 0b11111 << 25, "Cc": 1 << 25, "Cf": 1 << 26, "Cs": 1 << 27,
        "Co": 1 << 28, "Cn": 1 << 29,
    ]
}
