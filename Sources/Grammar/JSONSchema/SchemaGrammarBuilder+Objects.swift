/// Objects: a finite automaton over members, written as rules.
///
/// Members are the declared properties (of `properties` and `required`, in schema order) and
/// *extra* members, whose keys are split into regions by the `patternProperties` they match
/// (each region's value takes the schemas of its patterns, or `additionalProperties`),
/// without the declared names and within the `propertyNames` language. The automaton state
/// is: which declared properties were passed (in declared order, an index; in any order, the
/// set used), how many members came (for `minProperties`/`maxProperties`, clamped), and which
/// member-existence constraints (from negations) a member already satisfied. States only move
/// forward, so the rules nest boundedly; a state that loops on extra members repeats them.
extension SchemaGrammarBuilder {
    /// One kind of member, with its variants witnessing member-existence constraints.
    struct MemberKind {
        /// The member with any valid value.
        var plain: Expression
        /// (constraints witnessed, the member as a witness of them).
        var witnesses: [(flags: Int, expression: Expression)]
        var variants: [(flags: Int, expression: Expression)] { [(0, plain)] + witnesses }
    }

    /// A state of the object automaton.
    struct ObjectState: Hashable {
        /// In declared order, the index of the next declared property; in any order, the set of
        /// required properties that came (bit i: the i-th required one).
        var position: Int
        /// Members so far (clamped).
        var count: Int
        /// Member-existence constraints satisfied.
        var flags: Int
    }

    /// What an object body is made of: the merged assertions it reads, when they hold no
    /// `unevaluatedProperties` (whose scopes depend on the closure) and merge several shapes
    /// (the objects of one schema are built again: cheaper than a table of them, in schemas
    /// that meet each once), without member-existence conditions nor shapes made by negation
    /// (those of `oneOf` branches excluding each other: each met once, many shapes to hash).
    struct ObjectInputs: Hashable {
        var shapes: [ObjectShape]
        var required: [String]
        var minProperties: Int
        var maxProperties: Int?
        var propertyNames: [String]

        init?(_ merged: SchemaConstraints) {
            guard merged.objectShapes.count > 1, merged.existence.isEmpty, merged.objectShapes.allSatisfy(\.evaluates),
                  merged.unevaluatedProperties.isEmpty && merged.unevaluatedPropertyExistence.isEmpty else {
                return nil
            }
            (shapes, required, minProperties, maxProperties) = (merged.objectShapes, merged.required, merged.minProperties, merged.maxProperties)
            propertyNames = merged.propertyNames
        }

        /// Hashes what tells inputs apart cheaply: per shape its owner, size, first property
        /// name, last property schema and additional schema (not every name and schema, nor
        /// pattern languages), the required names and the bounds.
        func hash(into hasher: inout Hasher) {
            hasher.combine(shapes.count)
            for shape in shapes {
                hasher.combine(shape.owner)
                hasher.combine(shape.properties.count)
                hasher.combine(shape.properties.first?.name)
                hasher.combine(shape.properties.last?.schema)
                hasher.combine(shape.additional)
            }
            hasher.combine(required)
            hasher.combine(minProperties)
            hasher.combine(maxProperties)
            hasher.combine(propertyNames.count)
        }
    }

    /// The objects `merged` admits (`objectBody`), memoized by its `ObjectInputs`: the body
    /// made for the first conjunction with them, whose state rules the others then share. The
    /// body reads nothing else of the conjunction but where its errors and relaxations point;
    /// a body that relaxed a keyword is not shared (the others report their own).
    mutating func object(_ merged: SchemaConstraints, closure: Closure, ruleName: String) throws(GrammarError) -> Expression {
        let inputs = ObjectInputs(merged)
        if let inputs, let known = objectBodies[inputs] { return known }
        var relaxed = false
        let body = try objectBody(merged, closure: closure, ruleName: ruleName, relaxed: &relaxed)
        if let inputs, !relaxed { objectBodies[inputs] = body }
        return body
    }

