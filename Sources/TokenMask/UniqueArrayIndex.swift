import Foundation
import Automata

/// What matchers of a grammar with `Grammar.uniqueArrayRules` share to keep array elements
/// distinct: the automaton states opening unique arrays, and per configuration the anchors of
/// the unique arrays a `[` read there opens (computed on first use).
final class UniqueArrayIndex: @unchecked Sendable {
    private let engine: MaskEngine
    private let openers: UniqueArrayOpeners
    private let lock = NSLock()
    private var anchorsByConfig: [Int32: [UniqueArrayAnchor]] = [:]

    /// The index of `engine`'s grammar, or nil when it has no unique array rule left.
    init?(engine: MaskEngine, rules: Set<String>) {
        guard !rules.isEmpty, let openers = engine.withSpace({ UniqueArrayOpeners($0, rules: rules) }) else { return nil }
        self.engine = engine
        self.openers = openers
    }

    /// The anchors of the unique arrays that reading `[` in `config` opens (empty: a plain array).
    func anchors(openedFrom config: Int32) -> [UniqueArrayAnchor] {
        lock.lock()
        defer { lock.unlock() }
        if let known = anchorsByConfig[config] { return known }
        let anchors = engine.withSpace { $0.uniqueArrayAnchors(openedFrom: config, openers: openers) }
        anchorsByConfig[config] = anchors
        return anchors
    }

    /// `config` without the parses inside the arrays of `anchors` (see `ConfigurationSpace`).
    func removingParses(inside anchors: [UniqueArrayAnchor], from config: Int32) -> Int32 {
        engine.withSpace { $0.removingParses(inside: anchors, from: config) }
    }

    /// The configuration after `byte`, or `dead`.
    func step(_ config: Int32, _ byte: UInt8) -> Int32 {
        engine.withSpace { $0.step(config, byte) }
    }
}
