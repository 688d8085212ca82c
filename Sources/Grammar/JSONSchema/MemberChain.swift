/// Long chains of optional members in declared order.
///
/// After a member, the object automaton may take any property up to the next required one
/// (skipping optional ones), or an extra member past the last declared one. Written as one
/// alternative per such member, each with its own `ws "," ws` before it, a configuration after a
/// value keeps one stack per member that may come next through the whitespace and the comma:
/// hundreds in a schema of hundreds of optional properties. Where at least
/// `sharedSeparatorThreshold` members may come next (two: one member alone has nothing to share), the object builder writes the state as
/// `end | ws "," ws m`, and `m` as the next member or (skipping an optional property) the `m` of
/// the next state, so the separator is read by one stack. Where the member count clamps at 1
/// (no `maxProperties`, `minProperties` at most 1), `m` is the rule of the object's first member
/// at that position, which the object has anyway. Below the threshold the plain form is kept.
enum MemberChain {
    /// The fewest members that may follow a separator for them to share it. Measured against 4
    /// and 8 (session 10, callgrind, Llama 3 sample, same per-trace results): at 2, replay
    /// instructions of every 64th trace −2.8 % and of the first 300 −1.6 %, their compiles
    /// −0.7 %, whole-sample configurations −2.1 % against 8 (at 4: −0.1 %).
    static let sharedSeparatorThreshold = 2

    /// For each declared position `k` (0 through the number of declared properties), how many
    /// members may come next in declared order in a state at `k`: the declared properties from
    /// `k` on that may appear (`present`), up to and including the first required one, and,
    /// when none is required from `k` on, the `extras` (kinds of extra members).
    static func nextMemberCounts(required: [Bool], present: [Bool], extras: Int) -> [Int] {
        var counts = [Int](repeating: extras, count: required.count + 1)
        for k in required.indices.reversed() {
            let own = present[k] ? 1 : 0
            counts[k] = required[k] ? own : own + counts[k + 1]
        }
        return counts
    }
}
