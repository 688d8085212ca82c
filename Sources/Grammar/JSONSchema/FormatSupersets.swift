/// Regular supersets of the formats gramc can produce only in part (`FormatLanguage.underApproximated`),
/// for `JSONSchemaOptions.FormatSubsets.widen`: every valid value is admitted, and some invalid
/// ones too. The opposite trade of the default subsets, opted into and listed.
///
/// - `hostname`: RFC 1123 host names whose labels may also have A-label shape (`xn--` then
///   letters, digits and hyphens): admits A-labels that are not valid punycode or decode to
///   an invalid U-label.
/// - `idn-hostname`: labels of ASCII letters, digits and hyphens, or of Unicode letters,
///   marks and decimal digits (with the RFC 5892 exceptions: `ß ς ۽ ۾ ་ 〇` valid, `ـ ߺ 〮 〯
///   〱…〵 〻` not), separated by `.`, `。`, `．` or `｡`; no label starts with a mark or starts
///   or ends with `-`, nor has `--` in 3rd and 4th position unless an ASCII `xn--` label. An
///   all-ASCII name is `hostname`'s superset (at most 63 scalars a label, 253 in all); a name
///   with non-ASCII scalars has no length bound. The contextual rules of RFC 5892 appendix A are kept where a
///   regular condition on neighbouring scalars states them or a superset of them: MIDDLE DOT
///   between two `l`, KERAIA before a Greek-block scalar, GERESH and GERSHAYIM after a Hebrew
///   one, KATAKANA MIDDLE DOT in a label with a Hiragana, Katakana or Han scalar, Arabic-Indic
///   digits not mixed with extended ones, ZERO WIDTH JOINER after a virama, ZERO WIDTH
///   NON-JOINER after a virama or a scalar from U+0300 up (the joining letters and marks its
///   other rule asks for); and of the Bidi rule (RFC 5893), that a label with a Hebrew or
///   Arabic letter starts with neither an ASCII letter nor a digit and does not mix ASCII
///   and Arabic-Indic digits. Admitted though invalid: A-labels as for `hostname`, labels that
///   break the rest of the Bidi rule, non-ASCII names or labels whose A-label form is too long, and scalars
///   of those categories that IDNA2008 disallows for other reasons (unstable under case
///   folding or NFKC, Hangul jamo, ignorable blocks).
/// - `idn-email`: an RFC 6531 mailbox: local part of `atext` or any non-ASCII scalar, or
///   quoted; domain of labels of letters, digits, hyphens and non-ASCII scalars, or an
///   address literal. Non-ASCII scalars are not checked beyond that.
/// - `regex`: ECMA-262 pattern syntax (Unicode mode) without the static checks beyond
///   tokens: range order, quantifier order, group names and back-reference numbers; groups
///   are matched up to `RegexSyntaxSuperset.balancedDepth` deep, and any groups inside those.
enum FormatSupersets {
    /// The suffix of a format name that selects its superset (`hostname-superset`).
    static let suffix = "-superset"

    /// The identifier of the superset language of `name`.
    static func identifier(of name: String) -> String { name + suffix }

    /// The format name of a superset identifier, or nil.
    static func format(ofIdentifier identifier: String) -> String? {
        guard identifier.hasSuffix(suffix) else { return nil }
        let name = String(identifier.dropLast(suffix.count))
        return FormatLanguage.underApproximated[name] != nil ? name : nil
    }

    /// What the superset of `name` admits beyond the valid values, for relaxation notes.
    static let admittedInvalid: [String: String] = [
        "hostname": "every label of A-label shape (xn--…) is admitted, valid punycode or not",
        "regex": "ECMA-262 pattern tokens are admitted without range order, quantifier order, group name "
            + "and back-reference checks; groups nested deeper than \(RegexSyntaxSuperset.balancedDepth) are not balanced",
        "idn-hostname": "A-labels are admitted as for hostname, and Unicode letters, marks and digits without the Bidi "
            + "rule, length limits on non-ASCII names, or IDNA2008's case-folding and NFKC stability",
        "idn-email": "non-ASCII scalars are admitted anywhere in the local part and the domain labels",
    ]

    /// The superset language of format `name`; nil for a format without one.
    static func language(named name: String) -> Expression? {
        switch name {
        case "hostname": return FormatLanguage.overApproximation(named: "hostname")
        case "regex": return RegexSyntaxSuperset.language
        case "idn-hostname": return idnHostname
        case "idn-email": return idnEmail
        default: return nil
        }
    }

