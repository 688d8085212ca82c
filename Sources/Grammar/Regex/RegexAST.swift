/// The abstract syntax tree of an ECMA-262 pattern, as `RegexParser` builds it and
/// `RegexLowering` consumes it.
///
/// The tree keeps only what decides the matched language: group kinds, capture numbers and
/// laziness are dropped by the parser, and unsupported constructs (lookbehind, lookahead
/// inside groups repeated without bound, backreferences, word boundaries inside groups) are
/// reported as errors instead of stored.
enum RegexAST {
    /// One node of the tree.
    indirect enum Node: Hashable, Sendable {
        /// The empty pattern, as in `()` or either side of `|` in `a|`.
        case empty
        /// One character, a set of characters, or an anchor.
        case atom(Atom)
        /// A bracketed class such as `[^a-z\d]`.
        case customCharacterClass(CustomCharacterClass)
        /// The operands one after another.
        case concatenation([Node])
        /// Any one of the operands (`a|b|c`).
        case alternation([Node])
        /// An operand under a quantifier (`a*`, `(ab){2,3}`).
        case quantification(Quantification)
        /// A lookahead assertion, `(?=…)` or `(?!…)`, found only outside groups repeated
        /// without bound (but at the head of a repeated one-character group).
        case lookahead(Lookahead)
        /// `\b` (or `\B`, when `negated`): a word character on exactly one side of the
        /// position (or on both or neither), found only in a top-level alternative of the
        /// pattern.
        case wordBoundary(negated: Bool)

        /// The direct operands of the node.
        var children: [Node] {
            switch self {
            case .empty, .atom, .customCharacterClass, .wordBoundary: return []
            case .concatenation(let nodes), .alternation(let nodes): return nodes
            case .quantification(let quantification): return [quantification.child]
            case .lookahead(let lookahead): return [lookahead.child]
            }
        }

        /// Combines the tree bottom-up: `combine` receives each node with the results of its
        /// children, in order.
        ///
        /// The walk keeps its own stack, so arbitrarily deep trees cannot overflow the
        /// thread's stack.
        func fold<Result, Failure: Error>(
            _ combine: (Node, [Result]) throws(Failure) -> Result
        ) throws(Failure) -> Result {
            var frames = [FoldFrame(node: self, children: children, firstResult: 0)]
            var results: [Result] = []
            while var frame = frames.popLast() {
                if frame.nextChild < frame.children.count {
                    let child = frame.children[frame.nextChild]
                    frame.nextChild += 1
                    frames.append(frame)
                    frames.append(FoldFrame(node: child, children: child.children, firstResult: results.count))
                } else {
                    let value = try combine(frame.node, Array(results[frame.firstResult...]))
                    results.removeSubrange(frame.firstResult...)
                    results.append(value)
                }
            }
            // The root's frame is the last to finish, leaving exactly its result.
            return results[0]
        }

        /// A node being folded, with its progress through its children.
        private struct FoldFrame {
            let node: Node
            let children: [Node]
            var nextChild = 0
            /// Where the results of this node's children start on the result stack.
            let firstResult: Int
        }
    }
}
