/// Exact regular languages (over Unicode scalars) of the asserted `format` values.
///
/// Supported: `date`, `time`, `date-time` (RFC 3339: days checked against months and leap
/// years, a leap second `:60` only where the time is 23:59 UTC), `duration` (RFC 3339
/// appendix A), `uuid` (RFC 4122 text form), `ipv4` (dotted quad, no leading zeros), `ipv6`
/// (RFC 4291 text forms, no zone), `hostname` (RFC 1123 labels of at most 63 characters, at
/// most 253 in all), `email` (RFC 5321 mailbox: dot-string or quoted local part; a domain,
/// IPv4 or IPv6 address literal; no length limits), `uri` and `uri-reference` (RFC 3986, ASCII
/// only), `iri` and `iri-reference` (RFC 3987: `ucschar` where URIs take unreserved
/// characters, `iprivate` in queries), `uri-template` (RFC 6570 level 4), `json-pointer` (RFC
/// 6901) and `relative-json-pointer` (a non-negative integer, then `#` or a JSON Pointer).
///
/// `hostname` deliberately rejects labels with `--` in 3rd and 4th position, so punycode
/// A-labels (`xn--…`) are not accepted: RFC 5890 makes an A-label valid only when it decodes to
/// a valid U-label, which no regular language states (punycode is arithmetic, and IDNA2008
/// validity needs Unicode tables and contextual rules). Accepting every syntactically valid
/// A-label would let the mask produce invalid host names (`xn--X`); rejecting them only
/// withholds some valid ones, so soundness wins — and `hostname` is listed with the subsets
/// below, so its negation is refused (a complement would admit valid A-labels).
///
/// Four formats are regular subsets of theirs (`underApproximated`): valid values outside
/// the subset are not produced, a completeness relaxation listed in the compilation; their
/// negation is refused, as is deciding a constant outside the subset that may be valid.
/// - `hostname`: host names without A-labels (above);
/// - `regex`: patterns valid in both ECMA-262 and Python's `re` (see `RegexSyntaxLanguage`);
/// - `idn-hostname`: ASCII host names as `hostname` gives them (IDNA2008 validity of
///   U-labels needs Unicode tables and contextual rules, CONTEXTJ/CONTEXTO and Bidi; an
///   NR-LDH label is valid as it is);
/// - `idn-email`: ASCII addresses as `email` gives them (RFC 6531 extends RFC 5321).
///
/// Under `JSONSchemaOptions.FormatSubsets.widen`, a format's identifier becomes that of its
/// superset (`FormatSupersets`), which `language(named:)` also resolves.
enum FormatLanguage {
    /// The names of the supported formats.
    static let names = ["date", "time", "date-time", "duration", "uuid", "ipv4", "ipv6", "hostname", "email", "uri", "uri-reference",
                        "iri", "iri-reference", "uri-template", "json-pointer", "relative-json-pointer", "regex",
                        "idn-hostname", "idn-email"]

    /// Supported formats whose language is a subset of the valid values, with what is left out.
    static let underApproximated: [String: String] = [
        "hostname": "A-labels (xn--…) are not produced: their validity needs punycode decoding and IDNA2008 tables",
        "regex": "only a regular subset of the patterns valid in ECMA-262 and Python's re is produced "
            + "(no lookaround, named groups, backreferences, ranges other than digit/letter ones in order, "
            + "groups nested deeper than \(RegexSyntaxLanguage.maxDepth))",
        "idn-hostname": "only ASCII host names are produced (no U-labels: IDNA2008 validity needs Unicode tables and "
            + "contextual rules; no A-labels, as for hostname)",
        "idn-email": "only ASCII addresses are produced (the email format's; no internationalized local parts or domains)",
    ]


    /// Whether every string of all the `formats` already has a length in `min...max`, so a
    /// length intersection would be redundant.
    static func lengthIsImplied(min: Int, max: Int?, byFormats formats: [String]) -> Bool {
        for format in formats {
            guard let (low, high) = lengthRange[format] else { continue }
            if low >= min, let high, high <= max ?? Int.max { return true }
        }
        return false
    }

