extension JSONStringEncoding {
    /// The encodings of the strings of an automaton read over the UTF-8 bytes of scalar
    /// strings, as an automaton: a byte that must be escaped (`"`, `\`, controls) is read
    /// instead as its escape, and `/` raw or as `\/`, through a few states added after each
    /// state that reads one. An automaton that reads none is its own encoding.
    static func encode(_ automaton: ByteAutomaton) -> ByteAutomaton {
        func target(_ state: Int, _ byte: UInt8) -> Int32 { automaton.next(state, byte) }
        let escapable: [UInt8] = Array(0...0x1F) + [0x22, 0x2F, 0x5C]
        let escaping = (0..<automaton.stateCount).map { state in escapable.contains { target(state, $0) >= 0 } }
        guard escaping.contains(true) else { return automaton }
        // Classes: the automaton's, with every byte an escape may read on its own.
        let escapeBytes = Array("\\\"/bfnrtu".utf8) + Array("0123456789abcdefABCDEF".utf8) + escapable
        var boundaries = [Bool](repeating: false, count: 257)
        for byte in 1..<256 where automaton.classOf[byte] != automaton.classOf[byte - 1] { boundaries[byte] = true }
        for byte in escapeBytes { boundaries[Int(byte)] = true; boundaries[Int(byte) + 1] = true }
        var classOf = [UInt8](repeating: 0, count: 256)
        var representative: [UInt8] = [0]
        for byte in 1..<256 {
            if boundaries[byte] { representative.append(UInt8(byte)) }
            classOf[byte] = UInt8(representative.count - 1)
        }
        let classCount = representative.count
        // After `\`, `\u`, `\u0`, `\u00`, `\u000`, `\u001`: six states per escaping state.
        let escapeStates = 6
        var escapeBase = [Int32](repeating: -1, count: automaton.stateCount)
        var stateCount = automaton.stateCount
        for state in 0..<automaton.stateCount where escaping[state] {
            escapeBase[state] = Int32(stateCount)
            stateCount += escapeStates
        }
        var transitions = [Int32](repeating: -1, count: stateCount * classCount)
        let accepting = automaton.accepting + [Bool](repeating: false, count: stateCount - automaton.stateCount)
        func set(_ from: Int, _ byte: UInt8, _ to: Int32) { transitions[from * classCount + Int(classOf[Int(byte)])] = to }
        let hexDigits = Array("0123456789abcdef".utf8)
        for state in 0..<automaton.stateCount {
            for (c, byte) in representative.enumerated() {
                let escaped = byte < 0x20 || byte == 0x22 || byte == 0x5C
                if !escaped { transitions[state * classCount + c] = target(state, byte) }
            }
            let base = Int(escapeBase[state])
            guard base >= 0 else { continue }
            let (backslash, u, u0, u00, u000, u001) = (base, base + 1, base + 2, base + 3, base + 4, base + 5)
            set(state, 0x5C, Int32(backslash))
            for byte: UInt8 in [0x22, 0x5C, 0x2F] { set(backslash, byte, target(state, byte)) }
            for (control, letter) in [(0x08, "b"), (0x09, "t"), (0x0A, "n"), (0x0C, "f"), (0x0D, "r")] as [(UInt8, Character)] {
                set(backslash, letter.asciiValue!, target(state, control))
            }
            set(backslash, 0x75, Int32(u))
            set(u, 0x30, Int32(u0))
            set(u0, 0x30, Int32(u00))
            set(u00, 0x30, Int32(u000))
            set(u00, 0x31, Int32(u001))
            for (value, digit) in hexDigits.enumerated() {
                let controls = [UInt8(value), UInt8(0x10 + value)]
                for (from, control) in zip([u000, u001], controls) where ![0x08, 0x09, 0x0A, 0x0C, 0x0D].contains(control) {
                    let to = target(state, control)
                    set(from, digit, to)
                    if digit >= 0x61 { set(from, digit - 0x20, to) }
                }
            }
        }
        return ByteAutomaton(classOf: classOf, classCount: classCount, transitions: transitions, accepting: accepting)
    }
}
