/// Renders grammars as text in a GBNF-like notation: `name ::= …`, `"literal"`,
/// `[a-z]` classes, `( … )` groups, `|`, `*`, `+`, `?`, `{m,n}`, and `&` / `-` for
/// intersection and difference of regular parts, `<automaton: N states>` for an embedded automaton.
enum GrammarPrinter {
    static func print(_ grammar: Grammar) -> String {
        var lines: [String] = []
        var ordered = grammar.rules.filter { $0.name == grammar.root }
        ordered += grammar.rules.filter { $0.name != grammar.root }
        for rule in ordered {
            lines.append("\(rule.name) ::= \(render(rule.body, precedence: 0))")
        }
        return lines.joined(separator: "\n")
    }

    /// Precedence: 0 choice, 1 intersection/difference, 2 sequence, 3 postfix/atom.
    static func render(_ e: Expression, precedence: Int) -> String {
        switch e {
        case .empty: return "\"\""
        case .nothing: return "[]"
        case .literal(let bytes): return quote(bytes)
        case .byteClass(let ranges):
            return "[" + ranges.map { r in
                r.lowerBound == r.upperBound ? byte(r.lowerBound) : "\(byte(r.lowerBound))-\(byte(r.upperBound))"
            }.joined() + "]"
        case .characterClass(let set):
            if set == .all { return "." }
            let inverted = set.inverted()
            if inverted.ranges.count < set.ranges.count { return "[^\(inverted)]" }
            return "[\(set)]"
        case .ruleReference(let name): return name
        case .sequence(let parts):
            return group(parts.map { render($0, precedence: 3) }.joined(separator: " "), 2, precedence)
        case .choice(let parts):
            return group(parts.map { render($0, precedence: 1) }.joined(separator: " | "), 0, precedence)
        case .intersection(let parts):
            return group(parts.map { render($0, precedence: 2) }.joined(separator: " & "), 1, precedence)
        case .difference(let a, let b):
            return group("\(render(a, precedence: 2)) - \(render(b, precedence: 2))", 1, precedence)
        case .automaton(let automaton):
            return "<automaton: \(automaton.stateCount) states>"
        case .lazyAutomaton(let automaton):
            return "<lazy automaton: \(automaton.definition.identity)>"
        case .repetition(let inner, let min, let max):
            let suffix: String
            switch (min, max) {
            case (0, nil): suffix = "*"
            case (1, nil): suffix = "+"
            case (0, 1?): suffix = "?"
            case (let m, nil): suffix = "{\(m),}"
            case (let m, let n?) where m == n: suffix = "{\(m)}"
            case (let m, let n?): suffix = "{\(m),\(n)}"
            }
            return render(inner, precedence: 4) + suffix
        }
    }

    private static func group(_ text: String, _ own: Int, _ context: Int) -> String {
        own < context ? "(\(text))" : text
    }

    private static func quote(_ bytes: [UInt8]) -> String {
        var out = "\""
        var i = 0
        while i < bytes.count {
            let b = bytes[i]
            switch b {
            case 0x22: out += "\\\""
            case 0x5C: out += "\\\\"
            case 0x0A: out += "\\n"
            case 0x0D: out += "\\r"
            case 0x09: out += "\\t"
            case 0x20..<0x7F: out.unicodeScalars.append(Unicode.Scalar(b))
            default:
                // Print a whole UTF-8 sequence as its character when it decodes.
                if let (scalar, length) = decodeUTF8(bytes, at: i) {
                    out.unicodeScalars.append(scalar)
                    i += length
                    continue
                }
                out += "\\x" + hex(UInt32(b), width: 2)
            }
            i += 1
        }
        return out + "\""
    }

    private static func byte(_ b: UInt8) -> String {
        if b > 0x20, b < 0x7F, !"\\^-[]".contains(Character(Unicode.Scalar(b))) {
            return String(Character(Unicode.Scalar(b)))
        }
        return "\\x" + hex(UInt32(b), width: 2)
    }
}

/// Decodes one UTF-8 sequence at `index` (multi-byte only), or nil if invalid.
func decodeUTF8(_ bytes: [UInt8], at index: Int) -> (Unicode.Scalar, Int)? {
    let b0 = bytes[index]
    let length: Int
    switch b0 {
    case 0xC2...0xDF: length = 2
    case 0xE0...0xEF: length = 3
    case 0xF0...0xF4: length = 4
    default: return nil
    }
    guard index + length <= bytes.count else { return nil }
    var value = UInt32(b0) & (0xFF >> (length + 1))
    for k in 1..<length {
        let b = bytes[index + k]
        guard b & 0xC0 == 0x80 else { return nil }
        value = value << 6 | UInt32(b & 0x3F)
    }
    guard let scalar = Unicode.Scalar(value), String(scalar).utf8.count == length else { return nil }
    return (scalar, length)
}