    /// The shortest and longest strings of formats whose length is bounded.
    private static let lengthRange: [String: (Int, Int?)] = [
        "date": (10, 10), "uuid": (36, 36), "ipv4": (7, 15), "ipv6": (2, 45), "hostname": (1, 253), "idn-hostname": (1, 253),
    ]

    /// Whether `language(named:)` has a language for `name`, without building it.
    static func isDefined(_ name: String) -> Bool {
        names.contains(name) || FormatSupersets.format(ofIdentifier: name) != nil
    }

    /// The language of format `name`, or nil when it is not supported; `portable`: without
    /// the date and time values common validators reject (leap seconds, year 0000).
    static func language(named name: String, portable: Bool = false) -> Expression? {
        if let widened = FormatSupersets.format(ofIdentifier: name) { return FormatSupersets.language(named: widened) }
        switch name {
        case "date": return portable ? portableDate : date
        case "time": return portable ? portableTime : time
        case "date-time": return portable ? .concat([portableDate, anyOf("Tt"), portableTime]) : .concat([date, anyOf("Tt"), time])
        case "duration": return duration
        case "uuid": return uuid
        case "ipv4": return ipv4
        case "ipv6": return ipv6
        case "hostname": return hostname
        case "email": return email
        case "uri": return uri
        case "uri-reference": return .alternatives([uri, relativeReference])
        case "iri": return iriSyntax.absolute
        case "iri-reference": return .alternatives([iriSyntax.absolute, iriSyntax.relative])
        case "uri-template": return uriTemplate
        case "json-pointer": return jsonPointer
        case "relative-json-pointer": return relativeJSONPointer
        case "regex": return RegexSyntaxLanguage.language
        case "idn-hostname": return hostname
        case "idn-email": return email
        default: return nil
        }
    }

    // MARK: Building blocks

    private static func range(_ low: Unicode.Scalar, _ high: Unicode.Scalar) -> Expression {
        .characterClass(ScalarSet(low.value...high.value))
    }

    private static func anyOf(_ characters: String) -> Expression { .characterClass(ScalarSet(characters: characters)) }

    private static let digit = range("0", "9")
    private static let hexDigit = Expression.characterClass(ScalarSet(characters: "0123456789abcdefABCDEF"))

    private static func digits(_ count: Int) -> Expression { .repetition(digit, min: count, max: count) }

    /// One of the two-digit numerals `low…high`.
    private static func twoDigits(_ low: Int, _ high: Int) -> Expression {
        .alternatives((low...high).map { .text($0 < 10 ? "0\($0)" : "\($0)") })
    }

    // MARK: Dates and times

    /// `full-date`: YYYY-MM-DD with valid days, February 29 only in leap years.
    private static let date = fullDate(portable: false)

    /// `full-date` from the year 0001 on.
    private static let portableDate = fullDate(portable: true)

    /// `full-date`; `portable`: without the year 0000.
    private static func fullDate(portable: Bool) -> Expression {
        let nonzero = range("1", "9")
        let year = portable
            ? Expression.alternatives([.concat([nonzero, digits(3)]), .concat([.text("0"), nonzero, digits(2)]),
                                       .concat([.text("00"), nonzero, digit]), .concat([.text("000"), nonzero])])
            : digits(4)
        // Two-digit endings divisible by 4, without 00.
        let leapEnding = Expression.alternatives([
            .concat([.text("0"), anyOf("48")]), .concat([anyOf("2468"), anyOf("048")]), .concat([anyOf("13579"), anyOf("26")]),
        ])
        let leapYear = Expression.alternatives([
            .concat([digits(2), leapEnding]),
            .concat([portable ? leapEnding : .alternatives([.text("00"), leapEnding]), .text("00")]),
        ])
        let monthDay = Expression.alternatives([
            .concat([.alternatives(["01", "03", "05", "07", "08", "10", "12"].map { .text($0) }), .text("-"), twoDigits(1, 31)]),
            .concat([.alternatives(["04", "06", "09", "11"].map { .text($0) }), .text("-"), twoDigits(1, 30)]),
            .concat([.text("02-"), twoDigits(1, 28)]),
        ])
        return .alternatives([
            .concat([year, .text("-"), monthDay]),
            .concat([leapYear, .text("-02-29")]),
        ])
    }

