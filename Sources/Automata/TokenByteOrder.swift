/// Token ids sorted by their bytes (shorter first when one is a prefix of the other, equal
/// bytes by ascending id): the order of a token tree's depth-first walk.
///
/// A most-significant-byte-first radix sort: each group of ids sharing a prefix is split by
/// its next byte (ids that end there first), stably, so ids of equal bytes keep the ascending
/// order they arrive in; small groups are finished by insertion sort. Each id carries its
/// first 8 bytes as a big-endian key, so the first 8 levels read no token bytes; the sort also
/// yields how many bytes each token shares with the one before it, which is where the token
/// tree branches.
struct TokenByteOrder {
    /// The ids in byte order.
    private(set) var ids: [Int32]
    /// The byte length of each token, in sorted order.
    private(set) var lengths: [Int32]
    /// The first 8 bytes of each token, big-endian, zero-padded, in sorted order.
    private(set) var keys: [UInt64]
    /// How many leading bytes each token shares with the one before it (0 for the first).
    private(set) var sharedPrefix: [Int32]

    /// Groups at most this large are insertion-sorted rather than split by byte.
    private static let insertionSortLimit = 24
    /// Fewer tokens are sorted on one thread.
    private static let concurrencyThreshold = 1 << 14

    /// Sorts `ids`, which must be ascending, by the bytes of each: token `id` is
    /// `storage[offsets[id]..<offsets[id + 1]]`.
    init(_ ids: [Int32], storage: UnsafeBufferPointer<UInt8>, offsets: UnsafeBufferPointer<Int32>) {
        let n = ids.count
        self.ids = ids
        (lengths, keys) = ids.withUnsafeBufferPointer { ids in
            let lengths = [Int32](unsafeUninitializedCapacity: n) { lengths, count in
                for i in 0..<n { lengths[i] = offsets[Int(ids[i]) + 1] - offsets[Int(ids[i])] }
                count = n
            }
            let keys = [UInt64](unsafeUninitializedCapacity: n) { keys, count in
                for i in 0..<n { keys[i] = Self.key(storage, from: Int(offsets[Int(ids[i])]), to: Int(offsets[Int(ids[i]) + 1])) }
                count = n
            }
            return (lengths, keys)
        }
        sharedPrefix = [Int32](repeating: 0, count: n)
        guard n > 1 else { return }
        let sorter = Sorter(storage: storage, offsets: offsets, count: n)
        defer { sorter.deallocate() }
        self.ids.withUnsafeMutableBufferPointer { ids in
            lengths.withUnsafeMutableBufferPointer { lengths in
                keys.withUnsafeMutableBufferPointer { keys in
                    sharedPrefix.withUnsafeMutableBufferPointer { shared in
                        let columns = Columns(ids: ids, lengths: lengths, keys: keys, shared: shared)
                        // Split by the first byte, then sort the groups in two halves at the
                        // same time: groups are independent and occupy their own positions.
                        var groups: [(range: Range<Int>, depth: Int)] = []
                        sorter.step(columns, 0..<n, depth: 0, pending: &groups)
                        guard n >= Self.concurrencyThreshold, groups.count > 1 else {
                            sorter.run(columns, groups)
                            return
                        }
                        var half = 0, firstHalfCount = 0
                        while half < groups.count - 1, 2 * (firstHalfCount + groups[half].range.count) <= n {
                            firstHalfCount += groups[half].range.count
                            half += 1
                        }
                        let other = sorter.sharingScratch()
                        defer { other.deallocateCounts() }
                        _ = Concurrently.run({ sorter.run(columns, Array(groups[..<max(half, 1)])) },
                                             { other.run(columns, Array(groups[max(half, 1)...])) })
                    }
                }
            }
        }
    }

    /// The first 8 bytes of `storage[start..<end]` as a big-endian number, zero-padded.
    @inline(__always)
    static func key(_ storage: UnsafeBufferPointer<UInt8>, from start: Int, to end: Int) -> UInt64 {
        if start + 8 <= storage.count, let base = storage.baseAddress {
            // One load of the 8 bytes from `start`, those past `end` masked off.
            let word = UInt64(bigEndian: UnsafeRawPointer(base + start).loadUnaligned(as: UInt64.self))
            let length = end - start
            return length >= 8 ? word : length == 0 ? 0 : word & ~(UInt64.max >> (8 * UInt64(length)))
        }
        var key: UInt64 = 0
        for k in 0..<8 { key = key << 8 | UInt64(start + k < end ? storage[start + k] : 0) }
        return key
    }

