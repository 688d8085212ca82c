/// A grammar's rule indices by name: open addressing over a hash of the names' UTF-8 bytes
/// read a word at a time. `Grammar` keeps one, filled as rules are defined, and every pass
/// that resolves rule references by name reads it (the simplifier, the automaton compiler).
/// A `Dictionary<String, Int>` hashed each name with SipHash (~400 instructions a lookup).
/// The schema builder numbers its atoms (schema pointers) with one too.
struct RuleNameTable: Sendable {
    /// Per slot, 0 (empty) or the high 32 bits of the name's hash above its index + 1.
    private var slots: [UInt64]
    /// The names, by index.
    private(set) var names: [String] = []
    /// The hash of each name, by index (growing places the names again without hashing them).
    private var hashes: [UInt64] = []

    /// An empty table with room for `capacity` names before it grows.
    init(capacity: Int = 0) {
        var size = 16
        while size < 2 * capacity { size <<= 1 }
        slots = [UInt64](repeating: 0, count: size)
        names.reserveCapacity(capacity)
        hashes.reserveCapacity(capacity)
    }

    /// The number of names.
    var count: Int { names.count }

    /// The index of `name`, if any.
    func index(of name: String) -> Int? {
        probe(name, hash: RuleNameTable.hash(name)).index
    }

    /// The index of `name`, which gets the next index (`count`) when it is new: one probe
    /// sequence either way.
    mutating func insert(_ name: String) -> (index: Int, inserted: Bool) {
        if 2 * (names.count + 1) > slots.count { grow() }
        let hash = RuleNameTable.hash(name)
        let (slot, found) = probe(name, hash: hash)
        if let found { return (found, false) }
        slots[slot] = RuleNameTable.entry(hash, names.count)
        names.append(name)
        hashes.append(hash)
        return (names.count - 1, true)
    }

    /// The index of `name` (of hash `hash`) if present, else nil and the empty slot that ends
    /// its probe sequence, where it would go.
    @inline(__always)
    private func probe(_ name: String, hash: UInt64) -> (slot: Int, index: Int?) {
        let mask = slots.count - 1
        var slot = Int(truncatingIfNeeded: hash) & mask
        while slots[slot] != 0 {
            let entry = slots[slot]
            if entry >> 32 == hash >> 32 {
                let index = Int(truncatingIfNeeded: entry & 0xFFFF_FFFF) - 1
                if names[index] == name { return (slot, index) }
            }
            slot = (slot + 1) & mask
        }
        return (slot, nil)
    }

    /// Twice the slots, every name placed again.
    private mutating func grow() {
        let mask = 2 * slots.count - 1
        slots = [UInt64](repeating: 0, count: mask + 1)
        for (index, hash) in hashes.enumerated() {
            var slot = Int(truncatingIfNeeded: hash) & mask
            while slots[slot] != 0 { slot = (slot + 1) & mask }
            slots[slot] = RuleNameTable.entry(hash, index)
        }
    }

    /// A slot's entry for a name of hash `hash` at `index`.
    private static func entry(_ hash: UInt64, _ index: Int) -> UInt64 {
        hash & 0xFFFF_FFFF_0000_0000 | UInt64(index + 1)
    }

    /// A hash of the UTF-8 bytes of `name`, eight bytes a step (multiply-and-shift mix).
    static func hash(_ name: String) -> UInt64 {
        name.utf8.withContiguousStorageIfAvailable(hash(bytes:)) ?? Array(name.utf8).withUnsafeBufferPointer(hash(bytes:))
    }

    /// The hash of `bytes`: see `hash(_:)`. Each step folds one little-endian word of eight
    /// bytes, loaded whole; the last word holds the remaining bytes, zero above them.
    private static func hash(bytes: UnsafeBufferPointer<UInt8>) -> UInt64 {
        var hash: UInt64 = 0x243F_6A88_85A3_08D3 ^ UInt64(bytes.count)
        guard let base = bytes.baseAddress else { return hash ^ (hash >> 31) }
        let raw = UnsafeRawPointer(base)
        let whole = bytes.count & ~7
        var offset = 0
        while offset < whole {
            hash = mix(hash, UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: offset, as: UInt64.self)))
            offset += 8
        }
        if offset < bytes.count {
            var word: UInt64 = 0
            var shift: UInt64 = 0
            while offset < bytes.count {
                word |= UInt64(bytes[offset]) << shift
                shift += 8
                offset += 1
            }
            hash = mix(hash, word)
        }
        return hash ^ (hash >> 31)
    }

    private static func mix(_ hash: UInt64, _ word: UInt64) -> UInt64 {
        let mixed = (hash ^ word) &* 0x9E37_79B9_7F4A_7C15
        return mixed ^ (mixed >> 29)
    }
}
