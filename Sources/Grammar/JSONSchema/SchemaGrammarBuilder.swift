/// Translates a schema document into a grammar.
///
/// Schemas are named by *atoms*: a location (`""`, `/properties/a`, `@1/$defs/x` in a remote
/// document), with `\u{1}n` appended when it is used in dynamic scope `n` (see `$dynamicRef`);
/// `!atom`, the negation of a schema; `#n`, a node the compiler made (`#T` true, `#F` false).
///
/// A rule stands for a *conjunction* of atoms closed under `allOf`, `$ref`, `not` and the
/// like (`Closure`), restricted to a set of JSON types. Its assertions are merged exactly
/// (`SchemaConstraints`). A disjunction in the conjunction (`anyOf`, `oneOf`, `if`, the
/// dependencies, and the disjunctions negation makes) is distributed: the rule chooses among
/// the conjunctions extended by one branch each. Negation is pushed down to single keywords
/// (`¬minLength: 3` is "a string of at most 2 scalars"), so `not`, exact `oneOf`,
/// `if`/`then`/`else` and `contains` counting are exact wherever each keyword's negation is.
/// Every conjunction the output can reach becomes a rule, shared by everything that refers to
/// it, so recursive schemas give recursive grammars.
struct SchemaGrammarBuilder {
    let document: SchemaDocument
    let options: JSONSchemaOptions
    let lexicon: JSONLexicon
    /// Keywords skipped under `lenient`.
    var relaxations: [Relaxation] = []
    /// Whether some object admits members beyond its declared properties (additional or
    /// pattern properties), whose names the grammar cannot keep distinct.
    var admitsExtraMembers = false
    /// Whether some object's extra members have a key language narrowed by patterns or
    /// `propertyNames` (`Grammar.narrowedObjectKeys`).
    var narrowsExtraKeys = false

    let synthetic = SyntheticNodes()
    /// The exclusion languages of portable patterns.
    let patternExclusions = PatternExclusions()
    /// Answers of string membership in patterns and formats (`propertySchemas`, constants).
    let membership = MembershipCache()
    /// Divisibility automata by their parameters, nil where the budget was exceeded (the
    /// same divisors meet different bounds under several property schemas).
    var divisibilityAutomata: [DivisibilityParameters: NumeralAutomaton?] = [:]
    /// Bounded number languages as automata by their bounds (`boundedNumber`), nil where the
    /// expression is kept.
    var boundedNumbers: [BoundedNumberParameters: Expression?] = [:]
    /// Nodes read from the document, by raw location (with dynamic scopes only).
    var rawNodes: [String: SchemaNode] = [:]
    /// The atoms whose nodes have been read (contextualized, negations built), each node at
    /// its atom's index in `cachedNodes` (a hash of the atom's bytes, not SipHash).
    var nodeCache = RuleNameTable()
    /// The nodes of the atoms of `nodeCache`, by index.
    var cachedNodes: [CachedNode] = []
    /// `closureStep(_:)` by atom number (nil: not read yet).
    var closureSteps: [ClosureStep?] = []
    /// The node of each numbered atom (`node(_:)`), by number, as closures merge their
    /// assertions (nil: not read yet).
    var numberedNodes: [CachedNode?] = []
    /// Atoms numbered as closures first meet them (closures keep sets of numbers, `AtomSet`):
    /// an atom's number is its index here (a hash of the pointer's bytes, not SipHash: tens of
    /// thousands of lookups of long pointers on large schemas).
    var atomNumbers = RuleNameTable()
    /// The numbered atoms, by number, each with the base of the rule names derived from its
    /// pointer once a rule is named after it (`freshName(namedAfterAtom:)`: conjunctions are named
    /// after their first location thousands of times, and deriving the base scans the whole
    /// pointer).
    var numberedAtoms: [NumberedAtom] = []
    /// The disjunctions closures meet, each with its branches' numbers (`ClosureStep.groups`
    /// and `Closure.groups` index it).
    var metGroups: [(group: BranchGroup, branches: [Int32], id: Int32)] = []
    /// Group ids (`BranchGroup.id`) numbered on first use, for conjunction keys.
    var groupIDNumbers: [String: Int32] = [:]
    /// `contextFreeDisjointness(of:)` by the group's branches.
    var branchDisjointness: [AtomListKey: [[Bool]]] = [:]
    /// `reference(to:types:)` by atoms (their numbers) and types.
    var references: [ConjunctionKey: Expression] = [:]
    var grammar: Grammar
    /// The lexicon's rules, which `grammar` begins with, as the simplifier keeps them.
    let lexiconRules: GrammarSimplifier.KeptRules
    /// Conjunction key → rule name.
    var ruleNames: [ConjunctionKey: String] = [:]
    /// Conjunctions whose rule is named but not yet defined.
    var pending: [(closure: Closure, name: String)] = []
    /// The names of rules made so far, beside `reservedNames`.
    var usedNames: Set<String> = []
    /// The names the lexicon and the format rules use (shared by every build, never copied).
    let reservedNames: Set<String>
    /// The next suffix to try per base name.
    var nameCounters: [String: Int] = [:]
    /// Relaxations already reported, so each is reported once.
    var reported: Set<String> = []
    /// Dynamic scopes: for each, the dynamic anchors bound (name → location); 0 is empty.
    var scopes: [[String: String]] = [[:]]
    var scopeIndex: [[String: String]: Int] = [[:]: 0]
    /// Whether dynamic scopes matter at all (some `$dynamicAnchor` or `$recursiveAnchor`).
    let usesDynamicScope: Bool
    /// The merged assertions of the conjunctions of required members' schemas, by atoms
    /// (`isContradictory` checks them in every conjunction that requires the member).
    var memberConstraints: [AtomListKey: SchemaConstraints] = [:]
    /// Memoized string languages of conjunctions (`propertyNames`, member existence).
    var stringLanguages: [AtomListKey: Expression] = [:]
    /// Object bodies (`object(_:closure:ruleName:)`) by what they are made of: conjunctions
    /// that differ in other types' assertions only share one object automaton.
    var objectBodies: [ObjectInputs: Expression] = [:]
    /// Guards recursion in validation and language computations.
    var depth = 0

    init(document: SchemaDocument, options: JSONSchemaOptions) {
        self.document = document
        self.options = options
        let fractions: NumberLanguage.Fractions = document.dialect == .draft4 ? .none : .zerosOnly
        lexicon = JSONLexicon(options.whitespace, integerFractions: fractions)
        (grammar, reservedNames, lexiconRules) = options.whitespace == JSONSchemaOptions().whitespace
            ? SchemaGrammarBuilder.defaultStarts[fractions]!
            : SchemaGrammarBuilder.start(lexicon)
        usesDynamicScope = !document.dynamicAnchors.isEmpty || !document.recursiveAnchors.isEmpty
    }

    /// The grammar a build starts from (the lexicon's rules), the rule names it reserves, and
    /// the lexicon's rules as the simplifier keeps them.
    private static func start(_ lexicon: JSONLexicon) -> Start {
        let grammar = Grammar(rules: lexicon.rules.map { Grammar.Rule(name: $0.name, body: $0.body, isShared: $0.references.isEmpty) },
                              root: "root")
        return (grammar, Set(grammar.rules.map(\.name) + FormatLanguage.names.map { "format-" + $0 }),
                GrammarSimplifier.KeptRules(names: lexicon.rules.map(\.name), references: lexicon.rules.map(\.references)))
    }

    /// What a build starts from: see `start(_:)`.
    private typealias Start = (grammar: Grammar, reservedNames: Set<String>, lexiconRules: GrammarSimplifier.KeptRules)

    /// `start(_:)` for the default whitespace policy, once per process.
    private static let defaultStarts: [NumberLanguage.Fractions: Start] = Dictionary(
        uniqueKeysWithValues: [NumberLanguage.Fractions.any, .zerosOnly, .none].map {
            ($0, start(JSONLexicon(JSONSchemaOptions().whitespace, integerFractions: $0)))
        })

    /// The atom of the root schema.
    mutating func rootAtom() -> String { atom(for: "", scope: enter(0, resourceOf: "")) }

    /// The grammar of the documents the root schema admits.
    mutating func build() throws(GrammarError) -> Grammar {
        let root = try closure(of: [rootAtom()], types: .all)
        ruleNames[root.key] = "root"
        usedNames.insert("root")
        pending.append((root, "root"))
        while let (closure, name) = pending.popLast() {
            grammar.define(name, try body(of: closure, ruleName: name))
            guard grammar.rules.count <= JSONSchemaLimits.maxRules else {
                throw GrammarError(.limitExceeded, "the grammar needs more than \(JSONSchemaLimits.maxRules) rules",
                                   at: .jsonPointer(describe(firstLocation(of: closure))))
            }
        }
        // The lexicon's rules are simplified and factored already (`JSONLexicon.SimplifiedBody`).
        let reduced = GrammarSimplifier.simplify(grammar, keeping: lexiconRules, opaque: grammar.uniqueArrayRules)
        let simplified = AlternativeFactoring.factored(reduced.grammar, skippingFirst: reduced.keptCount)
        if simplified.rule(named: simplified.root)?.body == .nothing {
            throw GrammarError(.unsatisfiable, "no JSON document satisfies the schema", at: .jsonPointer(""))
        }
        return simplified
    }

    // MARK: Atoms and nodes

