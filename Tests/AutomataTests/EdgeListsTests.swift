import Testing
import Grammar
@testable import Automata

/// `EdgeLists`, the flat per-state edge lists of a `ByteNFA`, and the automata `NFABuilder`
/// builds on them (edges logged, then grouped; repetitions copied from the log).
@Suite struct EdgeListsTests {
    /// Grouping a log keeps the base's lists and gives each new state the log's edges of that
    /// state in log order; appending moves a list to the end when it is not there; removing
    /// keeps the other edges in order; `arrayBytes` counts the non-empty lists of a range.
    /// Checked against plain arrays per state, on seeded logs.
    @Test func listsMatchArraysPerState() {
        var generator = SplitMix64(seed: 11)
        for _ in 0..<40 {
            let baseCount = Int(generator.next() % 6), stateCount = baseCount + 1 + Int(generator.next() % 12)
            var expected = [[Int32]](repeating: [], count: stateCount)
            var baseLog: [(state: Int32, edge: Int32)] = []
            for _ in 0..<Int(generator.next() % 20) where baseCount > 0 {
                let s = Int32(generator.next() % UInt64(baseCount)), e = Int32(generator.next() % 100)
                baseLog.append((s, e))
                expected[Int(s)].append(e)
            }
            let base = EdgeLists(EdgeLists<Int32>(), appending: baseLog, stateCount: baseCount)
            var log: [(state: Int32, edge: Int32)] = []
            for _ in 0..<Int(generator.next() % 60) {
                let s = Int32(baseCount + Int(generator.next() % UInt64(stateCount - baseCount))), e = Int32(generator.next() % 100)
                log.append((s, e))
                expected[Int(s)].append(e)
            }
            var lists = EdgeLists(base, appending: log, stateCount: stateCount)
            #expect(lists.start.count == stateCount && lists.end.count == stateCount)
            #expect((0..<stateCount).allSatisfy { Array(lists[$0]) == expected[$0] })
            for _ in 0..<10 {
                let s = Int(generator.next() % UInt64(stateCount))
                let added = (0..<Int(generator.next() % 4)).map { _ in Int32(generator.next() % 100) }
                lists.append(contentsOf: added, to: s)
                expected[s] += added
            }
            lists.appendState()
            expected.append([])
            lists.append(contentsOf: [7, 8], to: stateCount)
            expected[stateCount] = [7, 8]
            #expect((0..<stateCount + 1).allSatisfy { Array(lists[$0]) == expected[$0] })
            let removed = Int32(generator.next() % 100)
            lists.removeAll(from: 0..<stateCount + 1) { $0 % 3 == removed % 3 }
            #expect((0..<stateCount + 1).allSatisfy { Array(lists[$0]) == expected[$0].filter { $0 % 3 != removed % 3 } })
            lists.withBuffers { buffers in
                #expect((0..<stateCount + 1).allSatisfy { Array(buffers[$0]) == Array(lists[$0]) })
            }
            // `arrayBytes` counts a header and the elements of each non-empty list of the range.
            let low = Int(generator.next() % UInt64(stateCount + 1)), high = low + Int(generator.next() % UInt64(stateCount + 2 - low))
            let counted = (low..<high).reduce(0) { bytes, s in
                lists[s].isEmpty ? bytes : bytes + ByteNFA.arrayHeaderBytes + lists[s].count * MemoryLayout<Int32>.stride
            }
            #expect(lists.arrayBytes(of: low..<high) == counted)
        }
    }

