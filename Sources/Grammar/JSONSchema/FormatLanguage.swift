/// Exact regular languages (over Unicode scalars) of the asserted `format` values.
///
/// Supported: `date`, `time`, `date-time` (RFC 3339: days checked against months and leap
/// years, a leap second `:60` only where the time is 23:59 UTC), `duration` (RFC 3339
/// appendix A), `uuid` (RFC 4122 text form), `ipv4` (dotted quad, no leading zeros), `ipv6`
/// (RFC 4291 text forms, no zone), `hostname` (RFC 1123 labels of at most 63 characters, at most
/// 253 in all; labels with `--` in 3rd and 4th position, such as punycode A-labels, are not
/// accepted) and `email` (RFC 5321 mailbox: dot-string or quoted local part; a domain, IPv4 or
/// IPv6 address literal; no length limits), `uri` and `uri-reference` (RFC 3986, ASCII only).
enum FormatLanguage {
    /// The names of the supported formats.
    static let names = ["date", "time", "date-time", "duration", "uuid", "ipv4", "ipv6", "hostname", "email", "uri", "uri-reference"]

    /// The language of format `name`, or nil when it is not supported.
    static func language(named name: String) -> Expression? {
        switch name {
        case "date": return date
        case "time": return time
        case "date-time": return .concat([date, anyOf("Tt"), time])
        case "duration": return duration
        case "uuid": return uuid
        case "ipv4": return ipv4
        case "ipv6": return ipv6
        case "hostname": return hostname
        case "email": return email
        case "uri": return uri
        case "uri-reference": return .alternatives([uri, relativeReference])
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
    private static let date: Expression = {
        let year = digits(4)
        // Two-digit endings divisible by 4, without 00.
        let leapEnding = Expression.alternatives([
            .concat([.text("0"), anyOf("48")]), .concat([anyOf("2468"), anyOf("048")]), .concat([anyOf("13579"), anyOf("26")]),
        ])
        let leapYear = Expression.alternatives([
            .concat([digits(2), leapEnding]),
            .concat([.alternatives([.text("00"), leapEnding]), .text("00")]),
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
    }()

    /// `full-time`: HH:MM:SS, optional fraction, then `Z` or a numeric offset. Second 60 only
    /// when the local time minus the offset is 23:59.
    private static let time: Expression = {
        let fraction = Expression.optional(.concat([.text("."), .oneOrMore(digit)]))
        let zulu = anyOf("Zz")
        let offset = Expression.concat([anyOf("+-"), twoDigits(0, 23), .text(":"), twoDigits(0, 59)])
        let ordinary = Expression.concat([twoDigits(0, 23), .text(":"), twoDigits(0, 59), .text(":"), twoDigits(0, 59),
                                          fraction, .alternatives([zulu, offset])])
        func clock(_ minutes: Int) -> String {
            let (hours, rest) = (minutes / 60, minutes % 60)
            return (hours < 10 ? "0" : "") + "\(hours):" + (rest < 10 ? "0" : "") + "\(rest)"
        }
        let dayMinutes = 24 * 60
        let leapSeconds = (0..<dayMinutes).map { local -> Expression in
            // local = 23:59 + offset (mod 24 h), for "+" and "-" offsets.
            let plus = (local + 1) % dayMinutes, minus = (dayMinutes - 1 - local) % dayMinutes
            return .concat([
                .text(clock(local) + ":60"), fraction,
                .alternatives([.text("+" + clock(plus)), .text("-" + clock(minus)), local == dayMinutes - 1 ? zulu : .nothing]),
            ])
        }
        return .alternatives([ordinary] + leapSeconds)
    }()

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

    private static let hostname: Expression = {
        let plainLabel = Expression.concat([letterOrDigit, .optional(.concat([.repetition(letterDigitHyphen, min: 0, max: 61), letterOrDigit]))])
        let reserved = Expression.concat([letterDigitHyphen, letterDigitHyphen, .text("--"), .zeroOrMore(letterDigitHyphen)])
        let label = Expression.difference(plainLabel, reserved)
        let name = Expression.concat([label, .zeroOrMore(.concat([.text("."), label]))])
        return .intersection([name, .repetition(.characterClass(.all), min: 1, max: 253)])
    }()

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

    // MARK: URIs (RFC 3986)

    private static let letter = Expression.characterClass(ScalarSet([0x41...0x5A, 0x61...0x7A]))
    private static let unreserved = Expression.alternatives([letterOrDigit, anyOf("-._~")])
    private static let percentEncoded = Expression.concat([.text("%"), hexDigit, hexDigit])
    private static let subDelimiters = anyOf("!$&'()*+,;=")
    private static let pathCharacter = Expression.alternatives([unreserved, percentEncoded, subDelimiters, anyOf(":@")])
    private static let segment = Expression.zeroOrMore(pathCharacter)
    private static let nonEmptySegment = Expression.oneOrMore(pathCharacter)
    private static let slashSegments = Expression.zeroOrMore(.concat([.text("/"), segment]))

    /// `"//" authority path-abempty`, `path-absolute`, `path-empty`, and the given rootless form.
    private static func hierarchicalPart(rootless: Expression) -> Expression {
        let userInfo = Expression.zeroOrMore(.alternatives([unreserved, percentEncoded, subDelimiters, .text(":")]))
        let futureAddress = Expression.concat([
            .text("v"), .oneOrMore(hexDigit), .text("."), .oneOrMore(.alternatives([unreserved, subDelimiters, .text(":")])),
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
    private static let queryAndFragment: Expression = {
        let text = Expression.zeroOrMore(.alternatives([pathCharacter, anyOf("/?")]))
        return .concat([.optional(.concat([.text("?"), text])), .optional(.concat([.text("#"), text]))])
    }()

    private static let uri: Expression = .concat([
        letter, .zeroOrMore(.alternatives([letter, digit, anyOf("+-.")])), .text(":"),
        hierarchicalPart(rootless: nonEmptySegment), queryAndFragment,
    ])

    /// `relative-ref`: its first segment has no colon.
    private static let relativeReference: Expression = {
        let noColonSegment = Expression.oneOrMore(.alternatives([unreserved, percentEncoded, subDelimiters, .text("@")]))
        return .concat([hierarchicalPart(rootless: noColonSegment), queryAndFragment])
    }()
}
