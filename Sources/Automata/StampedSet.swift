/// A set of small non-negative integers (stack node ids) that empties in constant time: each
/// slot holds the generation in which its integer was last inserted, and emptying starts a new
/// generation. Used to keep kernels and closures free of duplicates without sorting them.
///
/// A class over raw memory: it is scratch space of one `ConfigurationSpace`, written on every
/// step, where an array's copy-on-write checks cost more than the stamps themselves. The stamps
/// grow without being copied once large (`UnmovedStorage`), so that the step creating the
/// node past a doubling does not copy them.
final class StampedSet {
    @exclusivity(unchecked) private var stamps: UnmovedStorage<UInt32>
    private var generation: UInt32 = 1

    /// An empty set with room for integers below `capacity`, growing without copying up to
    /// `maxCount` (larger ones too, copied).
    init(capacity: Int = 1024, maxCount: Int = 1 << 24) {
        stamps = UnmovedStorage(capacity: capacity, maxCount: maxCount)
    }

    /// Empties the set.
    @inline(__always)
    func removeAll() {
        generation &+= 1
        if generation == 0 {
            stamps.base.update(repeating: 0, count: stamps.capacity)
            generation = 1
        }
    }

    /// Inserts `member`; returns whether it was not in the set.
    @inline(__always)
    func insert(_ member: Int32) -> Bool {
        let i = Int(member)
        if i >= stamps.capacity { stamps.ensure(i + 1) }
        if stamps[i] == generation { return false }
        stamps[i] = generation
        return true
    }

    /// Whether `member` is in the set.
    @inline(__always)
    func contains(_ member: Int32) -> Bool {
        let i = Int(member)
        return i < stamps.capacity && stamps[i] == generation
    }
}