    /// `full-time`: HH:MM:SS, optional fraction, then `Z` or a numeric offset. Second 60 only
    /// when the local time minus the offset is 23:59.
    private static let time: Expression = timeLanguage(prefix: 0, minLength: 0, maxLength: nil)

    /// `full-time` without leap seconds.
    private static let portableTime: Expression = timeLanguage(prefix: 0, minLength: 0, maxLength: nil, leapSeconds: false)

    /// `full-time`, preceded by `prefix` characters, such that the whole string has between
    /// `minLength` and `maxLength` scalars: only the fraction's length varies (with the
    /// offset: `Z` or `±hh:mm`), so the length is enforced by bounding the fraction digits.
    /// `leapSeconds` false: second 60 never.
    static func timeLanguage(prefix: Int, minLength: Int, maxLength: Int?, leapSeconds includeLeapSeconds: Bool = true) -> Expression {
        /// An optional fraction making a total within bounds after `fixed` characters.
        func fraction(fixed: Int) -> Expression {
            let low = minLength - fixed, high = maxLength.map { $0 - fixed }
            var forms: [Expression] = []
            if low <= 0 && (high ?? 0) >= 0 { forms.append(.empty) }
            if (high ?? 2) >= 2 {
                forms.append(.concat([.text("."), .repetition(digit, min: max(1, low - 1), max: high.map { $0 - 1 })]))
            }
            return .alternatives(forms)
        }
        let zuluFraction = fraction(fixed: prefix + 8 + 1), offsetFraction = fraction(fixed: prefix + 8 + 6)
        let zulu = anyOf("Zz")
        let offset = Expression.concat([anyOf("+-"), twoDigits(0, 23), .text(":"), twoDigits(0, 59)])
        let ordinary = Expression.concat([twoDigits(0, 23), .text(":"), twoDigits(0, 59), .text(":"), twoDigits(0, 59),
                                          .alternatives([.concat([zuluFraction, zulu]), .concat([offsetFraction, offset])])])
        func clock(_ minutes: Int) -> String {
            let (hours, rest) = (minutes / 60, minutes % 60)
            return (hours < 10 ? "0" : "") + "\(hours):" + (rest < 10 ? "0" : "") + "\(rest)"
        }
        guard includeLeapSeconds else { return ordinary }
        let dayMinutes = 24 * 60
        let leapSeconds = (0..<dayMinutes).map { local -> Expression in
            // local = 23:59 + offset (mod 24 h), for "+" and "-" offsets.
            let plus = (local + 1) % dayMinutes, minus = (dayMinutes - 1 - local) % dayMinutes
            return .concat([
                .text(clock(local) + ":60"),
                .alternatives([.concat([offsetFraction, .alternatives([.text("+" + clock(plus)), .text("-" + clock(minus))])]),
                               local == dayMinutes - 1 ? .concat([zuluFraction, zulu]) : .nothing]),
            ])
        }
        return .alternatives([ordinary] + leapSeconds)
    }

    /// The language of format `name` restricted to strings of `minLength…maxLength` scalars,
    /// when the restriction can be built in rather than intersected (nil otherwise).
    static func language(named name: String, minLength: Int, maxLength: Int?, portable: Bool = false) -> Expression? {
        switch name {
        case "time": return timeLanguage(prefix: 0, minLength: minLength, maxLength: maxLength, leapSeconds: !portable)
        case "date-time":
            return .concat([portable ? portableDate : date, anyOf("Tt"),
                            timeLanguage(prefix: 11, minLength: minLength, maxLength: maxLength, leapSeconds: !portable)])
        default: return nil
        }
    }

    /// ISO 8601 durations as RFC 3339 appendix A gives them.
    private static let duration: Expression = {
        let number = Expression.oneOrMore(digit)
        func unit(_ letter: String) -> Expression { .concat([number, .text(letter)]) }
        let second = unit("S")
        let minute = Expression.concat([unit("M"), .optional(second)])
        let hour = Expression.concat([unit("H"), .optional(minute)])
        let timePart = Expression.concat([.text("T"), .alternatives([hour, minute, second])])
        let day = unit("D")
        let month = Expression.concat([unit("M"), .optional(day)])
        let year = Expression.concat([unit("Y"), .optional(month)])
        let datePart = Expression.concat([.alternatives([day, month, year]), .optional(timePart)])
        return .concat([.text("P"), .alternatives([datePart, timePart, unit("W")])])
    }()