    /// The objects `merged` admits, as rules named after `ruleName`; `relaxed` set when a
    /// keyword is relaxed.
    private mutating func objectBody(_ merged: SchemaConstraints, closure: Closure, ruleName: String,
                                     relaxed: inout Bool) throws(GrammarError) -> Expression {
        var shapes = merged.objectShapes
        for unevaluated in merged.unevaluatedProperties {
            if let shape = evaluationShape(for: unevaluated, merged, closure: closure) { shapes.append(shape) }
        }
        let pointer = describe(firstLocation(of: closure))
        let keyLanguage: Expression? = merged.propertyNames.isEmpty ? nil : try stringLanguage(of: merged.propertyNames)
        let keyMatcher = keyLanguage.map(RegularMatcher.init)
        var existence = merged.existence
        for item in merged.unevaluatedPropertyExistence {
            // Some member the scope does not evaluate satisfies the schema.
            guard let shape = evaluationShape(for: item, merged, closure: closure) else { return .nothing }
            let evaluated = shape.properties.map { Expression.text($0.name) } + shape.patterns.map { patternExclusions.excluded($0.language) }
            var keys = SchemaConstraints()
            keys.types = .string
            if !evaluated.isEmpty { keys.string.languages = [.difference(.anyText, .alternatives(evaluated))] }
            existence.append(MemberExistence(keys: [synthetic.intern(SchemaNode(keys))], value: item.schema))
        }
        var existenceKeys: [Expression] = []
        for item in existence { existenceKeys.append(try stringLanguage(of: item.keys)) }
        let names = merged.declaredNames
        var required = Set(merged.required)
        let index = PropertySchemaIndex(shapes)
        guard try reduceExistence(&existence, keys: &existenceKeys, required: &required,
                                  names: names, shapes: index, keyMatcher: keyMatcher) else { return .nothing }
        guard existence.count <= JSONSchemaLimits.maxExistenceConstraints else {
            throw GrammarError(.limitExceeded, "more than \(JSONSchemaLimits.maxExistenceConstraints) negated member conditions in one object",
                               at: .jsonPointer(pointer))
        }
        // One key can witness several conditions only when their key languages may meet.
        let keySharing = Self.keySharing(existenceKeys, membership: membership)
        let tooManyWitnesses = GrammarError(.limitExceeded, "negated member conditions of one object that one member may witness together "
                                                + "combine in more than \(JSONSchemaLimits.maxWitnessSets) ways", at: .jsonPointer(pointer))
        func witnessSets(_ items: [Int]) throws(GrammarError) -> [[Int]] {
            guard let sets = Self.witnessSets(of: items, sharing: keySharing) else { throw tooManyWitnesses }
            return sets
        }

        // Conditions a member's key alone decides need no subsets of witnesses.
        let keyed = try keyedWitnesses(existence, keys: existenceKeys, declaredNames: names)

        // Declared properties.
        var declared: [(name: String, required: Bool, kind: MemberKind?)] = []
        for name in names {
            let required = required.contains(name)
            let atoms = propertySchemas(for: name, in: index)
            if try !admitsMember(named: name, schemas: atoms, keyMatcher: keyMatcher) {
                if required { return .nothing }
                declared.append((name, false, nil))
                continue
            }
            let key = JSONStringEncoding.quoted(name)
            let witnessing = existence.indices.filter { membership.matches(name, existenceKeys[$0]) }
            // The conditions decided by keys hold for this name whatever its value.
            let decided = witnessing.filter(keyed.conditions.contains).reduce(0) { $0 | (1 << $1) }
            var kind = MemberKind(plain: lexicon.member(key: key, value: try reference(to: atoms)), witnesses: [])
            for subset in [[]] + (try witnessSets(witnessing.filter { !keyed.conditions.contains($0) })) {
                if subset.isEmpty && decided == 0 { continue }
                let extra = subset.compactMap { existence[$0].value(for: name) }
                kind.witnesses.append((subset.reduce(decided) { $0 | (1 << $1) },
                                       lexicon.member(key: key, value: try reference(to: atoms + extra))))
            }
            declared.append((name, required, kind))
        }

        // Extra members, by pattern region.
        var patterns: [Expression] = []
        for shape in shapes {
            for pattern in shape.patterns where !patterns.contains(pattern.language) { patterns.append(pattern.language) }
        }
        // A region is a set of patterns a key may match together (bit i: pattern i); patterns
        // proved disjoint never share one, so n disjoint patterns make n + 1 regions, not 2^n.
        let leading = patterns.map(LeadingBytes.init)
        // What a key must avoid to fail pattern i (differs only with portable patterns).
        let leadingExcluded = zip(patterns, leading).map { pattern, bytes in
            let excluded = patternExclusions.excluded(pattern)
            return excluded == pattern ? bytes : LeadingBytes(excluded)
        }
        func mayOverlap(_ i: Int, _ j: Int) -> Bool { !leading[i].isDisjoint(from: leading[j]) }
        let tooMany = GrammarError(.limitExceeded, "the patternProperties of one object overlap in more than "
                                       + "\(JSONSchemaLimits.maxPatternRegions) ways", at: .jsonPointer(pointer))
        guard patterns.count < Int.bitWidth - 1 else { throw tooMany }
        var subsets = [0]
        for i in patterns.indices {
            for subset in subsets where (0..<i).allSatisfy({ subset & (1 << $0) == 0 || mayOverlap($0, i) }) {
                subsets.append(subset | (1 << i))
                guard subsets.count <= JSONSchemaLimits.maxPatternRegions else { throw tooMany }
            }
        }
        var regions: [MemberKind] = []
        for subset in subsets {
            var atoms: [String] = []
            var closed = false
            for shape in shapes {
                let matching = shape.patterns.filter { pattern in
                    patterns.firstIndex(of: pattern.language).map { subset & (1 << $0) != 0 } ?? false
                }
                if !matching.isEmpty {
                    atoms += matching.map(\.schema)
                } else if let additional = shape.additional {
                    atoms.append(additional)
                }
            }
            for atom in atoms where try isFalse(atom) { closed = true }
            if closed { continue }
            var keyParts: [Expression] = []
            var excluded: [Expression] = names.map { .text($0) }
            for (index, pattern) in patterns.enumerated() {
                if subset & (1 << index) != 0 {
                    keyParts.append(pattern)
                } else if patterns.indices.allSatisfy({ subset & (1 << $0) == 0 || !leading[$0].isDisjoint(from: leadingExcluded[index]) }) {
                    // A pattern disjoint from one the key matches cannot match it too.
                    excluded.append(patternExclusions.excluded(pattern))
                }
            }
            if let keyLanguage { keyParts.append(keyLanguage) }
            /// The names of this region (with `extra` languages intersected), unquoted.
            func regionNames(_ extra: [Expression]) -> Expression {
                let parts = keyParts + extra
                let positive = parts.isEmpty ? .anyText : parts.count == 1 ? parts[0] : .intersection(parts)
                return excluded.isEmpty ? positive : .difference(positive, .alternatives(excluded))
            }
            func keyExpression(_ extra: [Expression]) -> Expression {
                if keyParts.isEmpty && extra.isEmpty && excluded.isEmpty { return .ruleReference(JSONLexicon.stringRule) }
                return JSONStringEncoding.quoted(language: regionNames(extra))
            }
            // Open key languages (`^x-`, `^[a-z]+$` minus the declared names) cannot run out of
            // unused names: only others need the matcher's dead-end search.
            if !keyParts.isEmpty && !OpenKeyLanguage.isOpen(regionNames([])) { narrowsExtraKeys = true }
            let value = try reference(to: atoms)
            var kind = MemberKind(plain: lexicon.member(key: keyExpression([]), value: value), witnesses: [])
            for keyClass in keyed.classes {
                let decided = keyClass.witnessed.reduce(0) { $0 | (1 << $1) }
                // Conditions of some names only: for this class's name, if it is one of them.
                let free = existence.indices.filter { index in
                    !keyed.conditions.contains(index)
                        && (existence[index].valuesByName.isEmpty || keyClass.name.map { existence[index].valuesByName[$0] != nil } ?? false)
                }
                for witnessed in [[]] + (try witnessSets(free)) {
                    if witnessed.isEmpty && decided == 0 { continue }
                    let extra = witnessed.compactMap { existence[$0].value(for: keyClass.name) }
                    kind.witnesses.append((witnessed.reduce(decided) { $0 | (1 << $1) },
                                           lexicon.member(key: keyExpression((keyClass.key.map { [$0] } ?? []) + witnessed.map { existenceKeys[$0] }),
                                                          value: extra.isEmpty ? value : try reference(to: atoms + extra))))
                }
            }
            regions.append(kind)
        }
        if !regions.isEmpty { admitsExtraMembers = true }

        // The automaton.
        let minimum = merged.minProperties
        let maximum = merged.maxProperties
        if let maximum, maximum < minimum { return .nothing }
        if maximum == 0 {
            return declared.contains(where: \.required) ? .nothing : lexicon.bracketed("{", .nothing, "}", allowsEmpty: true)
        }
        let allFlags = (1 << existence.count) - 1
        let cap = maximum ?? max(minimum, 1)
        // In any order, the state remembers which required properties came; an optional one
        // may come in any state, and the matcher's distinct-keys check keeps it to one.
        let requiredIndices = declared.indices.filter { declared[$0].required }
        let anyOrder = options.propertyOrder == .any
        if anyOrder && requiredIndices.count > JSONSchemaLimits.maxAnyOrderRequiredProperties {
            let message = "propertyOrder .any with more than \(JSONSchemaLimits.maxAnyOrderRequiredProperties) required properties"
            guard options.lenient else { throw GrammarError(.limitExceeded, message + " is not supported", at: .jsonPointer(pointer)) }
            relax("required", at: JSONPointer.appending(pointer, "required"), message + ": properties in declared order only")
            relaxed = true
        }
        let inAnyOrder = anyOrder && requiredIndices.count <= JSONSchemaLimits.maxAnyOrderRequiredProperties
        if inAnyOrder && declared.contains(where: { !$0.required && $0.kind != nil }) {
            // Optional names may then come back: a finite key language the matcher searches
            // for dead ends (`{"a":0,"b":0,` once both optional names are used).
            admitsExtraMembers = true
            narrowsExtraKeys = true
        }
        let requiredMask = (1 << requiredIndices.count) - 1
        let emptyAllowed = minimum == 0 && requiredIndices.isEmpty && existence.isEmpty
        let flagSets = Self.reachableFlagCount(declared.compactMap(\.kind) + regions, limit: JSONSchemaLimits.maxAutomatonStates)
        let stateBudget = (inAnyOrder ? (1 << requiredIndices.count) : declared.count + 1) * (cap + 1) * flagSets
        guard stateBudget <= JSONSchemaLimits.maxAutomatonStates else {
            throw GrammarError(.limitExceeded, "the object needs more than \(JSONSchemaLimits.maxAutomatonStates) automaton states "
                               + "(minProperties/maxProperties with many properties)", at: .jsonPointer(pointer))
        }
        let mandatory = max(minimum, 1)
        func next(_ count: Int) -> Int { maximum == nil ? min(count + 1, cap) : count + 1 }
        func prefix(_ count: Int) -> Expression { count > 0 ? lexicon.comma : .empty }

        /// Whether the object may end in `state`: each declared property left is optional (in
        /// declared order) or each required one came (in any order), and the member count and
        /// existence conditions hold.
        func mayEnd(_ state: ObjectState) -> Bool {
            guard state.count >= mandatory && state.flags == allFlags else { return false }
            if inAnyOrder { return state.position & requiredMask == requiredMask }
            return declared[state.position...].allSatisfy { !$0.required }
        }
        // After a member in declared order, the members that may come next are those up to the
        // next required property (and the extras past the last one). Where they are many, they
        // share one separator (`MemberChain`): each member of the old form would keep a stack
        // of its own through `ws "," ws`.
        let nextMembers = inAnyOrder ? [] : MemberChain.nextMemberCounts(required: declared.map(\.required),
                                                                          present: declared.map { $0.kind != nil },
                                                                          extras: regions.count)
        func sharesSeparator(_ state: ObjectState) -> Bool {
            !inAnyOrder && state.count > 0 && nextMembers[state.position] >= options.sharedSeparatorThreshold
        }

        var rules = StateRules<ObjectState>(prefix: "\(ruleName).o")
        // The rules for the member after a shared separator (`MemberChain`).
        var memberRules = StateRules<ObjectState>(prefix: "\(ruleName).m")
        func ref(_ state: ObjectState) -> Expression { rules.reference(state) }
        /// One rule for an extra member of any region, so that a counted repetition refers to
        /// it rather than copying it.
        func extraMember() -> Expression {
            let extraName = "\(ruleName).extra"
            if grammar.rule(named: extraName) == nil { grammar.define(extraName, .alternatives(regions.map(\.plain))) }
            return .ruleReference(extraName)
        }

        /// The extras after `c` members, as a counted repetition towards `minProperties` and
        /// `maxProperties` (unbounded when the bound's copies exceed the budget): `extra (","
        /// extra){low - 1, high - 1}` when it starts with a member (first in the object, or
        /// after a shared separator), `("," extra){low, high}` when it follows one.
        func countedExtras(after c: Int, startingWithMember: Bool) throws(GrammarError) -> Expression {
            let extra = extraMember()
            let low = max(mandatory - c, 0)
            var high = maximum.map { $0 - c }
            if let bound = high, !(try fitsBudget(bound, size: GrammarSimplifier.size(extra), keyword: "maxProperties",
                                                  locations: atoms(closure.locations))) {
                high = nil
                relaxed = true
            }
            let separated = Expression.concat([lexicon.comma, extra])
            guard startingWithMember else { return .repetition(separated, min: low, max: high) }
            return .concat([extra, .repetition(separated, min: max(low - 1, 0), max: high.map { $0 - 1 })])
        }

        /// In declared order, after a shared separator in `state` (whose count is that of the
        /// members before the separator): the next member and the state it leads to, or, for an
        /// optional property, the member after the separator in the state skipping it.
        func memberAfterSeparator(_ state: ObjectState) throws(GrammarError) -> Expression {
            let c = state.count
            var choices: [Expression] = []
            func add(_ kind: MemberKind, position: Int) {
                for (flags, expression) in kind.variants {
                    choices.append(.concat([expression, ref(ObjectState(position: position, count: next(c), flags: state.flags | flags))]))
                }
            }
            if state.position < declared.count {
                let member = declared[state.position]
                if let kind = member.kind { add(kind, position: state.position + 1) }
                if !member.required { choices.append(memberRules.reference(ObjectState(position: state.position + 1, count: c, flags: state.flags))) }
            } else if state.flags == allFlags && !regions.isEmpty {
                // A counted repetition of extras, the first one after the separator.
                choices.append(try countedExtras(after: c, startingWithMember: true))
            } else {
                // Extras towards the existence conditions: a state that loops refers back to
                // itself (a tail call).
                for region in regions { add(region, position: state.position) }
            }
            return .alternatives(choices)
        }
        let start = ref(ObjectState(position: 0, count: 0, flags: 0))
        while true {
            if let (state, name) = memberRules.next() {
                grammar.define(name, try memberAfterSeparator(state))
                continue
            }
            guard let (state, name) = rules.next() else { break }
            let c = state.count
            let canAdd = maximum.map { c < $0 } ?? true
            if sharesSeparator(state) {
                var alternatives: [Expression] = mayEnd(state) ? [.empty] : []
                if canAdd {
                    // Without `maxProperties` and with `minProperties` at most 1 the count is
                    // clamped at 1, and the member after a separator is the object's first
                    // member from the same position: that rule, not one more.
                    let member = cap == 1 && maximum == nil ? ref(ObjectState(position: state.position, count: 0, flags: state.flags))
                                                           : memberRules.reference(state)
                    alternatives.append(.concat([lexicon.comma, member]))
                }
                grammar.define(name, .alternatives(alternatives))
                continue
            }
            var alternatives: [Expression] = []
            var loops: [Expression] = []
            func addTransitions(_ kind: MemberKind, position: Int, isExtra: Bool) {
                guard canAdd else { return }
                for (flags, expression) in kind.variants {
                    let target = ObjectState(position: position, count: next(c), flags: state.flags | flags)
                    if target == state && isExtra {
                        loops.append(.concat([lexicon.comma, expression]))
                    } else {
                        alternatives.append(.concat([prefix(c), expression, ref(target)]))
                    }
                }
            }
            if inAnyOrder {
                let used = state.position
                let accepting = used & requiredMask == requiredMask && c >= mandatory && state.flags == allFlags
                if accepting { alternatives.append(.empty) }
                for (bit, index) in requiredIndices.enumerated() where used & (1 << bit) == 0 {
                    if let kind = declared[index].kind { addTransitions(kind, position: used | (1 << bit), isExtra: false) }
                }
                for member in declared where !member.required {
                    if let kind = member.kind { addTransitions(kind, position: used, isExtra: true) }
                }
                for region in regions { addTransitions(region, position: used, isExtra: true) }
            } else if state.position < declared.count {
                let member = declared[state.position]
                if !member.required { alternatives.append(ref(ObjectState(position: state.position + 1, count: c, flags: state.flags))) }
                if let kind = member.kind { addTransitions(kind, position: state.position + 1, isExtra: false) }
            } else if state.flags == allFlags && !regions.isEmpty {
                // Only extras remain and every existence constraint holds: a counted repetition.
                alternatives.append(try countedExtras(after: c, startingWithMember: c == 0))
            } else {
                if c >= mandatory && state.flags == allFlags { alternatives.append(.empty) }
                for region in regions { addTransitions(region, position: state.position, isExtra: true) }
            }
            var body = Expression.alternatives(alternatives)
            if !loops.isEmpty { body = .concat([.zeroOrMore(.alternatives(loops)), body]) }
            grammar.define(name, body)
        }
        return lexicon.bracketed("{", start, "}", allowsEmpty: emptyAllowed)
    }

