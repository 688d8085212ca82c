/// Decides whether a string belongs to a rule-free expression of the grammar IR (a regex
/// language, a format, a key region), by memoized end positions: for each expression node and
/// start offset, the offsets where a match can end. Used on concrete strings the compiler
/// meets: declared property names against `patternProperties` and `propertyNames`, constants
/// against patterns and formats. Given a grammar, it decides membership in the grammar's
/// language too (rule references resolve to rule bodies; left recursion matches nothing) —
/// a reference recognizer, independent of the automata, that tests check the compiler with.
final class RegularMatcher {
    private indirect enum Node {
        case empty, nothing
        case literal([UInt8])
        case bytes([ClosedRange<UInt8>])
        case scalars(ScalarSet)
        case rule(String)
        case sequence([Int]), choice([Int]), intersection([Int])
        case repetition(Int, min: Int, max: Int?)
        case difference(Int, Int)
        case automaton(ByteAutomaton)
        case lazyAutomaton(LazyAutomaton)

        /// Whether every match reads exactly one byte or one scalar (at most one end, past the start).
        var readsOneUnit: Bool {
            switch self {
            case .bytes, .scalars: return true
            default: return false
            }
        }
    }

    private var nodes: [Node] = []
    private var root = 0
    private var input: [UInt8] = []
    private var memo: [Int: [Int]] = [:]
    /// The node of each rule body; rule references outside it match nothing.
    private var ruleBodies: [String: Int] = [:]
    /// The (node, start) pairs being computed, to cut left recursion.
    private var active: Set<Int> = []

    /// A matcher for `expression`; rule references match nothing.
    init(_ expression: Expression) {
        root = add(expression)
    }

    /// A matcher for the language of `grammar` (its root rule).
    init(_ grammar: Grammar) {
        for rule in grammar.rules { ruleBodies[rule.name] = add(rule.body) }
        root = add(.ruleReference(grammar.root))
    }

    private func add(_ e: Expression) -> Int {
        let node: Node
        switch e {
        case .empty: node = .empty
        case .nothing: node = .nothing
        case .ruleReference(let name): node = .rule(name)
        case .literal(let bytes): node = .literal(bytes)
        case .byteClass(let ranges): node = .bytes(ranges)
        case .characterClass(let set): node = .scalars(set)
        case .sequence(let parts): node = .sequence(parts.map(add))
        case .choice(let parts): node = .choice(parts.map(add))
        case .intersection(let parts): node = .intersection(parts.map(add))
        case .repetition(let inner, let min, let max): node = .repetition(add(inner), min: min, max: max)
        case .difference(let a, let b): node = .difference(add(a), add(b))
        case .automaton(let automaton): node = .automaton(automaton)
        case .lazyAutomaton(let automaton): node = .lazyAutomaton(automaton)
        }
        nodes.append(node)
        return nodes.count - 1
    }

    /// Whether the whole of `text` (as UTF-8) matches.
    func matches(_ text: String) -> Bool { matches(Array(text.utf8)) }

    func matches(_ bytes: [UInt8]) -> Bool {
        input = bytes
        memo = [:]
        active = []
        return ends(root, 0).contains(bytes.count)
    }

    private func ends(_ id: Int, _ start: Int) -> [Int] {
        let key = id * (input.count + 1) + start
        if let known = memo[key] { return known }
        guard active.insert(key).inserted else { return [] }  // left recursion: no match
        let result = compute(id, start)
        active.remove(key)
        memo[key] = result
        return result
    }

    private func compute(_ id: Int, _ start: Int) -> [Int] {
        switch nodes[id] {
        case .empty: return [start]
        case .nothing: return []
        case .literal(let bytes):
            guard start + bytes.count <= input.count, input[start..<(start + bytes.count)].elementsEqual(bytes) else { return [] }
            return [start + bytes.count]
        case .bytes(let ranges):
            guard start < input.count, ranges.contains(where: { $0.contains(input[start]) }) else { return [] }
            return [start + 1]
        case .scalars(let set):
            guard let (scalar, length) = scalar(at: start), set.contains(scalar) else { return [] }
            return [start + length]
        case .rule(let name):
            guard let body = ruleBodies[name] else { return [] }
            return ends(body, start)
        case .sequence(let parts):
            var frontier: Set<Int> = [start]
            for part in parts {
                var next = Set<Int>()
                for position in frontier { next.formUnion(ends(part, position)) }
                frontier = next
                if frontier.isEmpty { return [] }
            }
            return frontier.sorted()
        case .choice(let parts):
            var all = Set<Int>()
            for part in parts { all.formUnion(ends(part, start)) }
            return all.sorted()
        case .intersection(let parts):
            var common = Set(ends(parts[0], start))
            for part in parts.dropFirst() where !common.isEmpty { common.formIntersection(ends(part, start)) }
            return common.sorted()
        case .automaton(let automaton):
            guard automaton.stateCount > 0 else { return [] }
            var state = 0
            var result = automaton.accepting[0] ? [start] : []
            for position in start..<input.count {
                let target = automaton.next(state, input[position])
                if target < 0 { break }
                state = Int(target)
                if automaton.accepting[state] { result.append(position + 1) }
            }
            return result
        case .lazyAutomaton(let automaton):
            let definition = automaton.definition
            var state = definition.start
            var result = definition.isAccepting(state) ? [start] : []
            for position in start..<input.count {
                guard let next = automaton.next(state, input[position]) else { break }
                state = next
                if definition.isAccepting(state) { result.append(position + 1) }
            }
            return result
        case .difference(let a, let b):
            let left = ends(a, start)
            if left.isEmpty { return [] }
            return Set(left).subtracting(ends(b, start)).sorted()
        case .repetition(let inner, let min, let max) where nodes[inner].readsOneUnit:
            // Each repetition reads one byte or scalar, so there is at most one position per
            // count, each past the one before: no sets (keys under `.*` are matched so).
            var result: [Int] = min == 0 ? [start] : []
            var position = start
            var count = 0
            while max.map({ count < $0 }) ?? true {
                guard let next = ends(inner, position).first else { break }
                count += 1
                position = next
                if count >= min { result.append(next) }
            }
            return result
        case .repetition(let inner, let min, let max):
            var result = Set<Int>()
            var reached = Set<Int>()
            if min == 0 { result.insert(start); reached.insert(start) }
            var frontier: Set<Int> = [start]
            var count = 0
            while !frontier.isEmpty, max.map({ count < $0 }) ?? true {
                count += 1
                var next = Set<Int>()
                for position in frontier { next.formUnion(ends(inner, position)) }
                if count >= min {
                    next.subtract(reached)
                    reached.formUnion(next)
                    result.formUnion(next)
                }
                frontier = next
            }
            return result.sorted()
        }
    }

    /// The scalar whose UTF-8 encoding starts at `start`, and its length.
    private func scalar(at start: Int) -> (UInt32, Int)? {
        guard start < input.count else { return nil }
        let lead = input[start]
        if lead < 0x80 { return (UInt32(lead), 1) }
        let length = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : lead >= 0xC0 ? 2 : 0
        guard length > 0, start + length <= input.count,
              let text = String(validating: input[start..<(start + length)], as: UTF8.self),
              let scalar = text.unicodeScalars.first, text.unicodeScalars.count == 1 else { return nil }
        return (scalar.value, length)
    }
}
