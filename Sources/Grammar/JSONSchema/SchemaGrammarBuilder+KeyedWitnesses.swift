/// Member-existence conditions that a member's key alone decides.
///
/// A negated `additionalProperties: false` (or `propertyNames` with a finite set of names)
/// becomes "some member whose key is outside these names, with any value". Every member
/// whose key is outside them witnesses the condition, whatever its value; so a member
/// witnesses exactly the conditions of this kind whose key sets hold its key, and needs no
/// choice among their subsets. With key sets that are finite or co-finite sets of strings
/// (the usual "one of these names" and "none of these names"), the keys fall into a few
/// classes: each string some set names, and every other key. Excluding seven closed
/// objects from each other (`¬oneOf`) takes eight key classes instead of 127 witness sets.
extension SchemaGrammarBuilder {
    /// Conditions decided by keys, and the classes of keys that decide them.
    struct KeyedWitnesses {
        /// The conditions decided by keys (indices into the object's conditions).
        var conditions: Set<Int> = []
        /// Each class of keys: its restriction of the member's key (a string; every key but
        /// those strings; nil: no restriction), the string, and the conditions decided by keys
        /// its members witness.
        var classes: [(key: Expression?, name: String?, witnessed: [Int])] = [(nil, nil, [])]
    }

    /// The most strings the key sets of conditions decided by keys may name together.
    static let maxKeyedWitnessStrings = 64

    /// The conditions of `existence` (with key languages `keys`) that any value witnesses and
    /// whose key languages are finite or co-finite, and the key classes for extra members
    /// (keys other than `declaredNames`, which extra members never have).
    mutating func keyedWitnesses(_ existence: [MemberExistence], keys: [Expression], declaredNames: [String]) throws(GrammarError) -> KeyedWitnesses {
        var strings: [String] = []
        var cofinite: [Int] = []
        var keyed: [Int] = []
        var named = false
        for (index, item) in existence.enumerated() {
            if !item.valuesByName.isEmpty {
                // Not decided by keys, but only these names witness it: each is a class.
                strings += item.valuesByName.keys.sorted()
                named = true
                continue
            }
            if let value = item.value {
                let anyValue = value.hasPrefix("!") ? try isFalse(String(value.dropFirst())) : try isTrue(value)
                guard anyValue else { continue }
            }
            let limit = SchemaGrammarBuilder.maxKeyedWitnessStrings
            if let named = SchemaGrammarBuilder.finiteStrings(keys[index], limit: limit) {
                strings += named
            } else if case .difference(let all, let excluded) = keys[index], all == .anyText,
                      let named = SchemaGrammarBuilder.finiteStrings(excluded, limit: limit) {
                strings += named
                cofinite.append(index)
            } else {
                continue
            }
            keyed.append(index)
        }
        var seen = Set<String>()
        strings = strings.filter { seen.insert($0).inserted }
        guard !keyed.isEmpty || named, strings.count <= SchemaGrammarBuilder.maxKeyedWitnessStrings else { return KeyedWitnesses() }
        var result = KeyedWitnesses(conditions: Set(keyed), classes: [])
        for string in strings where !declaredNames.contains(string) {
            result.classes.append((.text(string), string, keyed.filter { membership.matches(string, keys[$0]) }))
        }
        let others: Expression? = strings.isEmpty ? nil : .difference(.anyText, .alternatives(strings.map { .text($0) }))
        result.classes.append((others, nil, cofinite))
        return result
    }
}