    /// Blocks placed without the log (`NFABuilder.directSplices`) give the lists that logging
    /// their edges (renumbered) gives: seeded logs and blocks over disjoint new states.
    @Test func blocksMatchTheirLoggedEdges() {
        var generator = SplitMix64(seed: 29)
        for _ in 0..<40 {
            let baseCount = Int(generator.next() % 4)
            var stateCount = baseCount
            var log: [(state: Int32, edge: ByteNFA.ByteEdge)] = []
            var logged: [(state: Int32, edge: ByteNFA.ByteEdge)] = []
            var blocks: [(first: Int32, edgeStart: [Int32], edges: [ByteNFA.ByteEdge])] = []
            for _ in 0..<Int(generator.next() % 6) {
                // A few plain states with logged edges, then a block.
                let plain = Int(generator.next() % 3)
                for _ in 0..<Int(generator.next() % 5) where plain > 0 {
                    let s = Int32(stateCount + Int(generator.next() % UInt64(plain)))
                    let edge = ByteNFA.ByteEdge(low: UInt8(generator.next() % 200), high: 220, target: Int32(generator.next() % 50))
                    log.append((s, edge))
                    logged.append((s, edge))
                }
                stateCount += plain
                let count = 1 + Int(generator.next() % 4)
                var edgeStart: [Int32] = [0]
                var edges: [ByteNFA.ByteEdge] = []
                for k in 0..<count {
                    for _ in 0..<Int(generator.next() % 4) {
                        let edge = ByteNFA.ByteEdge(low: UInt8(generator.next() % 100), high: 120, target: Int32(generator.next() % UInt64(count)))
                        edges.append(edge)
                        logged.append((Int32(stateCount + k), ByteNFA.ByteEdge(low: edge.low, high: edge.high, target: Int32(stateCount) + edge.target)))
                    }
                    edgeStart.append(Int32(edges.count))
                }
                blocks.append((Int32(stateCount), edgeStart, edges))
                stateCount += count
            }
            stateCount += 1
            let base = EdgeLists<ByteNFA.ByteEdge>(EdgeLists(), appending: (0..<baseCount).map { (Int32($0), ByteNFA.ByteEdge(low: 1, high: 2, target: 0)) },
                                                   stateCount: baseCount)
            let direct = EdgeLists(base, appending: log, blocks: blocks,
                                   renumbered: { e, first in .init(low: e.low, high: e.high, target: first + e.target) }, stateCount: stateCount)
            let viaLog = EdgeLists(base, appending: logged, stateCount: stateCount)
            #expect(direct.items == viaLog.items && direct.start == viaLog.start && direct.end == viaLog.end)
        }
    }

    /// A bounded repetition's copies (made from the log of its first one) and a choice whose
    /// alternatives share leading bytes accept exactly the strings of the expression: every
    /// string over a small alphabet up to 7 bytes, simulated on the built automaton.
    @Test func repetitionCopiesAcceptTheLanguage() throws {
        let item = Expression.choice([.literal(Array("ab".utf8)), .literal(Array("ac".utf8)), .byteClass([0x30...0x39]),
                                      .sequence([.literal(Array("a".utf8)), .repetition(.literal(Array("c".utf8)), min: 0, max: 2)])])
        let nfa = try NFABuilder.build(Grammar(.repetition(item, min: 2, max: 4)), limits: .init())
        let alphabet = Array("abc0x".utf8)
        // The strings of `item`, then of `item{2,4}`, by brute force over splits.
        func isItem(_ s: ArraySlice<UInt8>) -> Bool {
            let t = Array(s)
            if t == Array("ab".utf8) || t == Array("ac".utf8) || (t.count == 1 && (0x30...0x39).contains(t[0])) { return true }
            return !t.isEmpty && t[0] == UInt8(ascii: "a") && t.count <= 3 && t.dropFirst().allSatisfy { $0 == UInt8(ascii: "c") }
        }
        func isItems(_ s: ArraySlice<UInt8>, _ count: Int) -> Bool {
            if count == 0 { return s.isEmpty }
            return (1...max(1, s.count)).contains { k in k <= s.count && isItem(s.prefix(k)) && isItems(s.dropFirst(k), count - 1) }
        }
        var strings: [[UInt8]] = [[]]
        var frontier: [[UInt8]] = [[]]
        for _ in 0..<7 {
            frontier = frontier.flatMap { s in alphabet.map { s + [$0] } }
            strings += frontier
        }
        for s in strings {
            let expected = (2...4).contains { isItems(s[...], $0) }
            #expect(accepts(nfa, s) == expected, "\(String(decoding: s, as: UTF8.self))")
        }
    }

    /// Whether the call-free `nfa` accepts `bytes` (ε-closures and byte steps over its lists).
    private func accepts(_ nfa: ByteNFA, _ bytes: [UInt8]) -> Bool {
        func closure(_ states: Set<Int32>) -> Set<Int32> {
            var seen = states, stack = Array(states)
            while let s = stack.popLast() {
                for t in nfa.epsilonEdges[s] where seen.insert(t).inserted { stack.append(t) }
            }
            return seen
        }
        let root = nfa.rules[Int(nfa.root)]
        var current = closure([root.start])
        for byte in bytes {
            var next = Set<Int32>()
            for s in current {
                for e in nfa.byteEdges[s] where e.low <= byte && byte <= e.high { next.insert(e.target) }
            }
            current = closure(next)
        }
        return current.contains(root.final)
    }
}
