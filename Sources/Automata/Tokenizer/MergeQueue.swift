/// The candidate merges of a word, lowest rank first and leftmost first among equal ranks: a
/// binary min-heap of `rank << 32 | position` keys.
struct MergeQueue {
    private var heap: [UInt64] = []

    /// An empty queue.
    init() {}

    /// Empties the queue, keeping its storage.
    mutating func removeAll() { heap.removeAll(keepingCapacity: true) }

    /// Adds the merge of rank `rank` at symbol `position`.
    mutating func push(rank: Int32, position: Int32) {
        var i = heap.count
        heap.append(UInt64(UInt32(bitPattern: rank)) << 32 | UInt64(UInt32(bitPattern: position)))
        heap.withUnsafeMutableBufferPointer { h in
            let key = h[i]
            while i > 0 {
                let parent = (i - 1) / 2
                guard h[parent] > key else { break }
                h[i] = h[parent]
                i = parent
            }
            h[i] = key
        }
    }

    /// Removes and returns the lowest-ranked, leftmost merge.
    mutating func pop() -> (rank: Int32, position: Int32)? {
        guard let last = heap.popLast() else { return nil }
        guard !heap.isEmpty else { return Self.unpack(last) }
        let top = heap[0]
        heap.withUnsafeMutableBufferPointer { h in
            let n = h.count
            var i = 0
            while true {
                var child = 2 * i + 1
                guard child < n else { break }
                if child + 1 < n, h[child + 1] < h[child] { child += 1 }
                guard h[child] < last else { break }
                h[i] = h[child]
                i = child
            }
            h[i] = last
        }
        return Self.unpack(top)
    }

    private static func unpack(_ key: UInt64) -> (rank: Int32, position: Int32) {
        (Int32(bitPattern: UInt32(key >> 32)), Int32(bitPattern: UInt32(truncatingIfNeeded: key)))
    }
}