    // MARK: idn-hostname

    private static func scalars(_ values: UInt32...) -> ScalarSet { ScalarSet(values.map { $0...$0 }) }
    private static func anyOf(_ set: ScalarSet) -> Expression { .characterClass(set) }

    private static let asciiLetterOrDigit = ScalarSet([0x30...0x39, 0x41...0x5A, 0x61...0x7A])
    private static let hyphen = ScalarSet(scalar: 0x2D)
    /// The label separators UTS 46 maps to `.`: full stop, ideographic, fullwidth and
    /// halfwidth ideographic full stops.
    private static let separators = scalars(0x2E, 0x3002, 0xFF0E, 0xFF61)

    /// Non-ASCII scalars a U-label may hold (a superset of PVALID, CONTEXTJ and CONTEXTO).
    private static let unicodeLabelScalars: ScalarSet = {
        let exceptionsValid = scalars(0x00DF, 0x03C2, 0x06FD, 0x06FE, 0x0F0B, 0x3007)
        let contextual = scalars(0x00B7, 0x0375, 0x05F3, 0x05F4, 0x30FB, 0x200C, 0x200D)
        let exceptionsDisallowed = ScalarSet([0x0640...0x0640, 0x07FA...0x07FA, 0x302E...0x302F, 0x3031...0x3035, 0x303B...0x303B])
        return UnicodeScalarClasses.lettersMarksDigits.union(exceptionsValid).union(contextual)
            .subtracting(exceptionsDisallowed).subtracting(ScalarSet(0...0x7F))
    }()

    /// `Σ*`, the label alphabet repeated.
    private static let anyLabelText = Expression.zeroOrMore(.characterClass(.all))

    /// Strings holding `part` somewhere.
    private static func containing(_ part: Expression) -> Expression { .concat([anyLabelText, part, anyLabelText]) }

    /// Strings where every `scalar` is preceded by a scalar of `before`.
    private static func preceded(_ scalar: ScalarSet, by before: ScalarSet) -> Expression {
        .difference(anyLabelText, .alternatives([
            .concat([anyOf(scalar), anyLabelText]),
            containing(.concat([anyOf(before.inverted()), anyOf(scalar)])),
        ]))
    }

    /// Strings where every `scalar` is followed by a scalar of `after`.
    private static func followed(_ scalar: ScalarSet, by after: ScalarSet) -> Expression {
        .difference(anyLabelText, .alternatives([
            .concat([anyLabelText, anyOf(scalar)]),
            containing(.concat([anyOf(scalar), anyOf(after.inverted())])),
        ]))
    }

    /// The contextual rules of RFC 5892 appendix A, as conditions on a label (see the type).
    private static let contextualRules: [Expression] = {
        let l = ScalarSet(scalar: 0x6C)
        let middleDot = ScalarSet(scalar: 0xB7)
        let greek = ScalarSet([0x0370...0x03FF, 0x1D00...0x1DBF, 0x1F00...0x1FFF, 0x2126...0x2126, 0xAB65...0xAB65,
                               0x10140...0x101A0, 0x1D200...0x1D24F])
        let hebrew = ScalarSet([0x0590...0x05FF, 0xFB1D...0xFB4F])
        let katakanaMiddleDot = ScalarSet(scalar: 0x30FB)
        let japanese = ScalarSet([0x2E80...0x2FDF, 0x3005...0x3007, 0x3021...0x3029, 0x3038...0x303B, 0x3040...0x30FA,
                                  0x30FC...0x30FF, 0x31F0...0x31FF, 0x3200...0x9FFF, 0xF900...0xFAFF, 0xFF66...0xFF9F,
                                  0x16FE0...0x16FFF, 0x1AFF0...0x1B2FF, 0x20000...0x3FFFF])
        let arabicIndic = Expression.characterClass(ScalarSet(0x0660...0x0669))
        let extendedArabicIndic = Expression.characterClass(ScalarSet(0x06F0...0x06F9))
        let virama = UnicodeScalarClasses.viramas
        let rightToLeft = ScalarSet([0x05D0...0x05EA, 0x0620...0x064A])
        return [
            preceded(middleDot, by: l), followed(middleDot, by: l),
            followed(ScalarSet(scalar: 0x0375), by: greek),
            preceded(scalars(0x05F3, 0x05F4), by: hebrew),
            .difference(anyLabelText, .intersection([.zeroOrMore(anyOf(japanese.inverted())), containing(anyOf(katakanaMiddleDot))])),
            .difference(anyLabelText, .alternatives([containing(.concat([arabicIndic, anyLabelText, extendedArabicIndic])),
                                                     containing(.concat([extendedArabicIndic, anyLabelText, arabicIndic]))])),
            preceded(ScalarSet(scalar: 0x200D), by: virama),
            preceded(ScalarSet(scalar: 0x200C), by: virama.union(ScalarSet(0x0300...ScalarSet.maxScalar))),
            // The Bidi rule, where a label surely breaks it: a label with a Hebrew or Arabic
            // letter (Bidi class R or AL) makes its name a Bidi domain name, so it must start
            // with R or AL (not an ASCII letter or digit) and not mix European digits with
            // Arabic-Indic ones.
            .difference(anyLabelText, .intersection([.concat([anyOf(asciiLetterOrDigit), anyLabelText]), containing(anyOf(rightToLeft))])),
            .difference(anyLabelText, .intersection([containing(anyOf(rightToLeft)), containing(anyOf(ScalarSet(0x30...0x39))),
                                                     containing(arabicIndic)])),
        ]
    }()