    /// The arrays sorted together, by position.
    private struct Columns {
        let ids: UnsafeMutableBufferPointer<Int32>
        let lengths: UnsafeMutableBufferPointer<Int32>
        let keys: UnsafeMutableBufferPointer<UInt64>
        let shared: UnsafeMutableBufferPointer<Int32>
    }

    /// The work space of one sort.
    private struct Sorter {
        let storage: UnsafeBufferPointer<UInt8>
        let offsets: UnsafeBufferPointer<Int32>
        let scratchIDs: UnsafeMutableBufferPointer<Int32>
        let scratchLengths: UnsafeMutableBufferPointer<Int32>
        let scratchKeys: UnsafeMutableBufferPointer<UInt64>
        let buckets: UnsafeMutableBufferPointer<UInt16>   // 0 for a token that ends at the group's depth, else 1 + its next byte
        let counts: UnsafeMutableBufferPointer<Int>       // per bucket

        init(storage: UnsafeBufferPointer<UInt8>, offsets: UnsafeBufferPointer<Int32>, count: Int) {
            self.storage = storage
            self.offsets = offsets
            scratchIDs = .allocate(capacity: count)
            scratchLengths = .allocate(capacity: count)
            scratchKeys = .allocate(capacity: count)
            buckets = .allocate(capacity: count)
            counts = .allocate(capacity: 257)
            counts.initialize(repeating: 0)
        }

        /// A sorter for other positions of the same columns: the same scratch buffers (used
        /// only at the positions sorted), its own bucket counts.
        func sharingScratch() -> Sorter {
            let counts = UnsafeMutableBufferPointer<Int>.allocate(capacity: 257)
            counts.initialize(repeating: 0)
            return Sorter(storage: storage, offsets: offsets, scratchIDs: scratchIDs, scratchLengths: scratchLengths,
                          scratchKeys: scratchKeys, buckets: buckets, counts: counts)
        }

        private init(storage: UnsafeBufferPointer<UInt8>, offsets: UnsafeBufferPointer<Int32>,
                     scratchIDs: UnsafeMutableBufferPointer<Int32>, scratchLengths: UnsafeMutableBufferPointer<Int32>,
                     scratchKeys: UnsafeMutableBufferPointer<UInt64>, buckets: UnsafeMutableBufferPointer<UInt16>,
                     counts: UnsafeMutableBufferPointer<Int>) {
            self.storage = storage
            self.offsets = offsets
            self.scratchIDs = scratchIDs
            self.scratchLengths = scratchLengths
            self.scratchKeys = scratchKeys
            self.buckets = buckets
            self.counts = counts
        }

        /// Frees the counts of a sorter made by `sharingScratch`.
        func deallocateCounts() {
            counts.deallocate()
        }

        func deallocate() {
            for buffer in [UnsafeMutableRawBufferPointer(scratchIDs), UnsafeMutableRawBufferPointer(scratchLengths),
                           UnsafeMutableRawBufferPointer(scratchKeys), UnsafeMutableRawBufferPointer(buckets),
                           UnsafeMutableRawBufferPointer(counts)] {
                buffer.deallocate()
            }
        }

        /// The byte at `depth` of the token at position `i`, which is longer than `depth`.
        @inline(__always)
        func byte(_ c: Columns, _ i: Int, at depth: Int) -> UInt8 {
            depth < 8 ? UInt8(truncatingIfNeeded: c.keys[i] >> (56 - 8 * UInt64(depth)))
                : storage[Int(offsets[Int(c.ids[i])]) + depth]
        }

        /// Sorts the `groups` of positions of `c`, each sharing its first `depth` bytes.
        func run(_ c: Columns, _ groups: [(range: Range<Int>, depth: Int)]) {
            var pending = groups
            while let (range, depth) = pending.popLast() {
                step(c, range, depth: depth, pending: &pending)
            }
        }

