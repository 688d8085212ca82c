/// The tree of a pre-tokenizer regex.
indirect enum PatternNode {
    /// One scalar of the class.
    case scalar(ScalarClass)
    /// The items one after another.
    case sequence([PatternNode])
    /// The first alternative that lets the whole pattern match (leftmost-first, as Oniguruma).
    case alternation([PatternNode])
    /// `min` to `max` (nil: unbounded) repeats, as many as possible when `greedy`.
    case repetition(PatternNode, min: Int, max: Int?, greedy: Bool)
    /// A zero-width test of the next scalar: `(?=X)`, or `(?!X)` when `negated` (the end of the
    /// text passes a negated test and fails a plain one).
    case lookahead(ScalarClass, negated: Bool)

    /// Whether the node can match the empty string.
    var isNullable: Bool {
        switch self {
        case .scalar: false
        case .sequence(let items): items.allSatisfy(\.isNullable)
        case .alternation(let options): options.contains(where: \.isNullable)
        case .repetition(let body, let min, _, _): min == 0 || body.isNullable
        case .lookahead: true
        }
    }

    /// Whether the node holds a repetition without an upper bound.
    var hasUnboundedRepetition: Bool {
        switch self {
        case .scalar, .lookahead: false
        case .sequence(let items), .alternation(let items): items.contains(where: \.hasUnboundedRepetition)
        case .repetition(let body, _, let max, _): max == nil || body.hasUnboundedRepetition
        }
    }
}

/// Parses the regexes of `Split` pre-tokenizers (Oniguruma syntax, as the Hugging Face library
/// reads them) into a `PatternNode`.
///
/// Supported: literals and escapes (`\r \n \t \f \v \e \0`, `\xHH`, `\x{H…}`, `\uHHHH`, escaped
/// punctuation), `.`, `\s \S \d \D \w \W`, `\p{…}` / `\P{…}` / `\pL` general categories,
/// bracket classes with ranges and negation, groups `(…)` `(?:…)` `(?i:…)`, alternation,
/// the quantifiers `? * + {n} {n,} {n,m}` and their lazy forms, and lookaheads `(?=X)` /
/// `(?!X)` of a single scalar class. `(?i:…)` matches literals in any case (simple case
/// mappings, plus the long s and Kelvin sign); case-insensitive bracket ranges fold ASCII
/// letters only. Anchors, backreferences, other lookarounds and flags are rejected.
struct PatternParser {
    private let scalars: [Unicode.Scalar]
    private var position = 0
    private var caseInsensitive = false
    private let pattern: String

    /// The deepest group nesting accepted.
    private static let maxDepth = 64

    /// A parser of `pattern`.
    init(_ pattern: String) {
        self.pattern = pattern
        scalars = Array(pattern.unicodeScalars)
    }

    /// The tree of the whole pattern.
    mutating func parse() throws(VocabularyError) -> PatternNode {
        let node = try alternation(depth: 0)
        guard position == scalars.count else { throw failure("unbalanced ')'") }
        return node
    }

    private func failure(_ message: String) -> VocabularyError {
        VocabularyError(.unsupportedTokenizer, "pre-tokenizer regex \(pattern.debugDescription): \(message) at character \(position)")
    }

    private var next: Unicode.Scalar? { position < scalars.count ? scalars[position] : nil }

    private mutating func take(_ scalar: Unicode.Scalar) -> Bool {
        guard next == scalar else { return false }
        position += 1
        return true
    }

    private mutating func take(_ text: String) -> Bool {
        let wanted = Array(text.unicodeScalars)
        guard scalars.count - position >= wanted.count, Array(scalars[position..<position + wanted.count]) == wanted else { return false }
        position += wanted.count
        return true
    }

    private mutating func alternation(depth: Int) throws(VocabularyError) -> PatternNode {
        guard depth < Self.maxDepth else { throw failure("groups nested too deeply") }
        var options = [try sequence(depth: depth)]
        while take("|") { options.append(try sequence(depth: depth)) }
        return options.count == 1 ? options[0] : .alternation(options)
    }

    private mutating func sequence(depth: Int) throws(VocabularyError) -> PatternNode {
        var items: [PatternNode] = []
        while let c = next, c != "|", c != ")" {
            let atom = try self.atom(depth: depth)
            items.append(try quantified(atom))
        }
        return items.count == 1 ? items[0] : .sequence(items)
    }

