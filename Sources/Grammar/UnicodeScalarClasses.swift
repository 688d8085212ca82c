/// Sets of scalars read from the Unicode properties the standard library carries, built once
/// per process on first use (a scan of the assigned planes, ~0.1 s).
enum UnicodeScalarClasses {
    /// Letters (`L*`), marks (`M*`) and decimal digits (`Nd`): the categories RFC 5892 starts
    /// its PVALID derivation from.
    static let lettersMarksDigits = collect { scalar in
        switch scalar.properties.generalCategory {
        case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter,
             .nonspacingMark, .spacingMark, .enclosingMark, .decimalNumber:
            return true
        default:
            return false
        }
    }

    /// Combining marks (`Mn`, `Mc`, `Me`), which may not start a label (RFC 5891 §4.2.3.2).
    static let marks = collect { scalar in
        switch scalar.properties.generalCategory {
        case .nonspacingMark, .spacingMark, .enclosingMark: return true
        default: return false
        }
    }

    /// Scalars of canonical combining class 9 (Virama).
    static let viramas = collect { $0.properties.canonicalCombiningClass.rawValue == 9 }

    /// The assigned planes scanned: the BMP through plane 3, and plane 14's variation selectors.
    private static let scanned: [ClosedRange<UInt32>] = [0...0x3FFFF, 0xE0000...0xE0FFF]

    /// The scalars of the scanned planes satisfying `predicate`, as ranges.
    private static func collect(_ predicate: (Unicode.Scalar) -> Bool) -> ScalarSet {
        var ranges: [ClosedRange<UInt32>] = []
        var start: UInt32?
        for plane in scanned {
            for value in plane {
                let holds = Unicode.Scalar(value).map(predicate) ?? false
                if holds, start == nil { start = value }
                if !holds, let first = start {
                    ranges.append(first...value - 1)
                    start = nil
                }
            }
            if let first = start {
                ranges.append(first...plane.upperBound)
                start = nil
            }
        }
        return ScalarSet(ranges)
    }
}
