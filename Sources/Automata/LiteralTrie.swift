import Grammar

extension RegularAutomaton {
    /// The deterministic automaton of finitely many byte strings, built as their trie: the
    /// automaton the subset construction would make of their choice (states are the distinct
    /// prefixes), without building the NFA or any closure. Names excluded from keys are such
    /// choices, determinized once per object.
    static func trie(of words: [[UInt8]], limits: CompileLimits) throws(GrammarError) -> RegularAutomaton {
        var boundaries = [Bool](repeating: false, count: 257)
        for word in words {
            for byte in word {
                boundaries[Int(byte)] = true
                boundaries[Int(byte) + 1] = true
            }
        }
        let (classOf, classCount) = byteClasses(boundaries: boundaries)
        var transitions = [Int32](repeating: -1, count: classCount)
        var accepting = [false]
        for word in words {
            var state = 0
            for byte in word {
                let slot = state * classCount + Int(classOf[Int(byte)])
                if transitions[slot] < 0 {
                    guard accepting.count < limits.maxRegularStates else {
                        throw GrammarError(.limitExceeded, "an intersection or difference needs more than \(limits.maxRegularStates) automaton states")
                    }
                    transitions[slot] = Int32(accepting.count)
                    accepting.append(false)
                    transitions += repeatElement(-1, count: classCount)
                }
                state = Int(transitions[slot])
            }
            accepting[state] = true
        }
        // Only an empty set of words leaves a state without acceptance to reach.
        return RegularAutomaton(classOf: classOf, classCount: classCount, transitions: transitions, accepting: accepting).trimmed()
    }

    /// The strings of `e` when it is a literal or a choice of literals.
    static func literalWords(of e: Expression) -> [[UInt8]]? {
        switch e {
        case .literal(let bytes): return [bytes]
        case .choice(let parts):
            var words: [[UInt8]] = []
            words.reserveCapacity(parts.count)
            for part in parts {
                guard case .literal(let bytes) = part else { return nil }
                words.append(bytes)
            }
            return words
        default: return nil
        }
    }
}
