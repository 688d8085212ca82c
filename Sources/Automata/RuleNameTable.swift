/// A grammar's rule indices by name, for resolving its rule references while its automaton is
/// built: open addressing over an FNV-1a hash of the names' bytes. `Grammar.index(of:)` hashed
/// each referenced name with SipHash through a `Dictionary` (~400 instructions a reference);
/// this table is built once per build (one hash per rule) and probed with the cheaper hash.
struct RuleNameTable {
    /// Per slot, a rule index, or -1.
    private var slots: [Int32]
    /// The rules' names, by index.
    private let names: [String]

    /// The table of `names` (distinct), each at its index.
    init(_ names: [String]) {
        self.names = names
        var size = 16
        while size < 2 * names.count { size <<= 1 }
        slots = [Int32](repeating: -1, count: size)
        for (index, name) in names.enumerated() {
            var slot = Int(truncatingIfNeeded: RuleNameTable.hash(name)) & (size - 1)
            while slots[slot] >= 0 { slot = (slot + 1) & (size - 1) }
            slots[slot] = Int32(index)
        }
    }

    /// The index of the rule named `name`, if any.
    func index(of name: String) -> Int? {
        let mask = slots.count - 1
        var slot = Int(truncatingIfNeeded: RuleNameTable.hash(name)) & mask
        while slots[slot] >= 0 {
            let index = Int(slots[slot])
            if names[index] == name { return index }
            slot = (slot + 1) & mask
        }
        return nil
    }

    /// FNV-1a over the UTF-8 bytes of `name`.
    private static func hash(_ name: String) -> UInt64 {
        var name = name
        return name.withUTF8 { bytes in
            var hash: UInt64 = 0xCBF2_9CE4_8422_2325
            for byte in bytes { hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01B3 }
            return hash ^ (hash >> 32)
        }
    }
}
