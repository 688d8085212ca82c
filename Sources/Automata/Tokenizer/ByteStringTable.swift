/// A hash map from byte strings to token ids, built once and then only read.
///
/// Keys live back to back in one buffer; the slots are an open-addressing table (linear probing)
/// of entry indexes. Lookups take a borrowed span of bytes, so the hot path allocates nothing.
struct ByteStringTable: Sendable {
    private var keys: [UInt8] = []
    private var keyEnds: [Int32] = []     // entry i is keys[keyEnds[i - 1] ..< keyEnds[i]]
    private var hashes: [UInt32] = []
    private var values: [Int32] = []
    private var slots: [Int32]            // entry index, or -1
    private var mask: Int

    /// An empty table with room for about `capacity` keys before it grows.
    init(capacity: Int = 0) {
        var size = 16
        while size < capacity * 2 { size <<= 1 }
        slots = [Int32](repeating: -1, count: size)
        mask = size - 1
        keyEnds.reserveCapacity(capacity)
        hashes.reserveCapacity(capacity)
        values.reserveCapacity(capacity)
    }

    /// FNV-1a over the bytes, folded to 32 bits.
    @inline(__always)
    private static func hash(_ bytes: UnsafeBufferPointer<UInt8>) -> UInt32 {
        var h: UInt64 = 0xCBF2_9CE4_8422_2325
        for b in bytes { h = (h ^ UInt64(b)) &* 0x100_0000_01B3 }
        return UInt32(truncatingIfNeeded: h ^ (h >> 32))
    }

    /// The value stored for `key`.
    @inline(__always)
    func value(for key: UnsafeBufferPointer<UInt8>) -> Int32? {
        let h = Self.hash(key)
        return slots.withUnsafeBufferPointer { slots in
            keys.withUnsafeBufferPointer { keys in
                keyEnds.withUnsafeBufferPointer { ends in
                    var slot = Int(h) & mask
                    while true {
                        let entry = Int(slots[slot])
                        if entry < 0 { return nil }
                        if hashes[entry] == h {
                            let start = entry == 0 ? 0 : Int(ends[entry - 1])
                            let end = Int(ends[entry])
                            if end - start == key.count, Self.equal(keys, from: start, key) { return values[entry] }
                        }
                        slot = (slot + 1) & mask
                    }
                }
            }
        }
    }

    /// The value stored for `key`.
    func value(for key: some Collection<UInt8>) -> Int32? {
        let found = key.withContiguousStorageIfAvailable { value(for: $0) }
        if let found { return found }
        return Array(key).withUnsafeBufferPointer { value(for: $0) }
    }

    /// Stores `value` for `key`, replacing the value of an equal key.
    mutating func insert(_ key: some Collection<UInt8>, value: Int32) {
        let bytes = Array(key)
        if let entry = bytes.withUnsafeBufferPointer({ entryIndex(for: $0) }) {
            values[entry] = value
            return
        }
        if (values.count + 1) * 2 > slots.count { grow() }
        let h = bytes.withUnsafeBufferPointer { Self.hash($0) }
        keys.append(contentsOf: bytes)
        keyEnds.append(Int32(keys.count))
        hashes.append(h)
        values.append(value)
        place(values.count - 1, hash: h)
    }

    /// Whether `keys[start...]` begins with `key`.
    @inline(__always)
    private static func equal(_ keys: UnsafeBufferPointer<UInt8>, from start: Int, _ key: UnsafeBufferPointer<UInt8>) -> Bool {
        for i in 0..<key.count where keys[start + i] != key[i] { return false }
        return true
    }

    private func entryIndex(for key: UnsafeBufferPointer<UInt8>) -> Int? {
        let h = Self.hash(key)
        var slot = Int(h) & mask
        while true {
            let entry = Int(slots[slot])
            if entry < 0 { return nil }
            let start = entry == 0 ? 0 : Int(keyEnds[entry - 1])
            if hashes[entry] == h, keys[start..<Int(keyEnds[entry])].elementsEqual(key) { return entry }
            slot = (slot + 1) & mask
        }
    }

    private mutating func place(_ entry: Int, hash h: UInt32) {
        var slot = Int(h) & mask
        while slots[slot] >= 0 { slot = (slot + 1) & mask }
        slots[slot] = Int32(entry)
    }

    private mutating func grow() {
        slots = [Int32](repeating: -1, count: slots.count * 2)
        mask = slots.count - 1
        for entry in 0..<values.count { place(entry, hash: hashes[entry]) }
    }
}

