import class Foundation.NSLock

/// The bodies of the `format-…` rules (a format's language, JSON-encoded), built once per
/// process: encoding `date-time` alone visits thousands of nodes, and every grammar then holds
/// the same body, which the automaton compiler recognizes as a shared rule
/// (`Grammar.Rule.isShared`) and compiles once. Thread-safe.
package enum FormatRuleBodies {
    /// The rule body of format `name` (`.nothing` when gramc does not support it), simplified.
    static func body(named name: String, portable: Bool) -> Expression {
        let key = Key(name: name, minLength: 0, maxLength: nil, portable: portable)
        return cached(key) { JSONStringEncoding.encode(FormatLanguage.language(named: name, portable: portable) ?? .nothing) }
    }

    /// The rule body of format `name` restricted to `minLength…maxLength` scalars, when
    /// `FormatLanguage.language(named:minLength:maxLength:portable:)` builds it in.
    static func body(named name: String, minLength: Int, maxLength: Int?, portable: Bool) -> Expression? {
        let key = Key(name: name, minLength: minLength, maxLength: maxLength, portable: portable)
        let body = cached(key) {
            FormatLanguage.language(named: name, minLength: minLength, maxLength: maxLength, portable: portable)
                .map(JSONStringEncoding.encode) ?? .nothing
        }
        return body == .nothing ? nil : body
    }

    /// The format and portability whose whole rule body (no length restriction) is `body`,
    /// when that body has been built in this process: how the automaton compiler recognizes a
    /// format whose minimal automaton it holds prebuilt (`FormatAutomata`).
    package static func format(ofBody body: Expression) -> (name: String, portable: Bool)? {
        lock.lock()
        defer { lock.unlock() }
        return formats[body].map { ($0.name, $0.portable) }
    }

    private struct Key: Hashable {
        var name: String
        var minLength: Int
        var maxLength: Int?
        var portable: Bool
    }

    /// At most this many bodies are kept (length-restricted ones vary with the schema);
    /// beyond it the cache starts over.
    private static let capacity = 256
    private static let lock = NSLock()
    nonisolated(unsafe) private static var bodies: [Key: Expression] = [:]
    /// The keys of the whole-format bodies in `bodies`, by body.
    nonisolated(unsafe) private static var formats: [Expression: Key] = [:]

    private static func cached(_ key: Key, _ make: () -> Expression) -> Expression {
        lock.lock()
        let known = bodies[key]
        lock.unlock()
        if let known { return known }
        let body = GrammarSimplifier.rebuild(make()) { _ in nil }
        lock.lock()
        if bodies.count >= capacity {
            bodies.removeAll(keepingCapacity: true)
            formats.removeAll(keepingCapacity: true)
        }
        bodies[key] = body
        if key.minLength == 0, key.maxLength == nil { formats[body] = key }
        lock.unlock()
        return body
    }
}
