/// A context-free grammar over bytes: named rules and a root rule.
///
/// Grammars are plain values. Front ends (JSON Schema, regex) build them; the `Automata`
/// module compiles them against a vocabulary. `description` prints a readable, GBNF-like dump.
public struct Grammar: Hashable, Sendable, CustomStringConvertible {
    /// One named rule.
    public struct Rule: Hashable, Sendable {
        /// The rule's name, unique in its grammar.
        public var name: String
        /// What the rule matches.
        public var body: Expression

        /// A rule named `name` matching `body`.
        public init(name: String, body: Expression) {
            self.name = name
            self.body = body
        }
    }

    /// The rules, in the order they were defined; names are unique.
    public private(set) var rules: [Rule]
    /// The name of the rule the whole output must match.
    public var root: String
    /// Whether the output is JSON text whose objects must not repeat a member name. No
    /// context-free grammar states that over open key languages (pattern or additional
    /// properties), so matchers enforce it on the output so far: a token that would complete a
    /// key equal (after unescaping) to an earlier key of the same object is not allowed. The
    /// JSON Schema front end sets it.
    public var distinctObjectKeys = false
    /// The rules matching JSON arrays whose elements must be pairwise distinct (JSON Schema
    /// `uniqueItems` over item languages too large to write out). No context-free grammar
    /// states that, so matchers enforce it on the output: each such rule must start with `[`
    /// (its array's opening bracket) and is never inlined, so the automaton can tell which
    /// open arrays it governs; a token that would complete an element equal (as JSON values)
    /// to an earlier element of such an array is not allowed.
    public var uniqueArrayRules: Set<String> = []

    private var indexByName: [String: Int]

    /// A grammar with the given rules; `root` names one of them.
    public init(rules: [Rule], root: String) {
        self.rules = []
        self.root = root
        self.indexByName = [:]
        for rule in rules { define(rule.name, rule.body) }
    }

    /// A grammar of one rule, `root`, matching `expression`.
    public init(_ expression: Expression) {
        self.init(rules: [Rule(name: "root", body: expression)], root: "root")
    }

    /// Defines (or redefines) rule `name`.
    public mutating func define(_ name: String, _ body: Expression) {
        if let index = indexByName[name] {
            rules[index].body = body
        } else {
            indexByName[name] = rules.count
            rules.append(Rule(name: name, body: body))
        }
    }

    /// The rule named `name`, if defined.
    public func rule(named name: String) -> Rule? {
        indexByName[name].map { rules[$0] }
    }

    /// The index of rule `name` in `rules`, if defined.
    public func index(of name: String) -> Int? { indexByName[name] }

    /// A readable dump, one rule a line, in a GBNF-like notation.
    public var description: String { GrammarPrinter.print(self) }

    public static func == (a: Grammar, b: Grammar) -> Bool {
        a.rules == b.rules && a.root == b.root && a.distinctObjectKeys == b.distinctObjectKeys
            && a.uniqueArrayRules == b.uniqueArrayRules
    }
    public func hash(into hasher: inout Hasher) {
        hasher.combine(rules)
        hasher.combine(root)
        hasher.combine(distinctObjectKeys)
        hasher.combine(uniqueArrayRules)
    }
}