    /// How many sets of member-existence conditions the members of `kinds` can witness
    /// together (unions of their variants' sets, the empty one included), counted up to
    /// `limit` + 1: a bound on the flags an object state carries, usually far below 2^n when
    /// keys decide which conditions a member witnesses.
    static func reachableFlagCount(_ kinds: [MemberKind], limit: Int) -> Int {
        var variants = Set<Int>()
        for kind in kinds {
            for witness in kind.witnesses { variants.insert(witness.flags) }
        }
        var reached: Set<Int> = [0]
        var frontier = [0]
        while let flags = frontier.popLast() {
            for variant in variants where reached.insert(flags | variant).inserted {
                frontier.append(flags | variant)
                if reached.count > limit { return reached.count }
            }
        }
        return reached.count
    }

    /// Whether a member named `name` may appear: its name in the `propertyNames` language
    /// (`keyMatcher`) and none of `schemas`, its schemas under the object's shapes
    /// (`propertySchemas(for:in:)`), `false`.
    mutating func admitsMember(named name: String, schemas: [String], keyMatcher: RegularMatcher?) throws(GrammarError) -> Bool {
        guard keyMatcher?.matches(name) ?? true else { return false }
        for atom in schemas where try isFalse(atom) { return false }
        return true
    }

    /// Simplifies member-existence constraints (from negations: "some member whose key is in
    /// `keys[i]` has a value satisfying `existence[i].value`") in an object that admits no
    /// member but its declared properties: a constraint only one allowed declared name can
    /// witness, with any value, is that name being required; constraints alike are kept once.
    /// Returns false when a constraint no allowed name can witness makes the object impossible.
    /// Excluding `oneOf` branches of closed objects from each other leans on this.
    private mutating func reduceExistence(_ existence: inout [MemberExistence], keys: inout [Expression], required: inout Set<String>,
                                          names: [String], shapes: PropertySchemaIndex,
                                          keyMatcher: RegularMatcher?) throws(GrammarError) -> Bool {
        guard !existence.isEmpty else { return true }
        var closed = false
        for shape in shapes.shapes where shape.patterns.isEmpty {
            if let additional = shape.additional, try isFalse(additional) { closed = true }
        }
        guard closed else { return true }
        var allowed: [String] = []
        for name in names where try admitsMember(named: name, schemas: propertySchemas(for: name, in: shapes), keyMatcher: keyMatcher) {
            allowed.append(name)
        }
        var kept: [Int] = []
        for (i, item) in existence.enumerated() {
            let witnesses = allowed.filter { membership.matches($0, keys[i]) }
            if witnesses.isEmpty { return false }
            var anyValue = item.valuesByName.isEmpty
            if anyValue, let value = item.value {
                // Any value: the `true` schema, or the negation of a `false` one.
                anyValue = value.hasPrefix("!") ? try isFalse(String(value.dropFirst())) : try node(value).node.isTrivial
            }
            if witnesses.count == 1, anyValue {
                required.insert(witnesses[0])
            } else if !kept.contains(where: { existence[$0].value == item.value && existence[$0].valuesByName == item.valuesByName
                                                  && keys[$0] == keys[i] }) {
                kept.append(i)
            }
        }
        existence = kept.map { existence[$0] }
        keys = kept.map { keys[$0] }
        return true
    }

