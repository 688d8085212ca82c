import Dispatch

/// Runs independent computations at the same time, on other threads where cores are free, and
/// returns their results in order: the outcome never depends on the scheduling.
public enum Concurrently {
    /// `a()` and `b()`, computed at the same time.
    public static func run<A, B>(_ a: () -> A, _ b: () -> B) -> (A, B) {
        withoutActuallyEscaping(a) { a in
            withoutActuallyEscaping(b) { b in
                let job = PairJob(a, b)
                DispatchQueue.concurrentPerform(iterations: 2) { job.run($0) }
                return job.results()
            }
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

    /// The closures of one `run` and their results; each thread writes only its own result.
    private final class PairJob<A, B>: @unchecked Sendable {
        private var a: (() -> A)?
        private var b: (() -> B)?
        private var resultA: A?
        private var resultB: B?

        init(_ a: @escaping () -> A, _ b: @escaping () -> B) {
            self.a = a
            self.b = b
        }

        func run(_ index: Int) {
            if index == 0 { resultA = a?() } else { resultB = b?() }
        }

        /// Both results; the closures are released, as they must not outlive the call.
        func results() -> (A, B) {
            a = nil
            b = nil
            return (resultA.unsafelyUnwrapped, resultB.unsafelyUnwrapped)
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