    private mutating func quantified(_ atom: PatternNode) throws(VocabularyError) -> PatternNode {
        var node = atom
        while let c = next, "?*+{".unicodeScalars.contains(c) {
            let bounds: (min: Int, max: Int?)
            switch c {
            case "?": position += 1; bounds = (0, 1)
            case "*": position += 1; bounds = (0, nil)
            case "+": position += 1; bounds = (1, nil)
            default:
                guard let counted = try countedBounds() else { return node }   // a literal '{'
                bounds = counted
            }
            if case .lookahead = node { throw failure("a quantified lookahead") }
            if bounds.max != 1, node.isNullable { throw failure("a repeated subpattern that can match the empty string") }
            if bounds.max != 1, node.hasUnboundedRepetition { throw failure("nested unbounded repetition") }
            if take("+") { throw failure("possessive quantifiers are not supported") }
            node = .repetition(node, min: bounds.min, max: bounds.max, greedy: !take("?"))
        }
        return node
    }

    /// `{n}`, `{n,}`, `{n,m}`; nil (nothing consumed) when the brace does not start one.
    private mutating func countedBounds() throws(VocabularyError) -> (min: Int, max: Int?)? {
        let start = position
        position += 1
        func number(_ p: inout PatternParser) -> Int? {
            var value: Int?
            while let c = p.next, ("0"..."9").contains(c) {
                value = (value ?? 0) * 10 + Int(c.value - 0x30)
                guard value ?? 0 <= 1000 else { return nil }
                p.position += 1
            }
            return value
        }
        guard let low = number(&self) else { position = start; return nil }
        var high: Int? = low
        if take(",") { high = number(&self) }
        guard take("}") else { position = start; return nil }
        if let high, high < low { throw failure("{\(low),\(high)} has its bounds reversed") }
        return (low, high)
    }

    private mutating func atom(depth: Int) throws(VocabularyError) -> PatternNode {
        guard let c = next else { throw failure("expected an item") }
        position += 1
        switch c {
        case "(":
            let savedCase = caseInsensitive
            defer { caseInsensitive = savedCase }
            if take("?") {
                if take(":") {
                } else if take("i:") {
                    caseInsensitive = true
                } else if take("-i:") {
                    caseInsensitive = false
                } else if take("!") || take("=") {
                    let negated = scalars[position - 1] == "!"
                    let body = try alternation(depth: depth + 1)
                    guard take(")") else { throw failure("missing ')'") }
                    guard case .scalar(let set) = body else {
                        throw failure("a lookahead of more than one scalar class is not supported")
                    }
                    return .lookahead(set, negated: negated)
                } else {
                    throw failure("this group kind is not supported")
                }
            }
            let body = try alternation(depth: depth + 1)
            guard take(")") else { throw failure("missing ')'") }
            return body
        case "[":
            return .scalar(try bracket())
        case ".":
            return .scalar(ScalarClass(0x0A).inverted)
        case "\\":
            return .scalar(try escape())
        case "^", "$":
            throw failure("anchors are not supported")
        case "?", "*", "+":
            throw failure("a quantifier with nothing to repeat")
        default:
            return .scalar(literal(c.value))
        }
    }

    /// The class of one literal scalar, with its other cases inside `(?i:…)`.
    private func literal(_ value: UInt32) -> ScalarClass {
        guard caseInsensitive, let scalar = Unicode.Scalar(value) else { return ScalarClass(value) }
        var values: Set<UInt32> = [value]
        let p = scalar.properties
        for mapping in [p.lowercaseMapping, p.uppercaseMapping, p.titlecaseMapping] {
            let mapped = Array(mapping.unicodeScalars)
            if mapped.count == 1 { values.insert(mapped[0].value) }
        }
        // Scalars whose case folding is an ASCII letter or `å` without being a case of it.
        let folds: [(UInt32, UInt32)] = [(0x17F, 0x73), (0x212A, 0x6B), (0x212B, 0xE5)]   // ſ→s, K→k, Å→å
        for (special, folded) in folds where values.contains(folded) || values.contains(special) {
            values.formUnion([special, folded, folded == 0xE5 ? 0xC5 : folded - 0x20])
        }
        return ScalarClass(ranges: values.sorted().map { $0...$0 })
    }

