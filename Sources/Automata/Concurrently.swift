import Dispatch

/// Runs independent computations at the same time, on other threads where cores are free, and
/// returns their results in order: the outcome never depends on the scheduling.
public enum Concurrently {
    /// `a()` and `b()`, computed at the same time: `a` on the calling thread (so what it
    /// allocates comes from that thread's memory, often reused, not from a fresh arena), `b`
    /// on another.
    public static func run<A, B>(_ a: () -> A, _ b: () -> B) -> (A, B) {
        withoutActuallyEscaping(b) { b in
            let job = SideJob(b)
            let group = DispatchGroup()
            DispatchQueue.global().async(group: group) { job.run() }
            let resultA = a()
            group.wait()
            return (resultA, job.result())
        }
    }

    /// `body(i)` for every `i` in `0..<count`, computed at the same time, in order of `i`.
    public static func map<T>(_ count: Int, _ body: (Int) -> T) -> [T] {
        withoutActuallyEscaping(body) { body in
            let job = MapJob(count, body)
            DispatchQueue.concurrentPerform(iterations: count) { job.run($0) }
            return job.results()
        }
    }

    /// Drops `value` on another thread: a large value the caller is done with (the front end's
    /// `Grammar` after compilation) is deallocated off the caller's path. The last reference
    /// must be handed over (`consume`): a copy the caller still holds is released where it is.
    /// Releases run one at a time, in order, on a background queue of their own.
    public static func release<T: Sendable>(_ value: consuming T) {
        let parcel = Parcel(value)
        releases.async { parcel.drop() }
    }

    /// The queue `release` drops values on.
    private static let releases = DispatchQueue(label: "gramc.release", qos: .utility)

    /// A value `release` hands to its queue.
    private final class Parcel<T>: @unchecked Sendable {
        private var value: T?

        init(_ value: consuming T) {
            self.value = value
        }

        /// Releases the value (its deallocation, if this held the last reference, runs here).
        func drop() {
            value = nil
        }
    }

    /// The closure `run` hands to another thread, and its result.
    private final class SideJob<B>: @unchecked Sendable {
        private var body: (() -> B)?
        private var value: B?

        init(_ body: @escaping () -> B) {
            self.body = body
        }

        func run() {
            value = body?()
        }

        /// The result; the closure is released, as it must not outlive the call.
        func result() -> B {
            body = nil
            return value.unsafelyUnwrapped
        }
    }

    /// The closure of one `map` and its results; each thread writes only its own slot.
    private final class MapJob<T>: @unchecked Sendable {
        private var body: ((Int) -> T)?
        private let slots: UnsafeMutableBufferPointer<T?>

        init(_ count: Int, _ body: @escaping (Int) -> T) {
            self.body = body
            slots = .allocate(capacity: count)
            slots.initialize(repeating: nil)
        }

        deinit {
            slots.deinitialize()
            slots.deallocate()
        }

        func run(_ index: Int) {
            slots[index] = body?(index)
        }

        /// The results in order; the closure is released, as it must not outlive the call.
        func results() -> [T] {
            body = nil
            return slots.map { $0.unsafelyUnwrapped }
        }
    }
}
