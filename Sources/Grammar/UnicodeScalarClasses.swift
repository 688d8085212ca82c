/// Sets of scalars read from the Unicode properties the standard library carries, built once
/// per process on first use (one scan of the assigned planes).
enum UnicodeScalarClasses {
    /// Letters (`L*`), marks (`M*`) and decimal digits (`Nd`): the categories RFC 5892 starts
    /// its PVALID derivation from.
    static var lettersMarksDigits: ScalarSet { classes.lettersMarksDigits }

    /// Combining marks (`Mn`, `Mc`, `Me`), which may not start a label (RFC 5891 §4.2.3.2).
    static var marks: ScalarSet { classes.marks }

    /// Scalars of canonical combining class 9 (Virama).
    static var viramas: ScalarSet { classes.viramas }

    private struct Classes {
        var lettersMarksDigits: ScalarSet
        var marks: ScalarSet
        var viramas: ScalarSet
    }

    /// The assigned planes scanned: the BMP through plane 3, and plane 14's variation selectors.
    private static let scanned: [ClosedRange<UInt32>] = [0...0x3FFFF, 0xE0000...0xE0FFF]

    private static let classes: Classes = {
        var builders = [RangeBuilder](repeating: RangeBuilder(), count: 3)
        for plane in scanned {
            for value in plane {
                var letterMarkDigit = false, mark = false, virama = false
                if let scalar = Unicode.Scalar(value) {
                    switch scalar.properties.generalCategory {
                    case .nonspacingMark, .spacingMark, .enclosingMark:
                        letterMarkDigit = true
                        mark = true
                    case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter, .decimalNumber:
                        letterMarkDigit = true
                    default:
                        break
                    }
                    virama = scalar.properties.canonicalCombiningClass.rawValue == 9
                }
                builders[0].add(value, letterMarkDigit)
                builders[1].add(value, mark)
                builders[2].add(value, virama)
            }
            for index in builders.indices { builders[index].close(at: plane.upperBound) }
        }
        return Classes(lettersMarksDigits: ScalarSet(builders[0].ranges), marks: ScalarSet(builders[1].ranges),
                       viramas: ScalarSet(builders[2].ranges))
    }()

    /// Collects the maximal runs of scalars, visited in increasing order, that hold.
    private struct RangeBuilder {
        var ranges: [ClosedRange<UInt32>] = []
        var start: UInt32?

        mutating func add(_ value: UInt32, _ holds: Bool) {
            if holds, start == nil { start = value }
            if !holds, let first = start {
                ranges.append(first...value - 1)
                start = nil
            }
        }

        mutating func close(at last: UInt32) {
            if let first = start { ranges.append(first...last) }
            start = nil
        }
    }
}