    // MARK: Identifiers and addresses

    private static let uuid: Expression = .concat([
        .repetition(hexDigit, min: 8, max: 8), .text("-"), .repetition(hexDigit, min: 4, max: 4), .text("-"),
        .repetition(hexDigit, min: 4, max: 4), .text("-"), .repetition(hexDigit, min: 4, max: 4), .text("-"),
        .repetition(hexDigit, min: 12, max: 12),
    ])

    /// 0…255 without leading zeros.
    private static let octet: Expression = .alternatives([
        .concat([.text("25"), range("0", "5")]),
        .concat([.text("2"), range("0", "4"), digit]),
        .concat([.text("1"), digit, digit]),
        .concat([range("1", "9"), digit]),
        digit,
    ])

    private static let ipv4: Expression = .concat([octet, .text("."), octet, .text("."), octet, .text("."), octet])

    private static let letterOrDigit = Expression.characterClass(ScalarSet([0x30...0x39, 0x41...0x5A, 0x61...0x7A]))
    private static let letterDigitHyphen = Expression.characterClass(ScalarSet([0x2D...0x2D, 0x30...0x39, 0x41...0x5A, 0x61...0x7A]))

    private static let hostname = hostnameLanguage(withALabels: false)

    /// `hostname` with every label of A-label shape (`xn--` then letters, digits and hyphens,
    /// any case): all the valid host names and some invalid ones.
    private static let hostnameWithALabels = hostnameLanguage(withALabels: true)

    /// RFC 1123 host names whose labels have no `--` in 3rd and 4th position, except, when
    /// `withALabels`, those starting with `xn--`.
    private static func hostnameLanguage(withALabels: Bool) -> Expression {
        let plainLabel = Expression.concat([letterOrDigit, .optional(.concat([.repetition(letterDigitHyphen, min: 0, max: 61), letterOrDigit]))])
        let reserved = Expression.concat([letterDigitHyphen, letterDigitHyphen, .text("--"), .zeroOrMore(letterDigitHyphen)])
        var label = Expression.difference(plainLabel, reserved)
        if withALabels {
            let aLabelPrefix = Expression.concat([.characterClass(ScalarSet(characters: "xX")), .characterClass(ScalarSet(characters: "nN")),
                                                  .text("--"), .zeroOrMore(letterDigitHyphen)])
            label = .alternatives([label, .intersection([plainLabel, aLabelPrefix])])
        }
        let name = Expression.concat([label, .zeroOrMore(.concat([.text("."), label]))])
        return .intersection([name, .repetition(.characterClass(.all), min: 1, max: 253)])
    }

    /// For a format of `underApproximated`, a regular language holding every valid value
    /// (and some invalid ones): its complement is a sound subset of the values failing the
    /// format, so `not` can take it. `hostname` has a close one; for the others it is every
    /// string, so where such a format must fail no string is produced.
    static func overApproximation(named name: String) -> Expression? {
        guard underApproximated[name] != nil else { return nil }
        return name == "hostname" ? hostnameWithALabels : .anyText
    }

    /// RFC 4291 text forms (as RFC 3986 `IPv6address` gives them).
    private static let ipv6: Expression = {
        let h16 = Expression.repetition(hexDigit, min: 1, max: 4)
        let group = Expression.concat([h16, .text(":")])
        let ls32 = Expression.alternatives([.concat([h16, .text(":"), h16]), ipv4])
        func groups(_ count: Int) -> Expression { .repetition(group, min: count, max: count) }
        /// `[ *n( h16 ":" ) h16 ]`
        func head(_ n: Int) -> Expression { .optional(.concat([.repetition(group, min: 0, max: n), h16])) }
        return .alternatives([
            .concat([groups(6), ls32]),
            .concat([.text("::"), groups(5), ls32]),
            .concat([.optional(h16), .text("::"), groups(4), ls32]),
            .concat([head(1), .text("::"), groups(3), ls32]),
            .concat([head(2), .text("::"), groups(2), ls32]),
            .concat([head(3), .text("::"), group, ls32]),
            .concat([head(4), .text("::"), ls32]),
            .concat([head(5), .text("::"), h16]),
            .concat([head(6), .text("::")]),
        ])
    }()