    /// Whether the schema is `false` (or asserts an empty set of types).
    mutating func isFalse(_ atom: String) throws(GrammarError) -> Bool {
        if atom == SyntheticNodes.falseAtom { return true }
        if atom == SyntheticNodes.trueAtom { return false }
        return try node(atom).node.constraints.types.isEmpty
    }

    /// Whether the schema is `true` (asserts and applies nothing).
    mutating func isTrue(_ atom: String) throws(GrammarError) -> Bool {
        if atom == SyntheticNodes.trueAtom { return true }
        if atom == SyntheticNodes.falseAtom || atom.hasPrefix("!") { return false }
        return try node(atom).node.isTrivial
    }

    /// The nonempty subsets of `items` whose members pairwise may share a key
    /// (`sharing[i][j]`): the sets of conditions one member may witness together. Nil when
    /// there are more than `JSONSchemaLimits.maxWitnessSets`.
    static func witnessSets(of items: [Int], sharing: [[Bool]]) -> [[Int]]? {
        var result: [[Int]] = []
        // Depth first, each set extended only by later items sharing a key with all of it.
        var stack: [(set: [Int], next: Int)] = items.indices.map { ([items[$0]], $0 + 1) }.reversed()
        while let (set, next) = stack.popLast() {
            result.append(set)
            guard result.count <= JSONSchemaLimits.maxWitnessSets else { return nil }
            for index in (next..<items.count).reversed() where set.allSatisfy({ sharing[$0][items[index]] }) {
                stack.append((set + [items[index]], index + 1))
            }
        }
        return result
    }

    /// Whether keys of `languages[i]` and `languages[j]` may coincide: false when their
    /// leading bytes differ, or one is a small finite set of strings the other matches none of
    /// (memberships from `membership`).
    static func keySharing(_ languages: [Expression], membership: MembershipCache) -> [[Bool]] {
        let leading = languages.map(LeadingBytes.init)
        let finite = languages.map { finiteStrings($0, limit: 64) }
        var sharing = Array(repeating: Array(repeating: true, count: languages.count), count: languages.count)
        for i in languages.indices {
            for j in languages.indices where j > i {
                var shared = !leading[i].isDisjoint(from: leading[j])
                if shared, let strings = finite[i] { shared = strings.contains { membership.matches($0, languages[j]) } }
                if shared, let strings = finite[j] { shared = strings.contains { membership.matches($0, languages[i]) } }
                sharing[i][j] = shared
                sharing[j][i] = shared
            }
        }
        return sharing
    }
}
