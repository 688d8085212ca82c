/// A set of small non-negative integers (stack node ids) that empties in constant time: each
/// slot holds the generation in which its integer was last inserted, and emptying starts a new
/// generation. Used to keep kernels and closures free of duplicates without sorting them.
///
/// A class over raw memory: it is scratch space of one `ConfigurationSpace`, written on every
/// step, where an array's copy-on-write checks cost more than the stamps themselves.
final class StampedSet {
    private var stamps: UnsafeMutablePointer<UInt32>
    private var capacity: Int
    private var generation: UInt32 = 1

    /// An empty set.
    init() {
        capacity = 1024
        stamps = .allocate(capacity: capacity)
        stamps.initialize(repeating: 0, count: capacity)
    }

    deinit { stamps.deallocate() }

    /// Empties the set.
    @inline(__always)
    func removeAll() {
        generation &+= 1
        if generation == 0 {
            stamps.update(repeating: 0, count: capacity)
            generation = 1
        }
    }

    /// Inserts `member`; returns whether it was not in the set.
    @inline(__always)
    func insert(_ member: Int32) -> Bool {
        let i = Int(member)
        if i >= capacity { grow(toHold: i) }
        if stamps[i] == generation { return false }
        stamps[i] = generation
        return true
    }

    /// Whether `member` is in the set.
    @inline(__always)
    func contains(_ member: Int32) -> Bool {
        let i = Int(member)
        return i < capacity && stamps[i] == generation
    }

    /// Makes room for integers up to `member` (at least doubling).
    @inline(never)
    private func grow(toHold member: Int) {
        let larger = max(member + 1, capacity * 2)
        let new = UnsafeMutablePointer<UInt32>.allocate(capacity: larger)
        new.update(from: stamps, count: capacity)
        (new + capacity).initialize(repeating: 0, count: larger - capacity)
        stamps.deallocate()
        stamps = new
        capacity = larger
    }
}