    /// RFC 5321 `Mailbox`, without the general address literal.
    private static let email: Expression = {
        let atomCharacter = Expression.alternatives([letterOrDigit, anyOf("!#$%&'*+-/=?^_`{|}~")])
        let atom = Expression.oneOrMore(atomCharacter)
        let dotString = Expression.concat([atom, .zeroOrMore(.concat([.text("."), atom]))])
        let quotedText = Expression.characterClass(ScalarSet([32...33, 35...91, 93...126]))
        let quotedPair = Expression.concat([.text("\\"), .characterClass(ScalarSet(32...126))])
        let quotedString = Expression.concat([.text("\""), .zeroOrMore(.alternatives([quotedText, quotedPair])), .text("\"")])
        let subdomain = Expression.concat([letterOrDigit, .optional(.concat([.zeroOrMore(letterDigitHyphen), letterOrDigit]))])
        let domain = Expression.concat([subdomain, .zeroOrMore(.concat([.text("."), subdomain]))])
        let addressLiteral = Expression.concat([.text("["), .alternatives([ipv4, .concat([.text("IPv6:"), ipv6])]), .text("]")])
        return .concat([.alternatives([dotString, quotedString]), .text("@"), .alternatives([domain, addressLiteral])])
    }()

    // MARK: URIs (RFC 3986) and IRIs (RFC 3987)

    private static let letter = Expression.characterClass(ScalarSet([0x41...0x5A, 0x61...0x7A]))
    private static let percentEncoded = Expression.concat([.text("%"), hexDigit, hexDigit])
    private static let subDelimiters = anyOf("!$&'()*+,;=")
    /// RFC 3987 `ucschar`.
    private static let ucschar = ScalarSet([
        0xA0...0xD7FF, 0xF900...0xFDCF, 0xFDF0...0xFFEF, 0x10000...0x1FFFD, 0x20000...0x2FFFD, 0x30000...0x3FFFD,
        0x40000...0x4FFFD, 0x50000...0x5FFFD, 0x60000...0x6FFFD, 0x70000...0x7FFFD, 0x80000...0x8FFFD, 0x90000...0x9FFFD,
        0xA0000...0xAFFFD, 0xB0000...0xBFFFD, 0xC0000...0xCFFFD, 0xD0000...0xDFFFD, 0xE1000...0xEFFFD,
    ])
    /// RFC 3987 `iprivate`.
    private static let iprivate = ScalarSet([0xE000...0xF8FF, 0xF0000...0xFFFFD, 0x100000...0x10FFFD])

    /// The building blocks of URI (ASCII) or IRI (`ucschar` among the unreserved characters,
    /// `iprivate` in queries) syntax.
    private struct ReferenceSyntax {
        let unreserved: Expression
        let pathCharacter: Expression
        let queryExtra: Expression

        init(international: Bool) {
            unreserved = international
                ? .characterClass(ScalarSet([0x30...0x39, 0x41...0x5A, 0x61...0x7A]).union(ScalarSet(characters: "-._~")).union(ucschar))
                : .alternatives([letterOrDigit, anyOf("-._~")])
            pathCharacter = .alternatives([unreserved, percentEncoded, subDelimiters, anyOf(":@")])
            queryExtra = international ? .characterClass(iprivate) : .nothing
        }

        var segment: Expression { .zeroOrMore(pathCharacter) }
        var nonEmptySegment: Expression { .oneOrMore(pathCharacter) }
        var slashSegments: Expression { .zeroOrMore(.concat([.text("/"), segment])) }