        /// Sorts the positions `range` of `c`, which share their first `depth` bytes, by their
        /// next byte, adding the groups left to sort to `pending` (or finishes a small group).
        func step(_ c: Columns, _ range: Range<Int>, depth: Int, pending: inout [(range: Range<Int>, depth: Int)]) {
            if range.count <= TokenByteOrder.insertionSortLimit {
                insertionSort(c, range, from: depth)
                return
            }
            // The buckets used lie in lowest...highest: only those are summed and cleared.
            var lowest = 256, highest = 0
            for i in range {
                let bucket: UInt16 = Int(c.lengths[i]) == depth ? 0 : UInt16(byte(c, i, at: depth)) + 1
                buckets[i] = bucket
                counts[Int(bucket)] += 1
                lowest = min(lowest, Int(bucket))
                highest = max(highest, Int(bucket))
            }
            let first = Int(buckets[range.lowerBound])
            if counts[first] == range.count {
                // One bucket: nothing moves. Tokens that all end here are equal.
                counts[first] = 0
                if first == 0 {
                    for i in range.dropFirst() { c.shared[i] = Int32(depth) }
                } else {
                    pending.append((range, depth + 1))
                }
                return
            }
            var next = range.lowerBound
            for b in lowest...highest {
                let count = counts[b]
                counts[b] = next
                if count > 0 {
                    // The first token of a bucket shares `depth` bytes with the one before
                    // (except the group's first, whose share the parent group set), and so
                    // do the equal tokens of bucket 0.
                    let from = next == range.lowerBound ? next + 1 : next
                    let to = b == 0 ? next + count : next + 1
                    if from < to { for i in from..<to { c.shared[i] = Int32(depth) } }
                    if b > 0, count > 1 { pending.append((next..<(next + count), depth + 1)) }
                }
                next += count
            }
            for i in range {
                let b = Int(buckets[i])
                let to = counts[b]
                scratchIDs[to] = c.ids[i]
                scratchLengths[to] = c.lengths[i]
                scratchKeys[to] = c.keys[i]
                counts[b] = to + 1
            }
            for i in range {
                c.ids[i] = scratchIDs[i]
                c.lengths[i] = scratchLengths[i]
                c.keys[i] = scratchKeys[i]
            }
            UnsafeMutableBufferPointer(rebasing: counts[lowest...highest]).update(repeating: 0)
        }

        /// Insertion-sorts positions `range`, whose tokens share their first `depth` bytes,
        /// then sets the shared prefix of each but the first.
        func insertionSort(_ c: Columns, _ range: Range<Int>, from depth: Int) {
            for i in range.dropFirst() {
                let (id, length, key) = (c.ids[i], c.lengths[i], c.keys[i])
                var j = i
                while j > range.lowerBound,
                      precedes(id, length, key, c.ids[j - 1], c.lengths[j - 1], c.keys[j - 1], from: depth) {
                    c.ids[j] = c.ids[j - 1]
                    c.lengths[j] = c.lengths[j - 1]
                    c.keys[j] = c.keys[j - 1]
                    j -= 1
                }
                c.ids[j] = id
                c.lengths[j] = length
                c.keys[j] = key
            }
            for i in range.dropFirst() {
                c.shared[i] = Int32(sharedLength(c, i - 1, i, from: depth))
            }
        }

        /// Whether token `a` sorts before token `b`, both sharing their first `depth` bytes.
        @inline(__always)
        func precedes(_ a: Int32, _ lengthA: Int32, _ keyA: UInt64,
                      _ b: Int32, _ lengthB: Int32, _ keyB: UInt64, from depth: Int) -> Bool {
            // Zero padding makes a token that is a prefix of another compare below it.
            if keyA != keyB { return keyA < keyB }
            if min(lengthA, lengthB) > 8 {
                var i = Int(offsets[Int(a)]) + max(depth, 8), j = Int(offsets[Int(b)]) + max(depth, 8)
                let endA = Int(offsets[Int(a) + 1]), endB = Int(offsets[Int(b) + 1])
                while i < endA, j < endB {
                    if storage[i] != storage[j] { return storage[i] < storage[j] }
                    i += 1
                    j += 1
                }
            }
            // Equal up to the shorter one's end.
            return lengthA != lengthB ? lengthA < lengthB : a < b
        }

        /// How many leading bytes the tokens at positions `a` and `b` share, at least `depth`.
        func sharedLength(_ c: Columns, _ a: Int, _ b: Int, from depth: Int) -> Int {
            let limit = Int(min(c.lengths[a], c.lengths[b]))
            let inKey = (c.keys[a] ^ c.keys[b]).leadingZeroBitCount / 8
            guard inKey >= 8, limit > 8 else { return min(inKey, limit) }
            var shared = max(depth, 8)
            let startA = Int(offsets[Int(c.ids[a])]), startB = Int(offsets[Int(c.ids[b])])
            while shared < limit, storage[startA + shared] == storage[startB + shared] { shared += 1 }
            return shared
        }
    }
}