    /// A bracket class, after its `[`.
    private mutating func bracket() throws(VocabularyError) -> ScalarClass {
        var set = ScalarClass()
        let negated = take("^")
        var first = true
        while true {
            guard let c = next else { throw failure("missing ']'") }
            if c == "]" && !first { position += 1; break }
            first = false
            position += 1
            let low: UInt32
            switch c {
            case "[": throw failure("nested classes and POSIX classes are not supported")
            case "\\":
                let item = try escape()
                guard let single = item.singleScalar else {
                    merge(item, into: &set)
                    continue
                }
                low = single
            default:
                if c == "&", next == "&" { throw failure("class intersection is not supported") }
                low = c.value
            }
            if next == "-", position + 1 < scalars.count, scalars[position + 1] != "]" {
                position += 1
                let highScalar = scalars[position]
                position += 1
                var high = highScalar.value
                if highScalar == "\\" {
                    guard let single = try escape().singleScalar else { throw failure("a range must end in a single character") }
                    high = single
                }
                guard low <= high else { throw failure("a range with its ends reversed") }
                set.ranges.append(low...high)
                if caseInsensitive { set.ranges += Self.asciiCaseCounterparts(low...high) }
            } else {
                merge(literal(low), into: &set)
            }
        }
        return negated ? set.inverted : set
    }

    /// The ranges of the other case of the ASCII letters in `range`.
    private static func asciiCaseCounterparts(_ range: ClosedRange<UInt32>) -> [ClosedRange<UInt32>] {
        var result: [ClosedRange<UInt32>] = []
        for (letters, shift) in [(UInt32(0x61)...0x7A, -0x20), (UInt32(0x41)...0x5A, 0x20)] where range.overlaps(letters) {
            let part = range.clamped(to: letters)
            result.append(UInt32(Int(part.lowerBound) + shift)...UInt32(Int(part.upperBound) + shift))
        }
        return result
    }

    /// Adds the members of `item` to `set`.
    private func merge(_ item: ScalarClass, into set: inout ScalarClass) {
        if item.negated {
            set.complements.append(item.inverted)
        } else {
            set.ranges += item.ranges
            set.categories |= item.categories
            set.whitespace = set.whitespace || item.whitespace
            set.word = set.word || item.word
            set.complements += item.complements
        }
    }

    /// An escape, after its backslash.
    private mutating func escape() throws(VocabularyError) -> ScalarClass {
        guard let c = next else { throw failure("a pattern ending in '\\'") }
        position += 1
        switch c {
        case "r": return ScalarClass(0x0D)
        case "n": return ScalarClass(0x0A)
        case "t": return ScalarClass(0x09)
        case "f": return ScalarClass(0x0C)
        case "v": return ScalarClass(0x0B)
        case "e": return ScalarClass(0x1B)
        case "a": return ScalarClass(0x07)
        case "0": return ScalarClass(0)
        case "s", "S":
            var set = ScalarClass()
            set.whitespace = true
            return c == "s" ? set : set.inverted
        case "d", "D":
            var set = ScalarClass()
            set.categories = GeneralCategoryBits.named("Nd") ?? 0
            return c == "d" ? set : set.inverted
        case "w", "W":
            var set = ScalarClass()
            set.word = true
            return c == "w" ? set : set.inverted
        case "p", "P":
            let name: String
            if take("{") {
                var text = ""
                while let s = next, s != "}" { text.unicodeScalars.append(s); position += 1 }
                guard take("}") else { throw failure("missing '}' in \\p{…}") }
                name = text
            } else {
                guard let s = next else { throw failure("\\p needs a property name") }
                position += 1
                name = String(s)
            }
            let negatedName = name.hasPrefix("^")
            guard let categories = GeneralCategoryBits.named(negatedName ? String(name.dropFirst()) : name) else {
                throw failure("the property \\p{\(name)} is not supported (general categories are)")
            }
            var set = ScalarClass()
            set.categories = categories
            return (c == "P") != negatedName ? set.inverted : set
        case "x", "u":
            let value: UInt32?
            if c == "x", take("{") {
                value = hexNumber(maxDigits: 8)
                guard take("}") else { throw failure("missing '}' in \\x{…}") }
            } else {
                value = hexNumber(maxDigits: c == "x" ? 2 : 4, exactly: true)
            }
            guard let value, Unicode.Scalar(value) != nil else { throw failure("an invalid \\\(c) escape") }
            return literal(value)
        default:
            let isASCIIAlphanumeric = c.isASCII && (c.properties.isAlphabetic || c.properties.numericType != nil)
            if isASCIIAlphanumeric { throw failure("the escape \\\(c) is not supported") }
            return literal(c.value)
        }
    }

    private mutating func hexNumber(maxDigits: Int, exactly: Bool = false) -> UInt32? {
        var value: UInt32 = 0
        var digits = 0
        while digits < maxDigits, let c = next, c.isASCII, let d = UInt8(exactly: c.value).flatMap(HexDigits.value(of:)) {
            value = value << 4 | UInt32(d)
            digits += 1
            position += 1
        }
        guard digits > 0, !exactly || digits == maxDigits else { return nil }
        return value
    }
}