        /// `"//" authority path-abempty`, `path-absolute`, `path-empty`, and the given rootless form.
        func hierarchicalPart(rootless: Expression) -> Expression {
            let userInfo = Expression.zeroOrMore(.alternatives([unreserved, percentEncoded, subDelimiters, .text(":")]))
            let futureAddress = Expression.concat([
                anyOf("vV"), .oneOrMore(hexDigit), .text("."), .oneOrMore(.alternatives([letterOrDigit, anyOf("-._~"), subDelimiters, .text(":")])),
            ])
            let host = Expression.alternatives([
                .concat([.text("["), .alternatives([ipv6, futureAddress]), .text("]")]),
                ipv4,
                .zeroOrMore(.alternatives([unreserved, percentEncoded, subDelimiters])),
            ])
            let authority = Expression.concat([
                .optional(.concat([userInfo, .text("@")])), host, .optional(.concat([.text(":"), .zeroOrMore(digit)])),
            ])
            return .alternatives([
                .concat([.text("//"), authority, slashSegments]),
                .concat([.text("/"), .optional(.concat([nonEmptySegment, slashSegments]))]),
                .concat([rootless, slashSegments]),
                .empty,
            ])
        }

        /// `[ "?" query ] [ "#" fragment ]`.
        var queryAndFragment: Expression {
            let fragment = Expression.zeroOrMore(.alternatives([pathCharacter, anyOf("/?")]))
            let query = Expression.zeroOrMore(.alternatives([pathCharacter, anyOf("/?"), queryExtra]))
            return .concat([.optional(.concat([.text("?"), query])), .optional(.concat([.text("#"), fragment]))])
        }

        var absolute: Expression {
            .concat([letter, .zeroOrMore(.alternatives([letter, digit, anyOf("+-.")])), .text(":"),
                     hierarchicalPart(rootless: nonEmptySegment), queryAndFragment])
        }

        /// `relative-ref`: its first segment has no colon.
        var relative: Expression {
            let noColonSegment = Expression.oneOrMore(.alternatives([unreserved, percentEncoded, subDelimiters, .text("@")]))
            return .concat([hierarchicalPart(rootless: noColonSegment), queryAndFragment])
        }
    }

    private static let uriSyntax = ReferenceSyntax(international: false)
    private static let iriSyntax = ReferenceSyntax(international: true)
    private static let uri: Expression = uriSyntax.absolute
    private static let relativeReference: Expression = uriSyntax.relative

    // MARK: URI templates (RFC 6570), JSON Pointers (RFC 6901)

    /// RFC 6570 level 4 templates.
    private static let uriTemplate: Expression = {
        let literal = Expression.alternatives([
            .characterClass(ScalarSet([0x21...0x21, 0x23...0x24, 0x26...0x3B, 0x3D...0x3D, 0x3F...0x5B,
                                       0x5D...0x5D, 0x5F...0x5F, 0x61...0x7A, 0x7E...0x7E]).union(ucschar).union(iprivate)),
            percentEncoded,
        ])
        let varchar = Expression.alternatives([letterOrDigit, .text("_"), percentEncoded])
        let varname = Expression.concat([varchar, .zeroOrMore(.concat([.optional(.text(".")), varchar]))])
        let maxLength = Expression.concat([range("1", "9"), .repetition(digit, min: 0, max: 3)])
        let modifier = Expression.optional(.alternatives([.concat([.text(":"), maxLength]), .text("*")]))
        let varspec = Expression.concat([varname, modifier])
        let expression = Expression.concat([
            .text("{"), .optional(anyOf("+#./;?&=,!@|")), varspec, .zeroOrMore(.concat([.text(","), varspec])), .text("}"),
        ])
        return .zeroOrMore(.alternatives([literal, expression]))
    }()

    /// RFC 6901: `/`-prefixed reference tokens, `~` only as `~0` or `~1`.
    private static let jsonPointer: Expression = {
        let unescaped = Expression.characterClass(ScalarSet.all.subtracting(ScalarSet(characters: "/~")))
        let token = Expression.zeroOrMore(.alternatives([unescaped, .text("~0"), .text("~1")]))
        return .zeroOrMore(.concat([.text("/"), token]))
    }()

    /// A non-negative integer, then `#` or a JSON Pointer.
    private static let relativeJSONPointer: Expression = .concat([
        .alternatives([.text("0"), .concat([range("1", "9"), .zeroOrMore(digit)])]),
        .alternatives([.text("#"), jsonPointer]),
    ])
}
