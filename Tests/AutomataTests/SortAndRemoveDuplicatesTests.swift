import Testing
@testable import Automata

@Suite struct SortAndRemoveDuplicatesTests {
    /// Kernels and closures as sets: sorted, one of each value, the prefix before `start` kept,
    /// for lengths around the insertion-sort cutoff (32) and past it, with many duplicates,
    /// sorted runs and descending input.
    @Test(arguments: [0, 1, 2, 31, 32, 33, 60, 300, 5_000])
    func matchesASortedSet(_ length: Int) {
        var generator = SystemRandomNumberGenerator()
        let shapes: [[Int32]] = [
            (0..<length).map { _ in Int32.random(in: 0..<1_000_000, using: &generator) },
            (0..<length).map { _ in Int32.random(in: 0..<8, using: &generator) },
            (0..<length).map { Int32(length - $0) },
            (0..<length).map { Int32($0 % 17) * 1_000 + Int32($0 / 17) },
            [Int32](repeating: 7, count: length),
        ]
        for values in shapes {
            for start in [0, min(3, length)] {
                var array = values
                array.sortAndRemoveDuplicates(from: start)
                let expected = Array(values[..<start]) + Set(values[start...]).sorted()
                #expect(array == expected, "length \(length), start \(start)")
            }
        }
    }
}
