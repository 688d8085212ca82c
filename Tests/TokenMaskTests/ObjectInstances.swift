/// Object texts over a set of members, for tests that compare two grammars of one object
/// schema on many instances.
enum ObjectInstances {
    /// `{}`, every object of 1 to `exhaustiveUpTo` (1, 2 or 3) members over `keys` × `values`
    /// (repeated keys and any order included), `sampled` objects whose member counts are drawn
    /// from `sampledCounts` (members drawn from a fixed-seed generator: the same list every run),
    /// then four non-objects.
    static func make(keys: [String], values: [String], exhaustiveUpTo: Int, sampled: Int,
                     sampledCounts: ClosedRange<Int>, seed: UInt64) -> [String] {
        precondition((1...3).contains(exhaustiveUpTo))
        let members = keys.flatMap { key in values.map { #""\#(key)":\#($0)"# } }
        var result = ["{}"] + members.map { "{\($0)}" }
        if exhaustiveUpTo >= 2 {
            for first in members {
                for second in members {
                    result.append("{\(first),\(second)}")
                    if exhaustiveUpTo == 3 {
                        for third in members { result.append("{\(first),\(second),\(third)}") }
                    }
                }
            }
        }
        var state = seed
        func next() -> Int {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int(state >> 33)
        }
        for _ in 0..<sampled {
            let count = sampledCounts.lowerBound + next() % sampledCounts.count
            result.append("{" + (0..<count).map { _ in members[next() % members.count] }.joined(separator: ",") + "}")
        }
        return result + ["1", #""s""#, "null", "[]"]
    }
}
