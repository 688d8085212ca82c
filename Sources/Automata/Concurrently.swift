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
