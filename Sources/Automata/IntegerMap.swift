/// An open-addressing hash map from `UInt64` keys to `Int32` values (linear probing, power-of-two
/// capacity, load ≤ 1/2). Several times faster than `Dictionary` for the automaton's interning
/// tables, whose keys are packed integers; entries are never removed.
struct IntegerMap {
    private var keys: [UInt64]
    private var values: [Int32]
    private var occupied: [Bool]
    private var mask: Int
    /// The number of entries.
    private(set) var count = 0

    init(capacity: Int = 64) {
        var size = 16
        while size < capacity * 2 { size <<= 1 }
        keys = [UInt64](repeating: 0, count: size)
        values = [Int32](repeating: 0, count: size)
        occupied = [Bool](repeating: false, count: size)
        mask = size - 1
    }

    @inline(__always)
    private static func slot(_ key: UInt64, _ mask: Int) -> Int {
        var h = key &* 0x9E37_79B9_7F4A_7C15
        h ^= h >> 32
        return Int(truncatingIfNeeded: h) & mask
    }

    /// The value of `key`, if present.
    @inline(__always)
    func value(for key: UInt64) -> Int32? {
        var i = IntegerMap.slot(key, mask)
        while occupied[i] {
            if keys[i] == key { return values[i] }
            i = (i + 1) & mask
        }
        return nil
    }

    /// Sets the value of `key`.
    mutating func set(_ value: Int32, for key: UInt64) {
        if (count + 1) * 2 > keys.count { grow() }
        var i = IntegerMap.slot(key, mask)
        while occupied[i] {
            if keys[i] == key { values[i] = value; return }
            i = (i + 1) & mask
        }
        occupied[i] = true
        keys[i] = key
        values[i] = value
        count += 1
    }

    private mutating func grow() {
        let oldKeys = keys, oldValues = values, oldOccupied = occupied
        let size = keys.count * 2
        keys = [UInt64](repeating: 0, count: size)
        values = [Int32](repeating: 0, count: size)
        occupied = [Bool](repeating: false, count: size)
        mask = size - 1
        count = 0
        for i in oldKeys.indices where oldOccupied[i] { set(oldValues[i], for: oldKeys[i]) }
    }
}
