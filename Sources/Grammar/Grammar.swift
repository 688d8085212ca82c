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
        /// Whether many grammars share this rule unchanged, with a regular body that refers to
        /// no rule (the lexemes of JSON numbers, say). A hint: the automaton compiler then
        /// builds the body's minimal deterministic automaton once per process and reuses it,
        /// instead of expanding the body in every grammar. The language is the same either way.
        public var isShared: Bool

        /// A rule named `name` matching `body`; `isShared`: see `isShared`.
        public init(name: String, body: Expression, isShared: Bool = false) {
            self.name = name
            self.body = body
            self.isShared = isShared
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
    /// With `distinctObjectKeys`: whether some object's extra members have a key language
    /// narrowed by patterns or `propertyNames`, which may be finite, so that distinct names
    /// alone can lead to dead ends (`{"a":0,"a` over keys `^[ab]$`) that matchers must search
    /// for. Open key languages (additional properties of any name) cannot. The JSON Schema front
    /// end sets it.
    public var narrowedObjectKeys = false
    /// Which long repetitions are counted rather than unrolled (nil: all are unrolled).
    public var lengthCounter: LengthCounter?
    /// The rules matching JSON arrays whose elements must be pairwise distinct (JSON Schema
    /// `uniqueItems` over item languages too large to write out). No context-free grammar
    /// states that, so matchers enforce it on the output: each such rule must start with `[`
    /// (its array's opening bracket) and is never inlined, so the automaton can tell which
    /// open arrays it governs; a token that would complete an element equal (as JSON values)
    /// to an earlier element of such an array is not allowed.
    public var uniqueArrayRules: Set<String> = []
    /// The rules of `uniqueArrayRules` whose elements are not open: some unfinished element
    /// has only finitely many completing values (`[0, 0`, a closed object's last member, an
    /// enum value half written). After each token, matchers also check that the element being
    /// read can still end with a value its array does not hold, and refuse the token otherwise.
    public var closedUniqueArrayRules: Set<String> = []

    /// The index of each rule in `rules`, by name.
    private(set) var indexByName: RuleNameTable

    /// A grammar with the given rules; `root` names one of them.
    public init(rules: [Rule], root: String) {
        self.rules = []
        self.root = root
        self.indexByName = RuleNameTable(capacity: rules.count)
        self.rules.reserveCapacity(rules.count)
        for rule in rules { define(rule.name, rule.body, isShared: rule.isShared) }
    }

    /// A grammar of one rule, `root`, matching `expression`.
    public init(_ expression: Expression) {
        self.init(rules: [Rule(name: "root", body: expression)], root: "root")
    }

    /// Defines (or redefines) rule `name`; `isShared`: see `Rule.isShared`.
    public mutating func define(_ name: String, _ body: Expression, isShared: Bool = false) {
        // One hashed lookup: a new name gets the next index as it is looked up.
        let (index, inserted) = indexByName.insert(name)
        if inserted {
            rules.append(Rule(name: name, body: body, isShared: isShared))
        } else {
            rules[index].body = body
            rules[index].isShared = isShared
        }
    }

    /// The rule named `name`, if defined.
    public func rule(named name: String) -> Rule? {
        indexByName.index(of: name).map { rules[$0] }
    }

    /// The index of rule `name` in `rules`, if defined.
    public func index(of name: String) -> Int? { indexByName.index(of: name) }

    /// A readable dump, one rule a line, in a GBNF-like notation.
    public var description: String { GrammarPrinter.print(self) }

    public static func == (a: Grammar, b: Grammar) -> Bool {
        a.rules == b.rules && a.root == b.root && a.distinctObjectKeys == b.distinctObjectKeys
            && a.narrowedObjectKeys == b.narrowedObjectKeys
            && a.lengthCounter == b.lengthCounter
            && a.uniqueArrayRules == b.uniqueArrayRules && a.closedUniqueArrayRules == b.closedUniqueArrayRules
    }
    public func hash(into hasher: inout Hasher) {
        hasher.combine(rules)
        hasher.combine(root)
        hasher.combine(distinctObjectKeys)
        hasher.combine(narrowedObjectKeys)
        hasher.combine(lengthCounter)
        hasher.combine(uniqueArrayRules)
        hasher.combine(closedUniqueArrayRules)
    }
}