    /// The raw location of an atom naming a schema of the document (nil for `!…` and `#…`).
    static func location(of atom: String) -> (location: String, scope: Int)? {
        if atom.isEmpty { return ("", 0) }
        guard let first = atom.utf8.first, first != UInt8(ascii: "!"), first != UInt8(ascii: "#") else { return nil }
        // The mark is looked for in the contiguous UTF-8 (the view's generic search is slow).
        var text = atom
        guard let offset = text.withUTF8(scopeMarkOffset(in:)) else { return (atom, 0) }
        let mark = atom.utf8.index(atom.utf8.startIndex, offsetBy: offset)
        return (String(atom[..<mark]), Int(atom[atom.utf8.index(after: mark)...]) ?? 0)
    }

    /// The offset of the first byte 1 (the dynamic-scope mark of an atom) in `bytes`, eight
    /// bytes a step: a word's lowest byte flagged by the zero-byte test of the word XOR
    /// 0x01…01 is its first byte 1 (a borrow only flags bytes above a zero byte).
    static func scopeMarkOffset(in bytes: UnsafeBufferPointer<UInt8>) -> Int? {
        guard let base = bytes.baseAddress else { return nil }
        let raw = UnsafeRawPointer(base)
        let whole = bytes.count & ~7
        var offset = 0
        while offset < whole {
            let word = UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: offset, as: UInt64.self)) ^ 0x0101_0101_0101_0101
            let flagged = (word &- 0x0101_0101_0101_0101) & ~word & 0x8080_8080_8080_8080
            if flagged != 0 { return offset + flagged.trailingZeroBitCount >> 3 }
            offset += 8
        }
        while offset < bytes.count {
            if bytes[offset] == 1 { return offset }
            offset += 1
        }
        return nil
    }

    /// The atom of `location` in dynamic scope `scope`.
    func atom(for location: String, scope: Int) -> String { scope == 0 ? location : location + "\u{1}\(scope)" }

    /// A readable location for messages.
    func describe(_ atom: String) -> String {
        if let (location, _) = SchemaGrammarBuilder.location(of: atom) { return document.describe(location) }
        if atom.hasPrefix("!") { return describe(String(atom.dropFirst())) }
        return ""
    }

    /// A node of `nodeCache`, read in place (`node(a).node.groups`): a copy of the node
    /// retains and releases each of its dozens of stored arrays and strings, and most readers
    /// read one or two fields.
    final class CachedNode {
        /// The node.
        let node: SchemaNode

        init(_ node: SchemaNode) { self.node = node }
    }

    /// The node an atom names.
    mutating func node(_ atom: String) throws(GrammarError) -> CachedNode {
        if let index = nodeCache.index(of: atom) { return cachedNodes[index] }
        // Each node goes into its box as it is made (a node held in a local first was copied).
        let cached: CachedNode
        if atom.hasPrefix("!") {
            cached = CachedNode(try negatedNode(of: String(atom.dropFirst())))
        } else if let made = synthetic.node(atom) {
            cached = CachedNode(made)
        } else if let (location, scope) = SchemaGrammarBuilder.location(of: atom) {
            cached = CachedNode(try contextualized(try rawNode(at: location), at: location, scope: scope, atom: atom))
        } else {
            throw GrammarError(.invalidGrammar, "unknown schema atom \(atom)")
        }
        let (index, inserted) = nodeCache.insert(atom)
        if inserted { cachedNodes.append(cached) } else { cachedNodes[index] = cached }
        return cached
    }

    /// The node read at `location`, without dynamic scope.
    mutating func rawNode(at location: String) throws(GrammarError) -> SchemaNode {
        // Without dynamic scopes every atom naming a location is the location itself (scope 0),
        // whose node `nodeCache` keeps: the location is read once without this table.
        guard usesDynamicScope else {
            return try SchemaNode(at: location, in: document, options: options, synthetic: synthetic,
                                  patternExclusions: patternExclusions, relaxations: &relaxations)
        }
        if let node = rawNodes[location] { return node }
        let node = try SchemaNode(at: location, in: document, options: options, synthetic: synthetic,
                                  patternExclusions: patternExclusions, relaxations: &relaxations)
        rawNodes[location] = node
        return node
    }

    /// `raw` (read at `location`) with its atoms placed in dynamic scope `scope` and its
    /// dynamic references resolved there; owners become `atom`.
    /// `raw` is consumed: in the empty dynamic scope it becomes the result in place (a node
    /// has dozens of stored arrays and strings, each retained and released by a copy).
    mutating func contextualized(_ raw: consuming SchemaNode, at location: String, scope: Int, atom: String) throws(GrammarError) -> SchemaNode {
        let (dynamicReference, recursiveReference) = (raw.dynamicReference, raw.recursiveReference)
        var node = usesDynamicScope || atom != location
            ? mapped(raw, scope: scope, owner: atom, ownerLocation: location)
            : SchemaGrammarBuilder.placed(raw, at: location)
        if let reference = dynamicReference {
            node.conjuncts.append(try resolveDynamic(reference, at: location, scope: scope))
        }
        if let reference = recursiveReference {
            node.conjuncts.append(try resolveRecursive(reference, at: location, scope: scope))
        }
        return node
    }

    /// `node`, read at `location`, as `mapped` makes it for the atom `location` itself (the
    /// empty dynamic scope, where every atom stays as it is): owners left empty become
    /// `location`, group ids are qualified by it, dynamic references are dropped. Only what
    /// changes is written: the node's atoms are neither mapped nor copied.
    static func placed(_ node: consuming SchemaNode, at location: String) -> SchemaNode {
        var result = node
        for index in result.groups.indices {
            if result.groups[index].owner.isEmpty { result.groups[index].owner = location }
            result.groups[index].id = location + "|" + result.groups[index].id
        }
        for index in result.constraints.objectShapes.indices where result.constraints.objectShapes[index].owner.isEmpty {
            result.constraints.objectShapes[index].owner = location
        }
        for index in result.constraints.arrayShapes.indices where result.constraints.arrayShapes[index].owner.isEmpty {
            result.constraints.arrayShapes[index].owner = location
        }
        for index in result.constraints.contains.indices where result.constraints.contains[index].owner.isEmpty {
            result.constraints.contains[index].owner = location
        }
        func placeOwners(_ items: inout [UnevaluatedConstraint]) {
            for index in items.indices where items[index].owners.contains(where: \.isEmpty) {
                items[index].owners = items[index].owners.map { $0.isEmpty ? location : $0 }
            }
        }
        placeOwners(&result.constraints.unevaluatedItems)
        placeOwners(&result.constraints.unevaluatedProperties)
        placeOwners(&result.constraints.unevaluatedItemExistence)
        placeOwners(&result.constraints.unevaluatedPropertyExistence)
        result.dynamicReference = nil
        result.recursiveReference = nil
        return result
    }

    /// `node` with every atom it mentions mapped into dynamic scope `scope`.
    mutating func mapped(_ node: SchemaNode, scope: Int, owner: String, ownerLocation: String) -> SchemaNode {
        func map(_ atom: String, _ builder: inout SchemaGrammarBuilder) -> String {
            if atom.hasPrefix("!") { return "!" + map(String(atom.dropFirst()), &builder) }
            if atom.hasPrefix("#") {
                guard let made = builder.synthetic.node(atom), atom != SyntheticNodes.trueAtom, atom != SyntheticNodes.falseAtom else {
                    return atom
                }
                return builder.synthetic.intern(builder.mapped(made, scope: scope, owner: owner, ownerLocation: ownerLocation))
            }
            if atom.contains("\u{1}") { return atom }
            return builder.atom(for: atom, scope: builder.enter(scope, resourceOf: atom))
        }
        func mapOwner(_ raw: String) -> String { raw == ownerLocation || raw.isEmpty ? owner : raw }
        var result = node
        var builder = self
        result.conjuncts = node.conjuncts.map { map($0, &builder) }
        result.groups = node.groups.map { group in
            var copy = group
            copy.branches = group.branches.map { map($0, &builder) }
            copy.owner = mapOwner(group.owner)
            copy.id = owner + "|" + group.id
            return copy
        }
        var c = node.constraints
        c.objectShapes = c.objectShapes.map { shape in
            var copy = shape
            copy.properties = shape.properties.map { ($0.name, map($0.schema, &builder)) }
            copy.patterns = shape.patterns.map { PatternProperty(source: $0.source, language: $0.language, schema: map($0.schema, &builder)) }
            copy.additional = shape.additional.map { map($0, &builder) }
            copy.owner = mapOwner(shape.owner)
            return copy
        }
        c.arrayShapes = c.arrayShapes.map { shape in
            var copy = shape
            copy.prefix = shape.prefix.map { map($0, &builder) }
            copy.items = shape.items.map { map($0, &builder) }
            copy.owner = mapOwner(shape.owner)
            return copy
        }
        c.contains = c.contains.map { item in
            var copy = item
            copy.schema = map(item.schema, &builder)
            copy.owner = mapOwner(item.owner)
            return copy
        }
        func mapUnevaluated(_ item: UnevaluatedConstraint, _ builder: inout SchemaGrammarBuilder) -> UnevaluatedConstraint {
            UnevaluatedConstraint(schema: map(item.schema, &builder), owners: item.owners.map(mapOwner), pointer: item.pointer)
        }
        c.unevaluatedItems = c.unevaluatedItems.map { mapUnevaluated($0, &builder) }
        c.unevaluatedProperties = c.unevaluatedProperties.map { mapUnevaluated($0, &builder) }
        c.unevaluatedItemExistence = c.unevaluatedItemExistence.map { mapUnevaluated($0, &builder) }
        c.unevaluatedPropertyExistence = c.unevaluatedPropertyExistence.map { mapUnevaluated($0, &builder) }
        c.propertyNames = c.propertyNames.map { map($0, &builder) }
        c.existence = c.existence.map { item in
            MemberExistence(keys: item.keys.map { map($0, &builder) }, value: item.value.map { map($0, &builder) },
                            valuesByName: item.valuesByName.mapValues { map($0, &builder) })
        }
        result.constraints = c
        result.dynamicReference = nil
        result.recursiveReference = nil
        self = builder
        return result
    }

    /// Scope `scope` after entering the schema resource containing `location`: its dynamic
    /// anchors not yet bound are bound to it (the outermost binding wins).
    mutating func enter(_ scope: Int, resourceOf location: String) -> Int {
        guard usesDynamicScope else { return 0 }
        let resource = document.schemaInfo(at: location).resource
        var bindings = scopes[scope]
        var changed = false
        for (name, target) in document.dynamicAnchors[resource] ?? [:] where bindings[name] == nil {
            bindings[name] = target
            changed = true
        }
        if document.recursiveAnchors.contains(resource), bindings["\u{0}"] == nil {
            bindings["\u{0}"] = resource
            changed = true
        }
        guard changed else { return scope }
        if let known = scopeIndex[bindings] { return known }
        scopes.append(bindings)
        scopeIndex[bindings] = scopes.count - 1
        return scopes.count - 1
    }

    /// The atom a `$dynamicRef` at `location` designates in dynamic scope `scope`.
    mutating func resolveDynamic(_ reference: String, at location: String, scope: Int) throws(GrammarError) -> String {
        let initial = try document.resolve(reference, at: location, keyword: "$dynamicRef")
        let (_, fragment) = document.dynamicReferenceParts(reference, at: location)
        var target = initial
        if let fragment, !fragment.isEmpty, !fragment.hasPrefix("/"), document.declaresDynamicAnchor(fragment, at: initial),
           let bound = scopes[scope][fragment] {
            target = bound
        }
        return atom(for: target, scope: enter(scope, resourceOf: target))
    }

    /// The atom a `$recursiveRef` at `location` designates in dynamic scope `scope`.
    mutating func resolveRecursive(_ reference: String, at location: String, scope: Int) throws(GrammarError) -> String {
        let initial = try document.resolve(reference, at: location, keyword: "$recursiveRef")
        var target = initial
        if document.recursiveAnchors.contains(initial), let bound = scopes[scope]["\u{0}"] { target = bound }
        return atom(for: target, scope: enter(scope, resourceOf: target))
    }

    // MARK: Conjunctions

    /// A conjunction of atoms closed under conjuncts, with its disjunctions, restricted to `types`.
    struct Closure {
        /// The atoms the conjunction was formed from.
        var atoms: [String]
        /// Their numbers.
        var atomNumbers: [Int32] = []
        /// The JSON types the rule admits at most.
        var types: JSONTypeSet
        /// The numbers of the atoms with assertions of their own, in a fixed depth-first order.
        var locations: [Int32] = []
        /// The numbers of every atom reached, in depth-first order.
        var order: [Int32] = []
        /// The numbers of the atoms in `order`.
        var visited = AtomSet()
        /// The disjunctions met, in order (indices into `SchemaGrammarBuilder.metGroups`).
        var groups: [Int32] = []
        /// Parent → children: conjuncts, and the branches taken of groups (only recorded when
        /// the document uses `unevaluated*`, whose scopes are its only reader).
        var edges: [String: [String]] = [:]
        /// Whether the key must name every atom (unevaluated* scopes depend on them).
        var exactKey = false
        /// The merged assertions of `locations` before the restriction to `types`, when
        /// already known (closures that continue a base continue its merge too).
        var folded: SchemaConstraints? { foldedBox?.constraints }
        /// Whether `folded` is known.
        var isFolded: Bool { foldedBox != nil }
        /// `folded`, boxed: closures are copied at every step of a distribution, and the
        /// merge, a large value never changed in place, then costs one retain.
        var foldedBox: Folded?

        /// A merge of assertions, shared by the copies of a closure.
        final class Folded {
            let constraints: SchemaConstraints
            init(_ constraints: SchemaConstraints) { self.constraints = constraints }
        }

        /// The groups none of whose branches is part of the conjunction yet, relevant to `types`
        /// (set once the closure is complete: rule bodies, keys and checks read it many times).
        var pendingGroups: [BranchGroup] = []
        /// The numbers of the atoms the key names: `order`'s with `exactKey`, else `locations`'.
        var keyAtoms: [Int32] = []
        /// The numbers of the pending groups' ids (`SchemaGrammarBuilder.groupIDNumbers`).
        var pendingGroupIDs: [Int32] = []

        /// What identifies the conjunction's language.
        var key: ConjunctionKey { ConjunctionKey(atoms: keyAtoms, groups: pendingGroupIDs, types: types.rawValue) }
    }

    /// What identifies a conjunction's language: the atoms with assertions (every atom reached,
    /// when `unevaluated*` scopes depend on them) and the ids of the groups still to distribute,
    /// by number, and the types. (`references` keys the atoms a conjunction is formed from and
    /// the types the same way, without groups.)
    struct ConjunctionKey: Hashable {
        var atoms: [Int32]
        var groups: [Int32]
        var types: UInt8
    }

    /// The closure of the conjunction of `atoms`, restricted to `types`.
    mutating func closure(of atoms: [String], types: JSONTypeSet) throws(GrammarError) -> Closure {
        var result = Closure(atoms: atoms, types: types)
        for atom in atoms { result.atomNumbers.append(atomNumber(atom)) }
        result.exactKey = document.usesUnevaluated
        try walk(atoms, into: &result)
        findPendingGroups(of: &result)
        guard document.usesUnevaluated else { return result }
        for index in result.groups {
            let met = metGroups[Int(index)]
            for (branch, number) in zip(met.group.branches, met.branches) where result.visited.contains(number) {
                result.edges[met.group.owner, default: []].append(branch)
            }
        }
        return result
    }

    /// `closure(of: base.atoms + [atom], types: types)`, continuing `base`'s walk from `atom`
    /// instead of walking `base.atoms` again: the depth-first walk of `base.atoms` ends where
    /// `base` is, and everything it reached is closed under conjuncts, so the walk from `atom`
    /// meets the same atoms in the same order either way. Branches of a disjunction are
    /// distributed this way, one closure per branch over the same base.
    mutating func closure(extending base: Closure, with atom: String, types: JSONTypeSet) throws(GrammarError) -> Closure {
        // Group edges are appended after the walk: start over when they are recorded.
        guard !document.usesUnevaluated else { return try closure(of: base.atoms + [atom], types: types) }
        var result = base
        result.atoms.append(atom)
        result.atomNumbers.append(atomNumber(atom))
        result.types = types
        try walk([atom], into: &result)
        findPendingGroups(of: &result)
        // The merge is a left fold over the locations: continued from the base's, when known.
        if let baseFolded = base.folded {
            result.foldedBox = Closure.Folded(try merge(result.locations[base.locations.count...], into: baseFolded))
        }
        return result
    }

    /// `base` restricted to `types` (the same as `closure(of: base.atoms, types: types)`).
    func closure(restricting base: Closure, to types: JSONTypeSet) -> Closure {
        var result = base
        result.types = types
        findPendingGroups(of: &result)
        return result
    }

    /// Sets `closure.pendingGroups` from the groups met and the atoms visited.
    func findPendingGroups(of closure: inout Closure) {
        closure.pendingGroups = []
        closure.pendingGroupIDs = []
        for index in closure.groups {
            let met = metGroups[Int(index)]
            if !met.group.types.isDisjoint(with: closure.types) && !met.branches.contains(where: closure.visited.contains) {
                closure.pendingGroups.append(met.group)
                closure.pendingGroupIDs.append(met.id)
            }
        }
    }

    /// The number of `atom` (numbered on first use).
    mutating func atomNumber(_ atom: String) -> Int32 {
        let (index, inserted) = atomNumbers.insert(atom)
        if inserted {
            numberedAtoms.append(NumberedAtom(atom: atom))
            closureSteps.append(nil)
            numberedNodes.append(nil)
        }
        return Int32(index)
    }

    /// The atoms numbered `numbers`.
    func atoms(_ numbers: [Int32]) -> [String] { numbers.map { numberedAtoms[Int($0)].atom } }

    /// The first atom of `closure` with assertions of its own ("" when none): where its
    /// rule's errors and relaxations point.
    func firstLocation(of closure: Closure) -> String { closure.locations.first.map { numberedAtoms[Int($0)].atom } ?? "" }

    /// A numbered atom (`numberedAtoms`).
    struct NumberedAtom {
        /// The atom.
        let atom: String
        /// The base of the rule names derived from its pointer (nil until a rule is named after it).
        var nameBase: String?
        /// Whether that base was found taken (names are only added: it stays taken).
        var nameBaseTaken = false
        /// The types the atom admits on its own (nil until asked: `ownTypes(ofAtom:)`).
        var ownTypes: JSONTypeSet?
    }

    /// Continues the depth-first walk of `closure` from `atoms`, through conjuncts.
    private mutating func walk(_ atoms: [String], into result: inout Closure) throws(GrammarError) {
        let recordsEdges = document.usesUnevaluated
        var stack: [Int32] = []
        for atom in atoms.reversed() { stack.append(atomNumber(atom)) }
        while let number = stack.popLast() {
            guard result.visited.insert(number) else { continue }
            result.order.append(number)
            let step = try closureStep(number)
            if step.asserts { result.locations.append(number) }
            if step.asserts || result.exactKey { result.keyAtoms.append(number) }
            result.groups += step.groups
            if recordsEdges, !step.conjuncts.isEmpty {
                result.edges[numberedAtoms[Int(number)].atom, default: []] += step.conjuncts.map { numberedAtoms[Int($0)].atom }
            }
            stack += step.conjuncts.reversed()
        }
    }

    /// What `closure(of:types:)` reads of one node.
    struct ClosureStep {
        /// Whether the node has assertions of its own.
        var asserts: Bool
        /// The numbers of the node's conjuncts.
        var conjuncts: [Int32]
        /// The node's disjunctions, without `anyOf`s that always hold (indices into `metGroups`).
        var groups: [Int32]
    }

    /// The closure step of the atom numbered `number`, memoized (closures walk the same nodes
    /// over and over, and copying a whole `SchemaNode` each time cost more than the walk).
    mutating func closureStep(_ number: Int32) throws(GrammarError) -> ClosureStep {
        if let known = closureSteps[Int(number)] { return known }
        let cached = try numberedNode(number)
        var groups: [Int32] = []
        for group in cached.node.groups {
            if group.kind == .anyOf, !document.usesUnevaluated, try hasTrivialBranch(group) { continue }
            var branches: [Int32] = []
            for branch in group.branches { branches.append(atomNumber(branch)) }
            let id: Int32
            if let known = groupIDNumbers[group.id] {
                id = known
            } else {
                id = Int32(groupIDNumbers.count)
                groupIDNumbers[group.id] = id
            }
            groups.append(Int32(metGroups.count))
            metGroups.append((group, branches, id))
        }
        var conjuncts: [Int32] = []
        for conjunct in cached.node.conjuncts { conjuncts.append(atomNumber(conjunct)) }
        let step = ClosureStep(asserts: !cached.node.constraints.isUnconstrained, conjuncts: conjuncts, groups: groups)
        closureSteps[Int(number)] = step
        return step
    }

    /// Whether a branch of `group` asserts and applies nothing (the group always holds).
    mutating func hasTrivialBranch(_ group: BranchGroup) throws(GrammarError) -> Bool {
        for branch in group.branches where try node(branch).node.isTrivial { return true }
        return false
    }

    /// The merged assertions of the closure's atoms (types restricted to the closure's).
    mutating func constraints(of closure: Closure) throws(GrammarError) -> SchemaConstraints {
        var merged: SchemaConstraints
        if let folded = closure.folded { merged = folded } else { merged = try merge(closure.locations[...]) }
        merged.types.formIntersection(closure.types)
        return merged
    }

    /// `start` merged with the assertions of the atoms numbered `locations`, in order (`start`
    /// is consumed: the merge continues in it).
    mutating func merge(_ locations: ArraySlice<Int32>, into start: consuming SchemaConstraints = SchemaConstraints()) throws(GrammarError) -> SchemaConstraints {
        var merged = start
        for number in locations { merged.formIntersection(try numberedNode(number).node.constraints) }
        return merged
    }

    /// The types the atom numbered `number` admits on its own: those of the merged assertions
    /// of its closure (the atoms reached through conjuncts), memoized by number. A conjunction's
    /// merged types are the intersection of its atoms' own types.
    ///
    /// The walk is `walk(_:into:)`'s, in the same order: where a node cannot be read, the same
    /// node fails first as in a closure extended by this atom (the atoms such a closure skips
    /// were read already, and everything they reach with them).
    mutating func ownTypes(ofAtom number: Int32) throws(GrammarError) -> JSONTypeSet {
        if let known = numberedAtoms[Int(number)].ownTypes { return known }
        var types = JSONTypeSet.all
        var visited = AtomSet()
        var stack: [Int32] = [number]
        while let next = stack.popLast() {
            guard visited.insert(next) else { continue }
            let step = try closureStep(next)
            if step.asserts { types.formIntersection(try numberedNode(next).node.constraints.types) }
            stack += step.conjuncts.reversed()
        }
        numberedAtoms[Int(number)].ownTypes = types
        return types
    }

    /// `node(_:)` of the atom numbered `number`, memoized by number (closures merge the same
    /// atoms' assertions over and over: no string hashing; the assertions are read in place).
    mutating func numberedNode(_ number: Int32) throws(GrammarError) -> CachedNode {
        if let known = numberedNodes[Int(number)] { return known }
        let cached = try node(numberedAtoms[Int(number)].atom)
        numberedNodes[Int(number)] = cached
        return cached
    }

    /// `closure` with its merged assertions known (before it is extended by many branches).
    mutating func withFoldedConstraints(_ closure: Closure) throws(GrammarError) -> Closure {
        guard !closure.isFolded else { return closure }
        var result = closure
        result.foldedBox = Closure.Folded(try merge(closure.locations[...]))
        return result
    }

    /// An expression for the values satisfying all of `atoms` with a type in `types`: a
    /// reference to the conjunction's rule (defined later), or a shared lexicon rule.
    mutating func reference(to atoms: [String], types: JSONTypeSet = .all) throws(GrammarError) -> Expression {
        var numbers: [Int32] = []
        for atom in atoms { numbers.append(atomNumber(atom)) }
        return try reference(to: numbers, types: types) { builder throws(GrammarError) in try builder.closure(of: atoms, types: types) }
    }

    /// `reference(to: base.atoms + [atom], types: types)`, its closure continued from `base`'s.
    mutating func reference(extending base: Closure, with atom: String, types: JSONTypeSet) throws(GrammarError) -> Expression {
        try reference(to: base.atomNumbers + [atomNumber(atom)], types: types) { builder throws(GrammarError) in
            try builder.closure(extending: base, with: atom, types: types)
        }
    }

    /// `reference(to:types:)` for the atoms numbered `atoms`, with their closure made by
    /// `makeClosure` when needed.
    private mutating func reference(to atoms: [Int32], types: JSONTypeSet,
                                    closure makeClosure: (inout SchemaGrammarBuilder) throws(GrammarError) -> Closure) throws(GrammarError) -> Expression {
        if types.isEmpty { return .nothing }
        // The same conjunction is asked for again and again (every branch combination that
        // meets it); its closure and contradiction check are pure, so the answer is kept.
        let memoKey = ConjunctionKey(atoms: atoms, groups: [], types: types.rawValue)
        if let known = references[memoKey] { return known }
        let result = try newReference(to: try makeClosure(&self))
        references[memoKey] = result
        return result
    }

    /// `reference(to:types:)` without the memo, for the closure of the atoms and types.
    private mutating func newReference(to closure: Closure) throws(GrammarError) -> Expression {
        let (settled, closure) = try settledReference(to: closure)
        if let settled { return settled }
        let key = closure.key
        guard ruleNames.count < JSONSchemaLimits.maxConjunctions else {
            throw GrammarError(.limitExceeded, "the schema needs more than \(JSONSchemaLimits.maxConjunctions) distinct conjunctions of subschemas "
                               + "(disjunctions multiply: oneOf, if/then/else, dependencies, negations)",
                               at: .jsonPointer(describe(closure.locations.isEmpty ? closure.atoms.first ?? "" : firstLocation(of: closure))))
        }
        // Not `Optional.map` with a mutating closure: that copies the whole builder.
        let name: String
        if let first = closure.locations.first {
            name = freshName(namedAfterAtom: first)
        } else {
            name = freshName(from: describe(closure.atoms.first ?? ""))
        }
        ruleNames[key] = name
        pending.append((closure, name))
        return .ruleReference(name)
    }

    /// The expression of `closure` when it needs no new rule — any value of its types when it
    /// asserts nothing, nothing when it is contradictory, the rule already made for it — else
    /// nil; and the closure with its merge kept (its rule body, `body(of:ruleName:)`, reads it
    /// again).
    private mutating func settledReference(to closure: Closure) throws(GrammarError) -> (reference: Expression?, closure: Closure) {
        if closure.locations.isEmpty && closure.pendingGroups.isEmpty {
            return (closure.types == .all ? .ruleReference(JSONLexicon.valueRule) : anyValue(of: closure.types), closure)
        }
        let closure = try withFoldedConstraints(closure)
        let merged = try constraints(of: closure)
        if try isContradictory(merged) || admitsNoAllowedValue(merged, closure: closure) { return (.nothing, closure) }
        if let name = ruleNames[closure.key] { return (.ruleReference(name), closure) }
        return (nil, closure)
    }

    /// Whether `merged` lists the values allowed (`enum`/`const`) and its other assertions
    /// refuse every one of them, so the conjunction holds no value whatever its disjunctions.
    ///
    /// Checked before a conjunction gets a rule: a disjunction of constants met by a pattern
    /// (`anyOf` of 238 task names, each under a task whose name pattern admits one of them)
    /// then adds one rule per admitted constant rather than one per pair. A value the check
    /// cannot decide (a format that only approximates) counts as admitted.
    private mutating func admitsNoAllowedValue(_ merged: SchemaConstraints, closure: Closure) -> Bool {
        guard let values = merged.allowedValues else { return false }
        for value in values {
            guard let admitted = try? admits(value, merged, closure: closure) else { return false }
            if admitted { return false }
        }
        return true
    }

    /// Any value of the given types.
    func anyValue(of types: JSONTypeSet) -> Expression {
        var forms: [Expression] = []
        if types.contains(.null) { forms.append(.text("null")) }
        if types.contains(.boolean) { forms += [.text("true"), .text("false")] }
        if types.contains(.number) { forms.append(.ruleReference(JSONLexicon.numberRule)) }
        else if types.contains(.integer) { forms.append(.ruleReference(JSONLexicon.integerRule)) }
        else if types.contains(.fractional) {
            forms.append(.difference(.ruleReference(JSONLexicon.numberRule), .ruleReference(JSONLexicon.integerRule)))
        }
        if types.contains(.string) { forms.append(.ruleReference(JSONLexicon.stringRule)) }
        if types.contains(.array) { forms.append(.ruleReference(JSONLexicon.arrayRule)) }
        if types.contains(.object) { forms.append(.ruleReference(JSONLexicon.objectRule)) }
        return .alternatives(forms)
    }

    /// An unused rule name derived from `pointer`. Such names never contain `.`, which
    /// helper rules of a schema rule use: `<rule>.o3`, `<rule>.multiple-i0`.
    mutating func freshName(from pointer: String) -> String {
        var taken = false
        return freshName(withBase: SchemaGrammarBuilder.nameBase(from: pointer), taken: &taken)
    }

    /// `freshName(from: describe(atom))` for the atom numbered `number`, its base derived once.
    mutating func freshName(namedAfterAtom number: Int32) -> String {
        // Not `??`: its autoclosure would capture (copy) the whole builder.
        let base: String
        if let known = numberedAtoms[Int(number)].nameBase {
            base = known
        } else {
            // The atom read before the call: read in its argument, `describe` took a copy of the builder.
            let atom = numberedAtoms[Int(number)].atom
            base = SchemaGrammarBuilder.nameBase(from: describe(atom))
            numberedAtoms[Int(number)].nameBase = base
        }
        var taken = numberedAtoms[Int(number)].nameBaseTaken
        let name = freshName(withBase: base, taken: &taken)
        numberedAtoms[Int(number)].nameBaseTaken = taken
        return name
    }

    /// An unused rule name from `base`: the base itself when free, else the base with the
    /// first free suffix `-2`, `-3`, … after those given before. `taken` (the base is known
    /// taken: names are only added) skips trying the base; it is set when the base is taken.
    mutating func freshName(withBase base: String, taken: inout Bool) -> String {
        if !taken {
            if !reservedNames.contains(base), usedNames.insert(base).inserted { return base }
            taken = true
        }
        var suffix = nameCounters[base] ?? 2
        var name: String
        repeat {
            name = "\(base)-\(suffix)"
            suffix += 1
        } while reservedNames.contains(name) || !usedNames.insert(name).inserted
        nameCounters[base] = suffix
        return name
    }

    /// The base of the rule names derived from `pointer` ("schema" when it is not a valid one):
    /// its last 60 bytes of `nameBaseBytes(of:into:)`.
    static func nameBase(from pointer: String) -> String {
        // Read in place and written into scratch memory (the pointers of deep schemas are long:
        // an array appended a byte at a time cost tens of instructions a byte).
        var pointer = pointer
        return pointer.withUTF8 { utf8 in
            withUnsafeTemporaryAllocation(of: UInt8.self, capacity: max(utf8.count, 1)) { scratch in
                let count = nameBaseBytes(of: utf8, into: scratch)
                guard count > 0 else { return "schema" }
                return String(decoding: UnsafeBufferPointer(rebasing: scratch[max(0, count - 60)..<count]), as: UTF8.self)
            }
        }
    }

    /// Writes the bytes of the rule names' base for the pointer `utf8` to the start of `out`
    /// (as long as `utf8` at least: no byte writes more than one) and returns their count, 0
    /// when the pointer is not a valid one. The tokens' ASCII letters and digits, other scalars
    /// as `_`, tokens joined by `-`; a `$defs` token (`_defs` by then) becomes `def`. A pointer
    /// may follow an `@…` prefix.
    private static func nameBaseBytes(of utf8: UnsafeBufferPointer<UInt8>, into out: UnsafeMutableBufferPointer<UInt8>) -> Int {
        var i = 0
        if utf8.first == UInt8(ascii: "@") { i = utf8.firstIndex(of: UInt8(ascii: "/")) ?? utf8.count }
        guard i < utf8.count, utf8[i] == UInt8(ascii: "/") else { return 0 }
        var count = 0
        var tokenStart = 0
        func endToken() {
            if count - tokenStart == 5, out[tokenStart] == UInt8(ascii: "_"), out[tokenStart + 1] == UInt8(ascii: "d"),
               out[tokenStart + 2] == UInt8(ascii: "e"), out[tokenStart + 3] == UInt8(ascii: "f"), out[tokenStart + 4] == UInt8(ascii: "s") {
                out[tokenStart] = UInt8(ascii: "d")
                out[tokenStart + 1] = UInt8(ascii: "e")
                out[tokenStart + 2] = UInt8(ascii: "f")
                count = tokenStart + 3
            }
        }
        var escaping = false
        for index in (i + 1)..<utf8.count {
            let byte = utf8[index]
            if escaping {
                // `~0` is `~`, `~1` is `/`: both become `_`; any other escape makes the pointer invalid.
                guard byte == UInt8(ascii: "0") || byte == UInt8(ascii: "1") else { return 0 }
                out[count] = UInt8(ascii: "_")
                count += 1
                escaping = false
                continue
            }
            switch byte {
            case UInt8(ascii: "/"):
                endToken()
                out[count] = UInt8(ascii: "-")
                count += 1
                tokenStart = count
            case UInt8(ascii: "~"): escaping = true
            case 0x30...0x39, 0x41...0x5A, 0x61...0x7A:
                out[count] = byte
                count += 1
            case 0x80...0xBF: break  // a continuation byte of a scalar already written as `_`
            default:
                out[count] = UInt8(ascii: "_")
                count += 1
            }
        }
        if escaping { return 0 }
        endToken()
        return count
    }

    // MARK: Rule bodies

    mutating func body(of closure: Closure, ruleName: String) throws(GrammarError) -> Expression {
        if let group = closure.pendingGroups.first {
            if !closure.types.isSubset(of: group.types) {
                // The group constrains only some of the types: split them.
                let (outside, inside) = (closure.types.subtracting(group.types), closure.types.intersection(group.types))
                return .alternatives([
                    try reference(to: closure.atomNumbers, types: outside) { builder in builder.closure(restricting: closure, to: outside) },
                    try reference(to: closure.atomNumbers, types: inside) { builder in builder.closure(restricting: closure, to: inside) },
                ])
            }
            if let union = try objectUnion(of: group, in: closure, ruleName: ruleName) {
                // Objects as one automaton over the branches' members; the other types distributed.
                let others = closure.types.subtracting(.object)
                guard !others.isEmpty else { return union }
                return .alternatives([
                    try reference(to: closure.atomNumbers, types: others) { builder in builder.closure(restricting: closure, to: others) },
                    union,
                ])
            }
            // Every branch continues this closure's walk and merge.
            let base = try withFoldedConstraints(closure)
            var branches: [Expression] = []
            let effective = try effectiveBranchClosures(of: group, in: base)
            // The types the base admits: a branch admitting none of them is contradictory in
            // this context (its merge's types are these and the branch's own), so its closure,
            // which `reference(extending:…)` would make only to find that, is not made.
            let baseTypes = (base.folded?.types ?? .all).intersection(base.types)
            if let closures = effective.closures {
                for (index, branch) in effective.branches.enumerated() {
                    // The branch's closure is already known: the memo or that closure.
                    branches.append(try reference(to: base.atomNumbers + [atomNumber(branch)], types: base.types) { _ in closures[index] })
                }
                return .alternatives(branches)
            }
            var live: [String] = []
            for branch in effective.branches where try !ownTypes(ofAtom: atomNumber(branch)).isDisjoint(with: baseTypes) {
                live.append(branch)
            }
            if live.count == 1 { return try body(of: base, continuedBy: live[0], ruleName: ruleName) }
            for branch in live { branches.append(try reference(extending: base, with: branch, types: base.types)) }
            return .alternatives(branches)
        }
        let merged = try constraints(of: closure)
        return try value(merged, closure: closure, ruleName: ruleName)
    }

    /// The body of the rule `ruleName` of `base`, whose disjunction has one branch of the types
    /// `base` admits: the conjunction of `base` and that branch, whose language it is, named
    /// `ruleName` too rather than given a rule that this one would only refer to (most
    /// conjunctions with a catch-all pattern's `oneOf` of an object, an array and scalars keep
    /// one branch, and the next `oneOf` one again). `reference(extending:with:types:)` but for
    /// the name and the rule made here.
    private mutating func body(of base: Closure, continuedBy branch: String, ruleName: String) throws(GrammarError) -> Expression {
        let memoKey = ConjunctionKey(atoms: base.atomNumbers + [atomNumber(branch)], groups: [], types: base.types.rawValue)
        if let known = references[memoKey] { return known }
        let (settled, closure) = try settledReference(to: try closure(extending: base, with: branch, types: base.types))
        if let settled {
            references[memoKey] = settled
            return settled
        }
        ruleNames[closure.key] = ruleName
        references[memoKey] = .ruleReference(ruleName)
        return try body(of: closure, ruleName: ruleName)
    }

    /// The branches to distribute over: a `oneOf` not provably disjoint becomes "this branch
    /// and none of the others"; an `anyOf` whose annotations an `unevaluated*` keyword sees
    /// becomes "exactly these branches", one alternative per nonempty set of branches.
    mutating func effectiveBranches(of group: BranchGroup, in context: Closure) throws(GrammarError) -> [String] {
        try effectiveBranchClosures(of: group, in: context).branches
    }

    /// `effectiveBranches(of:in:)`, with the closures of `context` extended by each branch
    /// (`closure(extending: context, with: branch, types: context.types)`) when telling the
    /// branches apart needed them and the branches are the group's own (nil otherwise).
    mutating func effectiveBranchClosures(of group: BranchGroup, in context: Closure) throws(GrammarError) -> (branches: [String], closures: [Closure]?) {
        switch group.kind {
        case .plain:
            return (group.branches, nil)
        case .oneOf:
            let apart = try contextFreeDisjointness(of: group)
            // Branches disjoint on their own are disjoint in any context: their closures in this
            // one are not needed to tell them apart, and are made (by `reference(extending:…)`)
            // only for conjunctions not met before (most of them are, when the group is
            // distributed over many contexts).
            let allApart = apart.indices.allSatisfy { i in apart[i].indices.allSatisfy { j in j == i || apart[i][j] } }
            if allApart, try !seesAnnotations(group, in: context) { return (group.branches, nil) }
            var overlapping: [[Bool]] = Array(repeating: Array(repeating: false, count: group.branches.count), count: group.branches.count)
            var anyOverlap = false
            var summaries: [SchemaConstraints] = []
            var reached: [AtomSet] = []
            var closures: [Closure] = []
            for branch in group.branches {
                let branchClosure = try closure(extending: context, with: branch, types: context.types)
                summaries.append(try constraints(of: branchClosure))
                reached.append(branchClosure.visited)
                closures.append(branchClosure)
            }
            var alternativeSummaries: [[[SchemaConstraints?]]] = Array(repeating: [], count: group.branches.count)
            for i in summaries.indices {
                for j in summaries.indices where j > i {
                    if apart[i][j] { continue }
                    if try branchesAreDisjoint(i, j, closures: closures, summaries: summaries, alternatives: &alternativeSummaries) { continue }
                    overlapping[i][j] = true
                    overlapping[j][i] = true
                    anyOverlap = true
                }
            }
            let seen = try seesAnnotations(group, in: context)
            if !anyOverlap && !seen { return (group.branches, closures) }
            // "This branch and none of the others it may overlap": the negations multiply out
            // (or add up, split by a discriminator), so their size is bounded first.
            var negationSizes: [Int] = []
            for branch in group.branches { negationSizes.append(try negationSize(branch, depth: 0)) }
            let limit = JSONSchemaLimits.maxExactOneOfCost
            var cost = 0
            var plans: [(members: [String], discriminator: Discriminator?, remaining: [String], absent: [String])] = []
            // Each branch's negation, read once for every branch that excludes it.
            var negations: [Int: NegationAlternatives?] = [:]
            // When the alternatives are too many, again with each negation's "property k
            // present and failing" alternatives taken as one member condition.
            for mergingMembers in [false, true] where plans.isEmpty || cost > limit {
                cost = 0
                plans = []
                for i in group.branches.indices {
                    let others = group.branches.indices.filter { $0 != i && overlapping[i][$0] }
                    let discriminator = try discriminator(of: others.map { group.branches[$0] }, summaries: others.map { summaries[$0] })
                    let members = discriminator?.members.map { others[$0] } ?? []
                    // The others no discriminator splits: a product of their negations within this branch.
                    var remaining: [String] = []
                    var product = 1
                    for j in others where !members.contains(j) && product <= limit {
                        let negation = try restrictedNegation(of: j, in: group, within: summaries[i], reaching: reached[i],
                                                              mergingMembers: mergingMembers, memo: &negations)
                        product = min(product * negation.size, limit + 1)
                        remaining.append(negation.atom)
                    }
                    var absent: [String] = []
                    if let discriminator {
                        // Objects without the property: the members that do not require it, each
                        // restricted to such objects of this branch.
                        var scope = summaries[i]
                        scope.formIntersection(SchemaGrammarBuilder.absence(of: discriminator.name))
                        var absentProduct = 1
                        for (j, required) in zip(members, discriminator.required) where !required && absentProduct <= limit {
                            let negation = try restrictedNegation(of: j, in: group, within: scope, reaching: reached[i],
                                                                  mergingMembers: mergingMembers, memo: &negations)
                            absentProduct = min(absentProduct * negation.size, limit + 1)
                            absent.append(negation.atom)
                        }
                        let split = members.reduce(2 + absentProduct) { $0 + negationSizes[$1] }
                        cost += min(split * product, limit + 1)
                    } else {
                        cost += product
                    }
                    cost = min(cost, limit + 1)
                    plans.append((members.map { group.branches[$0] }, discriminator, remaining, absent))
                }
            }
            if cost > limit {
                return (try unenforcedGroup(group, "oneOf whose overlapping branches need more than \(limit) "
                                            + "alternatives to exclude each other", keyword: "oneOf",
                                            relaxed: "enforced as anyOf: values matching several branches are accepted"), nil)
            }
            var alternatives: [String] = []
            for (branch, plan) in zip(group.branches, plans) {
                if let discriminator = plan.discriminator {
                    alternatives += exclusiveAlternatives(of: branch, excluding: plan.members, by: discriminator,
                                                          absentExclusions: plan.absent, remainingExclusions: plan.remaining)
                } else {
                    alternatives.append(synthetic.intern(SchemaNode(conjuncts: [branch] + plan.remaining)))
                }
            }
            return (alternatives, nil)
        case .anyOf:
            guard try seesAnnotations(group, in: context) else { return (group.branches, nil) }
            let n = group.branches.count
            guard n <= JSONSchemaLimits.maxExactAnyOfBranches else {
                return (try unenforcedGroup(group, "anyOf with more than \(JSONSchemaLimits.maxExactAnyOfBranches) branches under unevaluated*",
                                            keyword: "anyOf"), nil)
            }
            var result: [String] = []
            for subset in 1..<(1 << n) {
                var conjuncts: [String] = []
                for i in 0..<n { conjuncts.append(subset & (1 << i) != 0 ? group.branches[i] : "!" + group.branches[i]) }
                result.append(synthetic.intern(SchemaNode(conjuncts: conjuncts)))
            }
            return (result, nil)
        }
    }

    /// Which pairs of `group`'s branches are disjoint on their own (`[i][j]`), proved once per
    /// group as `effectiveBranchClosures` proves them in a context: no value meets two branches
    /// that no value meets without the context either, so a pair proved here needs no proof in
    /// each of the many contexts the group is distributed in. (Not under `unevaluated*`,
    /// whose closures record edges: none is proved there.)
    mutating func contextFreeDisjointness(of group: BranchGroup) throws(GrammarError) -> [[Bool]] {
        if let known = branchDisjointness[AtomListKey(group.branches)] { return known }
        let count = group.branches.count
        var apart = Array(repeating: Array(repeating: false, count: count), count: count)
        if !document.usesUnevaluated {
            var closures: [Closure] = []
            var summaries: [SchemaConstraints] = []
            for branch in group.branches {
                let branchClosure = try closure(of: [branch], types: .all)
                closures.append(branchClosure)
                summaries.append(try constraints(of: branchClosure))
            }
            var alternativeSummaries: [[[SchemaConstraints?]]] = Array(repeating: [], count: count)
            for i in 0..<count {
                for j in 0..<count where j > i {
                    let disjoint = try branchesAreDisjoint(i, j, closures: closures, summaries: summaries, alternatives: &alternativeSummaries)
                    apart[i][j] = disjoint
                    apart[j][i] = disjoint
                }
            }
        }
        branchDisjointness[AtomListKey(group.branches)] = apart
        return apart
    }

    /// Whether no value meets both branches `i` and `j` of a group (their closures and merged
    /// assertions given): proved on the assertions, else through a disjunction of either branch
    /// (`alternatives`: per branch, its disjunctions' summaries as read so far).
    private mutating func branchesAreDisjoint(_ i: Int, _ j: Int, closures: [Closure], summaries: [SchemaConstraints],
                                              alternatives: inout [[[SchemaConstraints?]]]) throws(GrammarError) -> Bool {
        if try areDisjoint(summaries[i], summaries[j], depth: 0) { return true }
        if try isDisjointThroughGroups(closures[j], summaries[j], from: summaries[i], alternatives: &alternatives[j]) { return true }
        return try isDisjointThroughGroups(closures[i], summaries[i], from: summaries[j], alternatives: &alternatives[i])
    }

    /// Whether no value of `branch` (a closure, whose merged constraints are `summary`) meets
    /// `other`, proved through one of the branch's own disjunctions: every value of the types
    /// it constrains holds one of its branches, so it is enough that the types both admit are
    /// among those and that `areDisjoint` tells each branch (merged with the rest of the
    /// closure) from `other` — as a nested `oneOf` of groups, each requiring
    /// `"objectType": "Group"`, is told from an agent whose `objectType` can only be `"Agent"`.
    ///
    /// `alternatives` keeps, per pending group of `branch` and per alternative, the merged
    /// constraints of the branch extended by it, as they are first needed (a branch is told
    /// from every other branch of its `oneOf`); empty at first.
    mutating func isDisjointThroughGroups(_ branch: Closure, _ summary: SchemaConstraints, from other: SchemaConstraints,
                                          alternatives: inout [[SchemaConstraints?]]) throws(GrammarError) -> Bool {
        let shared = summary.types.intersection(other.types)
        if alternatives.isEmpty { alternatives = branch.pendingGroups.map { Array(repeating: nil, count: $0.branches.count) } }
        for (groupIndex, group) in branch.pendingGroups.enumerated()
        where group.branches.count <= 16 && shared.isSubset(of: group.types) {
            var all = true
            for (alternativeIndex, alternative) in group.branches.enumerated() {
                let merged: SchemaConstraints
                if let known = alternatives[groupIndex][alternativeIndex] {
                    merged = known
                } else {
                    merged = try constraints(of: closure(extending: branch, with: alternative, types: branch.types))
                    alternatives[groupIndex][alternativeIndex] = merged
                }
                if try !areDisjoint(merged, other, depth: 0) {
                    all = false
                    break
                }
            }
            if all { return true }
        }
        return false
    }

    /// ¬(branch `index` of `group`) where it meets values of `scope` (see `negation(of:_:within:reaching:)`),
    /// its alternatives read once into `memo`.
    private mutating func restrictedNegation(of index: Int, in group: BranchGroup, within scope: SchemaConstraints,
                                             reaching scopeAtoms: AtomSet, mergingMembers: Bool,
                                             memo: inout [Int: NegationAlternatives?]) throws(GrammarError) -> (atom: String, size: Int) {
        let alternatives: NegationAlternatives?
        if let known = memo[index] {
            alternatives = known
        } else {
            alternatives = try negationAlternatives(of: group.branches[index])
            memo[index] = .some(alternatives)
        }
        return try negation(of: group.branches[index], alternatives, within: scope, reaching: scopeAtoms, mergingMembers: mergingMembers)
    }

    /// ¬`atom` as one disjunction (`negationDisjunction`), with what restricting it to a branch
    /// needs of each alternative: its constraints, the atoms it negates (through `$ref`
    /// wrappers; empty unless it is a negation) and how many alternatives it expands to.
    struct NegationAlternatives {
        var group: BranchGroup
        var parts: [(atom: String, summary: SchemaConstraints, negated: [String], size: Int)]
    }

    /// ¬`atom` read as `NegationAlternatives`, or nil when it is not one disjunction.
    mutating func negationAlternatives(of atom: String) throws(GrammarError) -> NegationAlternatives? {
        guard let group = try negationDisjunction(of: atom, depth: 0) else { return nil }
        var parts: [(atom: String, summary: SchemaConstraints, negated: [String], size: Int)] = []
        for branch in group.branches {
            var negated: [String] = [], size = 1
            if branch.hasPrefix("!") {
                negated = try wrappers(of: String(branch.dropFirst()))
                size = try negationSize(String(branch.dropFirst()), depth: 1)
            }
            parts.append((branch, try constraints(of: closure(of: [branch], types: .all)), negated, size))
        }
        return NegationAlternatives(group: group, parts: parts)
    }

    /// ¬`atom` (read as `alternatives`) where it meets values of `scope` (a `oneOf` branch's
    /// constraints, reaching `scopeAtoms`): the alternatives that neither negate an atom the
    /// scope asserts nor are told apart from it by `areDisjoint`, the others adding nothing to
    /// a conjunction with it; and how many alternatives they expand to. Branches that differ
    /// in a few places (GeoJSON-like objects, one-key objects) then exclude each other with a
    /// handful of alternatives instead of every combination.
    /// With `mergingMembers`, the kept alternatives "property k present and failing" become
    /// one condition (`mergingPresentMembers`).
    mutating func negation(of atom: String, _ alternatives: NegationAlternatives?, within scope: SchemaConstraints,
                           reaching scopeAtoms: AtomSet, mergingMembers: Bool = false) throws(GrammarError) -> (atom: String, size: Int) {
        guard let alternatives else { return ("!" + atom, try negationSize(atom, depth: 0)) }
        var kept: [String] = []
        var keptParts: [(atom: String, summary: SchemaConstraints)] = []
        var size = 0
        for part in alternatives.parts {
            // ¬X where the scope asserts X (directly or through `$ref`s) meets nothing.
            if part.negated.contains(where: { atomNumbers.index(of: $0).map { scopeAtoms.contains(Int32($0)) } ?? false }) { continue }
            if try areDisjoint(scope, part.summary, depth: 0) { continue }
            kept.append(part.atom)
            keptParts.append((part.atom, part.summary))
            size += part.size
        }
        if mergingMembers {
            let merged = mergingPresentMembers(keptParts)
            if merged.count < kept.count {
                size -= kept.count - merged.count
                kept = merged
            }
        }
        // One alternative left, over every type, is that alternative: a conjunct rather than a
        // disjunction of one, which every conjunction meeting it would distribute into a rule
        // of its own (chains of such rules, one per excluded branch, in each context).
        if kept.count == 1 && alternatives.group.types == .all { return (kept[0], max(size, 1)) }
        var disjunction = alternatives.group
        disjunction.branches = kept
        disjunction.id += " (only " + kept.joined(separator: " | ") + ")"
        return (synthetic.intern(SchemaNode(groups: [disjunction])), max(size, 1))
    }

    /// `atom` and the atoms it stands for: while a node only refers to one other (`$ref`), that one.
    mutating func wrappers(of atom: String) throws(GrammarError) -> [String] {
        var chain = [atom]
        while chain.count < 16, let last = chain.last {
            let cached = try node(last)
            guard cached.node.constraints.isUnconstrained, cached.node.groups.isEmpty, cached.node.dynamicReference == nil,
                  cached.node.recursiveReference == nil, cached.node.conjuncts.count == 1, let next = cached.node.conjuncts.first,
                  !chain.contains(next) else { break }
            chain.append(next)
        }
        return chain
    }

    /// ¬`atom` (or of the schema it only refers to) as one disjunction, when its node is
    /// nothing else: the branches of its negation, with a negated branch replaced by its own alternatives where those cover
    /// every type (a few levels deep: ¬(A ∧ B) = ¬A ∨ ¬B, and so on). Nil otherwise.
    private mutating func negationDisjunction(of atom: String, depth: Int) throws(GrammarError) -> BranchGroup? {
        // Through `$ref` wrappers: ¬(a node that only refers to X) is ¬X.
        let unwrapped = try wrappers(of: atom)
        let negation = try node("!" + (unwrapped.last ?? atom)).node
        guard negation.constraints.isUnconstrained, negation.conjuncts.isEmpty, negation.dynamicReference == nil,
              negation.recursiveReference == nil, negation.groups.count == 1, var group = negation.groups.first,
              group.kind != .oneOf else { return nil }
        var branches: [String] = []
        for branch in group.branches {
            if depth < 3, branch.hasPrefix("!"), let inner = try negationDisjunction(of: String(branch.dropFirst()), depth: depth + 1),
               inner.types == .all {
                branches += inner.branches
            } else {
                branches.append(branch)
            }
        }
        group.branches = branches
        return group
    }

    /// How many alternatives ¬`atom` expands to, roughly (disjuncts, and those of the negated
    /// conjuncts they lead to).
    mutating func negationSize(_ atom: String, depth: Int) throws(GrammarError) -> Int {
        guard depth < 8 else { return 1 }
        let negation = try node("!" + atom).node
        let parts = negation.groups.first?.branches ?? negation.conjuncts
        var total = 0
        for part in parts {
            total += part.hasPrefix("!") ? try negationSize(String(part.dropFirst()), depth: depth + 1) : 1
            if total > JSONSchemaLimits.maxExactOneOfCost { break }
        }
        return max(total, 1)
    }

    /// Reports a group that cannot be made exact; when lenient its plain branches are used.
    mutating func unenforcedGroup(_ group: BranchGroup, _ message: String, keyword: String,
                                  relaxed: String = "annotations of all matching branches are not combined") throws(GrammarError) -> [String] {
        let pointer = JSONPointer.appending(describe(group.owner), keyword)
        guard options.lenient else { throw GrammarError(.unsupportedKeyword, message + " is not supported", at: .jsonPointer(pointer)) }
        relax(keyword, at: pointer, "\(message): \(relaxed)")
        return group.branches
    }

    /// Records a relaxation once.
    mutating func relax(_ keyword: String, at pointer: String, _ detail: String) {
        guard reported.insert(keyword + "@" + pointer).inserted else { return }
        relaxations.append(Relaxation(keyword: keyword, pointer: pointer, detail: detail))
    }

    /// Whether an `unevaluatedProperties`/`unevaluatedItems` in the conjunction has `group` in
    /// its scope, and a branch of it makes annotations.
    mutating func seesAnnotations(_ group: BranchGroup, in context: Closure) throws(GrammarError) -> Bool {
        guard document.usesUnevaluated else { return false }
        var owners: [String] = []
        for number in context.order {
            let constraints = try numberedNode(number).node.constraints
            for item in constraints.unevaluatedProperties + constraints.unevaluatedItems
                + constraints.unevaluatedPropertyExistence + constraints.unevaluatedItemExistence { owners += item.owners }
        }
        guard !owners.isEmpty else { return false }
        let scope = inPlaceScope(of: owners, in: context)
        guard scope.contains(group.owner) else { return false }
        for branch in group.branches where try annotates(branch, depth: 0) { return true }
        return false
    }

    /// Whether the schema makes property or item annotations (in place).
    mutating func annotates(_ atom: String, depth: Int) throws(GrammarError) -> Bool {
        guard depth < 20, !atom.hasPrefix("!") else { return false }
        let cached = try node(atom)
        let c = cached.node.constraints
        if !c.objectShapes.isEmpty || !c.arrayShapes.isEmpty || !c.contains.isEmpty
            || !c.unevaluatedItems.isEmpty || !c.unevaluatedProperties.isEmpty { return true }
        for next in cached.node.conjuncts where try annotates(next, depth: depth + 1) { return true }
        for group in cached.node.groups {
            for branch in group.branches where try annotates(branch, depth: depth + 1) { return true }
        }
        return false
    }

    /// The atoms in place below `owners` (themselves included), not looking inside negations,
    /// whose annotations are dropped.
    func inPlaceScope(of owners: [String], in closure: Closure) -> Set<String> {
        var seen = Set<String>()
        var stack = owners
        while let atom = stack.popLast() {
            guard seen.insert(atom).inserted, !atom.hasPrefix("!") else { continue }
            stack += closure.edges[atom] ?? []
        }
        return seen
    }

    /// The values satisfying `merged`, the assertions of the closure.
    mutating func value(_ merged: SchemaConstraints, closure: Closure, ruleName: String) throws(GrammarError) -> Expression {
        let pointer = describe(firstLocation(of: closure))
        if let values = merged.allowedValues {
            // Each value is allowed: only the other assertions are checked (looking every value
            // up among the allowed ones again made large enums quadratic).
            var others = merged
            others.allowedValues = nil
            var forms: [Expression] = []
            for value in values where try admits(value, others, closure: closure) {
                if options.propertyOrder == .any, SchemaGrammarBuilder.widestObject(value) > SchemaGrammarBuilder.maxAnyOrderConstantMembers {
                    let keyword = merged.allowedValues?.count == 1 ? "const" : "enum"
                    let where_ = keywordPointer(keyword, in: atoms(closure.locations))
                    let message = "an \(keyword) object with more than \(SchemaGrammarBuilder.maxAnyOrderConstantMembers) members under propertyOrder .any"
                    guard options.lenient else { throw GrammarError(.limitExceeded, message, at: .jsonPointer(where_)) }
                    relax(keyword, at: where_, message + ": its members in the constant's order only")
                }
                forms.append(constant(value, fractions: merged.types.contains(.fractional) ? .any : lexicon.integerFractions))
            }
            return .alternatives(forms)
        }
        if merged.isUnconstrained { return .ruleReference(JSONLexicon.valueRule) }
        let types = merged.types
        let excluded = merged.excludedValues
        var forms: [Expression] = []
        if types.contains(.null), !excluded.contains(.null) { forms.append(.text("null")) }
        if types.contains(.boolean) {
            if !excluded.contains(.bool(true)) { forms.append(.text("true")) }
            if !excluded.contains(.bool(false)) { forms.append(.text("false")) }
        }
        if !types.isDisjoint(with: .number) {
            let numbers = excluded.compactMap(\.numberValue)
            forms.append(try number(merged.number, types: types, excluded: numbers, ruleName: ruleName, pointer: pointer))
        }
        if types.contains(.string) {
            forms.append(try string(merged.string, excluded: excluded.compactMap(\.stringValue), locations: atoms(closure.locations)))
        }
        if types.contains(.array) { forms.append(try array(merged, closure: closure, ruleName: ruleName)) }
        if types.contains(.object) { forms.append(try object(merged, closure: closure, ruleName: ruleName)) }
        return .alternatives(forms)
    }

    // MARK: Strings

    mutating func string(_ original: StringConstraints, excluded: [String], locations: [String]) throws(GrammarError) -> Expression {
        var constraints = original
        constraints.boundLengthRuns(above: JSONSchemaLimits.maxUnrolledIntersectedLength)
        if let maxLength = constraints.maxLength, maxLength < constraints.minLength { return .nothing }
        if constraints.minLength == Int.max {
            // Beyond Int (`minLength: 1e30`, read as Int.max): no counter holds it.
            throw GrammarError(.limitExceeded, "minLength beyond \(Int.max) is not supported",
                               at: .jsonPointer(keywordPointer("minLength", in: locations)))
        }
        if constraints.isUnconstrained && excluded.isEmpty { return .ruleReference(JSONLexicon.stringRule) }
        // Bounds above the threshold are counted at run time (`LengthCounter`), not unrolled.
        let threshold = constraints.languages.isEmpty && constraints.formats.isEmpty && excluded.isEmpty
            ? JSONSchemaLimits.maxUnrolledLength : JSONSchemaLimits.maxUnrolledIntersectedLength
        let counted = constraints.minLength > threshold || (constraints.maxLength ?? 0) > threshold
        let lengthBounded = constraints.minLength > 0 || constraints.maxLength != nil
        var lengthEnforced = !lengthBounded
            || FormatLanguage.lengthIsImplied(min: constraints.minLength, max: constraints.maxLength, byFormats: constraints.formats)
        var languages = constraints.languages
        for format in constraints.formats {
            if !lengthEnforced, !counted, let restricted = FormatRuleBodies.body(named: format, minLength: constraints.minLength,
                                                                                  maxLength: constraints.maxLength,
                                                                                  portable: options.portableFormats) {
                // The length bound built into the format (time: the fraction's digits) instead of
                // a product with a length counter.
                let ruleName = "format-\(format)-length\(constraints.minLength)-\(constraints.maxLength.map(String.init) ?? "")"
                if grammar.rule(named: ruleName) == nil {
                    usedNames.insert(ruleName)
                    grammar.define(ruleName, restricted, isShared: true)
                }
                languages.append(.ruleReference(ruleName))
                lengthEnforced = true
            } else {
                languages.append(formatRule(format))
            }
        }
        if !excluded.isEmpty { languages.append(.difference(.anyText, .alternatives(excluded.map { .text($0) }))) }
        if languages.isEmpty {
            return .concat([.text("\""), .repetition(.ruleReference(JSONLexicon.characterRule), min: constraints.minLength,
                                                     max: constraints.maxLength), .text("\"")])
        }
        if !lengthEnforced {
            if counted {
                // Counted over the pattern's or format's automaton. Under a `maxLength`, the
                // counter tracks the maximum and the automaton unrolls the minimum.
                if constraints.maxLength != nil, constraints.minLength > threshold,
                   !(try fitsBudget(constraints.minLength, size: 1, keyword: "minLength", locations: locations)) {
                    constraints.minLength = 0
                }
                // Already JSON-encoded: the string encoder keeps rule references as they are.
                languages.append(.repetition(.ruleReference(JSONLexicon.characterRule), min: constraints.minLength,
                                             max: constraints.maxLength))
            } else {
                languages.append(.repetition(.characterClass(.all), min: constraints.minLength, max: constraints.maxLength))
            }
        }
        return JSONStringEncoding.quoted(language: languages.count == 1 ? languages[0] : .intersection(languages))
    }

    /// A reference to the shared rule of format `name`, defined on first use. Its body is
    /// already JSON-encoded, so the string encoder keeps the reference as it is.
    mutating func formatRule(_ name: String) -> Expression {
        let ruleName = "format-" + name
        if grammar.rule(named: ruleName) == nil {
            grammar.define(ruleName, FormatRuleBodies.body(named: name, portable: options.portableFormats), isShared: true)
        }
        return .ruleReference(ruleName)
    }

    /// Whether `count` repetitions of something of `size` nodes fit the budget. When they do
    /// not: `limitExceeded`, or when lenient a relaxation of `keyword`, whose bound the caller
    /// then drops.
    mutating func fitsBudget(_ count: Int, size: Int, keyword: String, locations: [String]) throws(GrammarError) -> Bool {
        let (cost, overflow) = count.multipliedReportingOverflow(by: max(size, 1))
        guard overflow || cost > JSONSchemaLimits.maxRepetitionCost else { return true }
        let pointer = keywordPointer(keyword, in: locations)
        guard options.lenient else {
            throw GrammarError(.limitExceeded, "\(keyword) \(count) is too large to unroll", at: .jsonPointer(pointer))
        }
        relax(keyword, at: pointer, "\(count) is too large to unroll: not enforced")
        return false
    }

    /// The pointer of `keyword` in the first of `atoms` that has it.
    func keywordPointer(_ keyword: String, in atoms: [String]) -> String {
        for atom in atoms {
            guard let (location, _) = SchemaGrammarBuilder.location(of: atom) else { continue }
            if document.value(at: location)?[keyword] != nil { return JSONPointer.appending(document.describe(location), keyword) }
        }
        return describe(atoms.first ?? "")
    }

    // MARK: Constants

    /// The encodings of `value` (already known to be admitted), in its own member order.
    func constant(_ value: JSONValue, fractions: NumberLanguage.Fractions = .any) -> Expression {
        switch value {
        case .null: return .text("null")
        case .bool(let flag): return .text(flag ? "true" : "false")
        case .number(let number): return NumberLanguage.lexemes(of: number, number.isInteger ? fractions : .any)
        case .string(let text): return JSONStringEncoding.quoted(text)
        case .array(let items):
            var parts: [Expression] = []
            for (index, item) in items.enumerated() {
                if index > 0 { parts.append(lexicon.comma) }
                parts.append(constant(item))
            }
            return lexicon.bracketed("[", .concat(parts), "]", allowsEmpty: items.isEmpty)
        case .object(let object):
            if options.propertyOrder == .any && object.count > 1 { return anyOrderConstant(object) }
            var parts: [Expression] = []
            for (index, member) in object.members.enumerated() {
                if index > 0 { parts.append(lexicon.comma) }
                parts.append(lexicon.member(key: JSONStringEncoding.quoted(member.key), value: constant(member.value)))
            }
            return lexicon.bracketed("{", .concat(parts), "}", allowsEmpty: object.isEmpty)
        }
    }

    /// The most members a constant object may have for its members to come in any order.
    static let maxAnyOrderConstantMembers = 6

    /// The largest member count of an object in `value`.
    static func widestObject(_ value: JSONValue) -> Int {
        switch value {
        case .object(let object): return max(object.count, object.members.map { widestObject($0.value) }.max() ?? 0)
        case .array(let items): return items.map(widestObject).max() ?? 0
        default: return 0
        }
    }

    /// A constant object whose members may come in any order (each exactly once); in its own
    /// order beyond `maxAnyOrderConstantMembers` (reported by `value`).
    func anyOrderConstant(_ object: JSONObject) -> Expression {
        let members = object.members.map { lexicon.member(key: JSONStringEncoding.quoted($0.key), value: constant($0.value)) }
        guard members.count <= SchemaGrammarBuilder.maxAnyOrderConstantMembers else {
            return lexicon.bracketed("{", .concat(members.enumerated().flatMap { $0.offset > 0 ? [lexicon.comma, $0.element] : [$0.element] }),
                                     "}", allowsEmpty: false)
        }
        func orders(_ remaining: [Int], first: Bool) -> Expression {
            if remaining.isEmpty { return .empty }
            return .alternatives(remaining.map { i in
                .concat([first ? .empty : lexicon.comma, members[i], orders(remaining.filter { $0 != i }, first: false)])
            })
        }
        return lexicon.bracketed("{", orders(Array(members.indices), first: true), "}", allowsEmpty: false)
    }
}
