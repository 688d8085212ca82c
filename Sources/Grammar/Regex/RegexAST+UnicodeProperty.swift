extension RegexAST {
    /// A Unicode property named by `\p{…}`: a union of general categories (`\p{L}`,
    /// `\p{gc=Decimal_Number}`) or a binary property (`\p{Alphabetic}`).
    ///
    /// Names are matched exactly, as ECMA-262 requires (no loose matching). Membership comes
    /// from the Unicode tables of the Swift standard library.
    enum UnicodeProperty: Hashable, Sendable {
        /// Scalars whose General_Category is one of these.
        case generalCategories(Set<Unicode.GeneralCategory>)
        /// Scalars having a binary property.
        case binary(BinaryUnicodeProperty)

        /// What a property written in a pattern refers to.
        enum Lookup {
            /// A property this compiler evaluates.
            case property(UnicodeProperty)
            /// A valid ECMA-262 property that the standard library gives no table for.
            case unsupported
            /// Not an ECMA-262 property: the pattern is malformed.
            case unknown
        }

        /// Resolves `\p{name}` (when `value` is nil) or `\p{name=value}`.
        static func lookUp(name: String, value: String?) -> Lookup {
            guard let value else {
                if let categories = generalCategoryValues[name] { return .property(.generalCategories(categories)) }
                if let property = BinaryUnicodeProperty(name: name) { return .property(.binary(property)) }
                return BinaryUnicodeProperty.withoutTable.contains(name) ? .unsupported : .unknown
            }
            switch name {
            case "General_Category", "gc":
                return generalCategoryValues[value].map { .property(.generalCategories($0)) } ?? .unknown
            case "Script", "sc", "Script_Extensions", "scx":
                return .unsupported
            default:
                return .unknown
            }
        }

        /// The Unicode scalars having the property.
        var scalars: ScalarSet {
            switch self {
            case .generalCategories(let categories):
                return ScalarSet(categories.flatMap { Self.rangesByCategory[$0] ?? [] })
            case .binary(let property):
                return property.scalars
            }
        }

        /// The scalars of each general category, computed once.
        private static let rangesByCategory: [Unicode.GeneralCategory: [ClosedRange<UInt32>]] = {
            var ranges: [Unicode.GeneralCategory: [ClosedRange<UInt32>]] = [:]
            var run: (category: Unicode.GeneralCategory, range: ClosedRange<UInt32>)?
            for value in UInt32(0)...ScalarSet.maxScalar {
                guard let scalar = Unicode.Scalar(value) else { continue }
                let category = scalar.properties.generalCategory
                if let current = run, current.category == category, current.range.upperBound + 1 == value {
                    run = (category, current.range.lowerBound...value)
                } else {
                    if let finished = run { ranges[finished.category, default: []].append(finished.range) }
                    run = (category, value...value)
                }
            }
            if let finished = run { ranges[finished.category, default: []].append(finished.range) }
            return ranges
        }()

        /// The General_Category values of ECMA-262 (long names, short names and aliases),
        /// each as the set of leaf categories it stands for.
        private static let generalCategoryValues: [String: Set<Unicode.GeneralCategory>] = {
            let cased: Set<Unicode.GeneralCategory> = [.uppercaseLetter, .lowercaseLetter, .titlecaseLetter]
            let groups: [(names: [String], categories: Set<Unicode.GeneralCategory>)] = [
                (["Cased_Letter", "LC"], cased),
                (["Close_Punctuation", "Pe"], [.closePunctuation]),
                (["Connector_Punctuation", "Pc"], [.connectorPunctuation]),
                (["Control", "Cc", "cntrl"], [.control]),
                (["Currency_Symbol", "Sc"], [.currencySymbol]),
                (["Dash_Punctuation", "Pd"], [.dashPunctuation]),
                (["Decimal_Number", "Nd", "digit"], [.decimalNumber]),
                (["Enclosing_Mark", "Me"], [.enclosingMark]),
                (["Final_Punctuation", "Pf"], [.finalPunctuation]),
                (["Format", "Cf"], [.format]),
                (["Initial_Punctuation", "Pi"], [.initialPunctuation]),
                (["Letter", "L"], cased.union([.modifierLetter, .otherLetter])),
                (["Letter_Number", "Nl"], [.letterNumber]),
                (["Line_Separator", "Zl"], [.lineSeparator]),
                (["Lowercase_Letter", "Ll"], [.lowercaseLetter]),
                (["Mark", "M", "Combining_Mark"], [.nonspacingMark, .spacingMark, .enclosingMark]),
                (["Math_Symbol", "Sm"], [.mathSymbol]),
                (["Modifier_Letter", "Lm"], [.modifierLetter]),
                (["Modifier_Symbol", "Sk"], [.modifierSymbol]),
                (["Nonspacing_Mark", "Mn"], [.nonspacingMark]),
                (["Number", "N"], [.decimalNumber, .letterNumber, .otherNumber]),
                (["Open_Punctuation", "Ps"], [.openPunctuation]),
                (["Other", "C"], [.control, .format, .surrogate, .privateUse, .unassigned]),
                (["Other_Letter", "Lo"], [.otherLetter]),
                (["Other_Number", "No"], [.otherNumber]),
                (["Other_Punctuation", "Po"], [.otherPunctuation]),
                (["Other_Symbol", "So"], [.otherSymbol]),
                (["Paragraph_Separator", "Zp"], [.paragraphSeparator]),
                (["Private_Use", "Co"], [.privateUse]),
                (["Punctuation", "P", "punct"], [
                    .connectorPunctuation, .dashPunctuation, .openPunctuation, .closePunctuation,
                    .initialPunctuation, .finalPunctuation, .otherPunctuation,
                ]),
                (["Separator", "Z"], [.spaceSeparator, .lineSeparator, .paragraphSeparator]),
                (["Space_Separator", "Zs"], [.spaceSeparator]),
                (["Spacing_Mark", "Mc"], [.spacingMark]),
                (["Surrogate", "Cs"], [.surrogate]),
                (["Symbol", "S"], [.mathSymbol, .currencySymbol, .modifierSymbol, .otherSymbol]),
                (["Titlecase_Letter", "Lt"], [.titlecaseLetter]),
                (["Unassigned", "Cn"], [.unassigned]),
                (["Uppercase_Letter", "Lu"], [.uppercaseLetter]),
            ]
            var values: [String: Set<Unicode.GeneralCategory>] = [:]
            for group in groups {
                for name in group.names { values[name] = group.categories }
            }
            return values
        }()
    }
}
