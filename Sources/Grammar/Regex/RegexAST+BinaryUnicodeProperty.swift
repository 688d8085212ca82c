extension RegexAST {
    /// The binary Unicode properties of ECMA-262 that the standard library can evaluate,
    /// by canonical name.
    enum BinaryUnicodeProperty: String, Hashable, Sendable {
        case any = "Any", ascii = "ASCII", asciiHexDigit = "ASCII_Hex_Digit", alphabetic = "Alphabetic"
        case assigned = "Assigned", bidiControl = "Bidi_Control", bidiMirrored = "Bidi_Mirrored"
        case caseIgnorable = "Case_Ignorable", cased = "Cased"
        case changesWhenCasefolded = "Changes_When_Casefolded", changesWhenCasemapped = "Changes_When_Casemapped"
        case changesWhenLowercased = "Changes_When_Lowercased"
        case changesWhenNFKCCasefolded = "Changes_When_NFKC_Casefolded"
        case changesWhenTitlecased = "Changes_When_Titlecased", changesWhenUppercased = "Changes_When_Uppercased"
        case dash = "Dash", defaultIgnorableCodePoint = "Default_Ignorable_Code_Point"
        case deprecated = "Deprecated", diacritic = "Diacritic", emoji = "Emoji"
        case emojiModifier = "Emoji_Modifier", emojiModifierBase = "Emoji_Modifier_Base"
        case emojiPresentation = "Emoji_Presentation", extender = "Extender"
        case graphemeBase = "Grapheme_Base", graphemeExtend = "Grapheme_Extend", hexDigit = "Hex_Digit"
        case idsBinaryOperator = "IDS_Binary_Operator", idsTrinaryOperator = "IDS_Trinary_Operator"
        case idContinue = "ID_Continue", idStart = "ID_Start", ideographic = "Ideographic"
        case joinControl = "Join_Control", logicalOrderException = "Logical_Order_Exception"
        case lowercase = "Lowercase", math = "Math", noncharacterCodePoint = "Noncharacter_Code_Point"
        case patternSyntax = "Pattern_Syntax", patternWhiteSpace = "Pattern_White_Space"
        case quotationMark = "Quotation_Mark", radical = "Radical", regionalIndicator = "Regional_Indicator"
        case sentenceTerminal = "Sentence_Terminal", softDotted = "Soft_Dotted"
        case terminalPunctuation = "Terminal_Punctuation", unifiedIdeograph = "Unified_Ideograph"
        case uppercase = "Uppercase", variationSelector = "Variation_Selector", whiteSpace = "White_Space"
        case xidContinue = "XID_Continue", xidStart = "XID_Start"

        /// The property named `name`, by canonical name or short alias.
        init?(name: String) {
            guard let property = Self(rawValue: name) ?? Self.shortNames[name] else { return nil }
            self = property
        }

        /// ECMA-262 binary properties without a standard-library table, long and short names.
        static let withoutTable: Set<String> = ["Emoji_Component", "EComp", "Extended_Pictographic", "ExtPict"]

        private static let shortNames: [String: Self] = [
            "AHex": .asciiHexDigit, "Alpha": .alphabetic, "Bidi_C": .bidiControl, "Bidi_M": .bidiMirrored,
            "CI": .caseIgnorable, "CWCF": .changesWhenCasefolded, "CWCM": .changesWhenCasemapped,
            "CWL": .changesWhenLowercased, "CWKCF": .changesWhenNFKCCasefolded, "CWT": .changesWhenTitlecased,
            "CWU": .changesWhenUppercased, "DI": .defaultIgnorableCodePoint, "Dep": .deprecated,
            "Dia": .diacritic, "EMod": .emojiModifier, "EBase": .emojiModifierBase,
            "EPres": .emojiPresentation, "Ext": .extender, "Gr_Base": .graphemeBase,
            "Gr_Ext": .graphemeExtend, "Hex": .hexDigit, "IDSB": .idsBinaryOperator,
            "IDST": .idsTrinaryOperator, "IDC": .idContinue, "IDS": .idStart, "Ideo": .ideographic,
            "Join_C": .joinControl, "LOE": .logicalOrderException, "Lower": .lowercase,
            "NChar": .noncharacterCodePoint, "Pat_Syn": .patternSyntax, "Pat_WS": .patternWhiteSpace,
            "QMark": .quotationMark, "RI": .regionalIndicator, "STerm": .sentenceTerminal,
            "SD": .softDotted, "Term": .terminalPunctuation, "UIdeo": .unifiedIdeograph,
            "Upper": .uppercase, "VS": .variationSelector, "space": .whiteSpace,
            "XIDC": .xidContinue, "XIDS": .xidStart,
        ]

        /// The Unicode scalars having the property.
        var scalars: ScalarSet {
            var ranges: [ClosedRange<UInt32>] = []
            for value in UInt32(0)...ScalarSet.maxScalar {
                guard let scalar = Unicode.Scalar(value), holds(for: scalar) else { continue }
                if let last = ranges.last, last.upperBound + 1 == value {
                    ranges[ranges.count - 1] = last.lowerBound...value
                } else {
                    ranges.append(value...value)
                }
            }
            return ScalarSet(ranges)
        }

        /// Whether `scalar` has this property.
        private func holds(for scalar: Unicode.Scalar) -> Bool {
            let properties = scalar.properties
            switch self {
            case .any: return true
            case .ascii: return scalar.isASCII
            case .assigned: return properties.generalCategory != .unassigned
            case .regionalIndicator: return (0x1F1E6...0x1F1FF).contains(scalar.value)
            case .asciiHexDigit: return properties.isASCIIHexDigit
            case .alphabetic: return properties.isAlphabetic
            case .bidiControl: return properties.isBidiControl
            case .bidiMirrored: return properties.isBidiMirrored
            case .caseIgnorable: return properties.isCaseIgnorable
            case .cased: return properties.isCased
            case .changesWhenCasefolded: return properties.changesWhenCaseFolded
            case .changesWhenCasemapped: return properties.changesWhenCaseMapped
            case .changesWhenLowercased: return properties.changesWhenLowercased
            case .changesWhenNFKCCasefolded: return properties.changesWhenNFKCCaseFolded
            case .changesWhenTitlecased: return properties.changesWhenTitlecased
            case .changesWhenUppercased: return properties.changesWhenUppercased
            case .dash: return properties.isDash
            case .defaultIgnorableCodePoint: return properties.isDefaultIgnorableCodePoint
            case .deprecated: return properties.isDeprecated
            case .diacritic: return properties.isDiacritic
            case .emoji: return properties.isEmoji
            case .emojiModifier: return properties.isEmojiModifier
            case .emojiModifierBase: return properties.isEmojiModifierBase
            case .emojiPresentation: return properties.isEmojiPresentation
            case .extender: return properties.isExtender
            case .graphemeBase: return properties.isGraphemeBase
            case .graphemeExtend: return properties.isGraphemeExtend
            case .hexDigit: return properties.isHexDigit
            case .idsBinaryOperator: return properties.isIDSBinaryOperator
            case .idsTrinaryOperator: return properties.isIDSTrinaryOperator
            case .idContinue: return properties.isIDContinue
            case .idStart: return properties.isIDStart
            case .ideographic: return properties.isIdeographic
            case .joinControl: return properties.isJoinControl
            case .logicalOrderException: return properties.isLogicalOrderException
            case .lowercase: return properties.isLowercase
            case .math: return properties.isMath
            case .noncharacterCodePoint: return properties.isNoncharacterCodePoint
            case .patternSyntax: return properties.isPatternSyntax
            case .patternWhiteSpace: return properties.isPatternWhitespace
            case .quotationMark: return properties.isQuotationMark
            case .radical: return properties.isRadical
            case .sentenceTerminal: return properties.isSentenceTerminal
            case .softDotted: return properties.isSoftDotted
            case .terminalPunctuation: return properties.isTerminalPunctuation
            case .unifiedIdeograph: return properties.isUnifiedIdeograph
            case .uppercase: return properties.isUppercase
            case .variationSelector: return properties.isVariationSelector
            case .whiteSpace: return properties.isWhitespace
            case .xidContinue: return properties.isXIDContinue
            case .xidStart: return properties.isXIDStart
            }
        }
    }
}