    /// A label of a name with some non-ASCII scalar: letters, digits, hyphens and U-label
    /// scalars, not starting with a mark, not starting or ending with `-`, no `--` in 3rd and
    /// 4th position, under the contextual rules. Its length is not bounded (the A-label form
    /// counts, and bounding scalars would multiply the automaton by 63).
    private static let unicodeLabel: Expression = {
        let inner = asciiLetterOrDigit.union(unicodeLabelScalars)
        let body = Expression.concat([anyOf(inner), .optional(.concat([.zeroOrMore(anyOf(inner.union(hyphen))), anyOf(inner)]))])
        let reserved = Expression.concat([anyOf(inner.union(hyphen)), anyOf(inner.union(hyphen)), .text("--"), anyLabelText])
        let noLeadingMark = Expression.difference(anyLabelText, .concat([anyOf(UnicodeScalarClasses.marks), anyLabelText]))
        return .intersection([.difference(body, reserved), noLeadingMark] + contextualRules)
    }()

    /// ASCII names as `hostname`'s superset gives them (A-labels admitted, lengths bounded),
    /// or names of `unicodeLabel`s holding some non-ASCII scalar.
    private static let idnHostname: Expression = {
        let unicodeName = Expression.concat([unicodeLabel, .zeroOrMore(.concat([anyOf(separators), unicodeLabel]))])
        return .alternatives([
            FormatLanguage.overApproximation(named: "hostname") ?? .nothing,
            .intersection([unicodeName, containing(anyOf(ScalarSet(0x80...ScalarSet.maxScalar)))]),
        ])
    }()

    // MARK: idn-email

    private static let idnEmail: Expression = {
        let nonASCII = ScalarSet(0x80...ScalarSet.maxScalar)
        let atext = ScalarSet(characters: "!#$%&'*+-/=?^_`{|}~").union(asciiLetterOrDigit).union(nonASCII)
        let atom = Expression.oneOrMore(anyOf(atext))
        let dotString = Expression.concat([atom, .zeroOrMore(.concat([.text("."), atom]))])
        let quotedText = ScalarSet([32...33, 35...91, 93...126]).union(nonASCII)
        let quotedPair = Expression.concat([.text("\\"), anyOf(ScalarSet(32...126).union(nonASCII))])
        let quotedString = Expression.concat([.text("\""), .zeroOrMore(.alternatives([anyOf(quotedText), quotedPair])), .text("\"")])
        let labelScalar = asciiLetterOrDigit.union(nonASCII)
        let subdomain = Expression.concat([anyOf(labelScalar), .optional(.concat([.zeroOrMore(anyOf(labelScalar.union(hyphen))),
                                                                                  anyOf(labelScalar)]))])
        let domain = Expression.concat([subdomain, .zeroOrMore(.concat([.text("."), subdomain]))])
        let email = FormatLanguage.language(named: "email") ?? .nothing
        return .alternatives([.concat([.alternatives([dotString, quotedString]), .text("@"), domain]), email])
    }()
}
