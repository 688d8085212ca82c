/// A parsed command line: positional arguments, `--flag`s and `--option value`s.
struct Arguments {
    var positionals: [String] = []
    var flags: Set<String> = []
    var options: [String: String] = [:]

    /// Parses `arguments`; `valued` names the options that take a value.
    init(_ arguments: [String], valued: Set<String>, flags known: Set<String>) throws(UsageError) {
        var i = 0
        while i < arguments.count {
            let arg = arguments[i]
            if arg == "--" {
                positionals += arguments[(i + 1)...]
                break
            }
            if arg.hasPrefix("--") && arg.count > 2 {
                var name = String(arg.dropFirst(2))
                var inlineValue: String?
                if let eq = name.firstIndex(of: "=") {
                    inlineValue = String(name[name.index(after: eq)...])
                    name = String(name[..<eq])
                }
                if valued.contains(name) {
                    if let inlineValue {
                        options[name] = inlineValue
                    } else {
                        guard i + 1 < arguments.count else { throw UsageError("option --\(name) needs a value") }
                        options[name] = arguments[i + 1]
                        i += 1
                    }
                } else if known.contains(name) {
                    guard inlineValue == nil else { throw UsageError("flag --\(name) takes no value") }
                    flags.insert(name)
                } else {
                    throw UsageError("unknown option --\(name)")
                }
            } else if arg == "-h" {
                flags.insert("help")
            } else {
                positionals.append(arg)
            }
            i += 1
        }
    }

    /// The value of `--name` as an integer, or `fallback`.
    func int(_ name: String, default fallback: Int) throws(UsageError) -> Int {
        guard let text = options[name] else { return fallback }
        guard let value = Int(text) else { throw UsageError("--\(name) needs a whole number, not '\(text)'") }
        return value
    }
}

/// Bad command-line usage (exit status 64).
struct UsageError: Error, CustomStringConvertible {
    var description: String
    init(_ message: String) { description = message }
}
