import Foundation
import Grammar

/// The `normalizer` of a `tokenizer.json`: the text rewrites done before pre-tokenization, in order.
///
/// Supported steps: `NFC`, `NFD`, `NFKC`, `NFKD`, `Prepend` (when the text is not empty),
/// `Replace` with a `String` pattern, and `Sequence` of those.
struct Normalizer: Sendable {
    /// One rewrite.
    enum Step: Sendable {
        /// A Unicode normalization form.
        case unicode(UnicodeForm)
        /// Puts the bytes before a non-empty text.
        case prepend([UInt8])
        /// Replaces every occurrence of `pattern`, left to right, with `content`.
        case replace(pattern: [UInt8], content: [UInt8])
    }

    /// A Unicode normalization form.
    enum UnicodeForm: Sendable {
        /// Canonical composition.
        case nfc
        /// Canonical decomposition.
        case nfd
        /// Compatibility composition.
        case nfkc
        /// Compatibility decomposition.
        case nfkd

        /// The UTF-8 of the normal form of `text`.
        ///
        /// Composition is the standard library's (`_nfcCodeUnits`, what `String` comparison uses):
        /// Foundation's composing forms mis-compose scalars past U+FFFF (U+101F29 U+0340 becomes
        /// U+1F2B) and leave a Hangul LV syllable and a trailing consonant apart. NFKC is NFC of
        /// Foundation's NFKD.
        private func apply(_ text: String) -> [UInt8] {
            switch self {
            case .nfc: text._nfcCodeUnits
            case .nfd: Array(text.decomposedStringWithCanonicalMapping.utf8)
            case .nfkc: text.decomposedStringWithCompatibilityMapping._nfcCodeUnits
            case .nfkd: Array(text.decomposedStringWithCompatibilityMapping.utf8)
            }
        }

        /// The UTF-8 of the normal form of `text` as the Hugging Face library computes it, with
        /// Unicode 9.0 tables: a scalar assigned later is a starter that nothing decomposes,
        /// reorders or composes across, so it is kept as it is and the runs between such scalars
        /// are normalized on their own (normalization of scalars assigned by 9.0 is stable).
        func applyAsOfUnicode9(_ text: UnsafeBufferPointer<UInt8>) -> [UInt8] {
            var out: [UInt8] = []
            out.reserveCapacity(text.count)
            var runStart = 0
            var i = 0
            while i < text.count {
                let (value, length) = UTF8Scalars.decode(text, at: i)
                if value >= 0x80, let scalar = Unicode.Scalar(value), let age = scalar.properties.age,
                   age.major > 9 {
                    if runStart < i { out += apply(String(decoding: UnsafeBufferPointer(rebasing: text[runStart..<i]), as: UTF8.self)) }
                    out.append(contentsOf: UnsafeBufferPointer(rebasing: text[i..<i + length]))
                    runStart = i + length
                }
                i += length
            }
            if runStart < text.count { out += apply(String(decoding: UnsafeBufferPointer(rebasing: text[runStart...]), as: UTF8.self)) }
            return out
        }

        /// A byte bound under which text is already in this form: scalars below U+0300 (lead
        /// bytes below 0xCC) are stable under NFC, ASCII under every form.
        var stableBelow: UInt8 { self == .nfc ? 0xCC : 0x80 }
    }

    /// The rewrites, in order.
    let steps: [Step]

    /// The normalizer of no steps.
    init(steps: [Step] = []) { self.steps = steps }

    /// The normalizer a `tokenizer.json` `normalizer` value describes (nil or JSON null: none).
    init(json: JSONValue?) throws(VocabularyError) {
        var steps: [Step] = []
        if let json, json != .null { try Self.collect(json, into: &steps) }
        self.steps = steps
    }

    private static func collect(_ json: JSONValue, into steps: inout [Step]) throws(VocabularyError) {
        let type = json["type"]?.stringValue
        switch type {
        case "Sequence":
            guard let items = json["normalizers"]?.arrayValue else {
                throw VocabularyError(.unexpectedShape, "a Sequence normalizer needs a 'normalizers' list")
            }
            for item in items { try collect(item, into: &steps) }
        case "NFC": steps.append(.unicode(.nfc))
        case "NFD": steps.append(.unicode(.nfd))
        case "NFKC": steps.append(.unicode(.nfkc))
        case "NFKD": steps.append(.unicode(.nfkd))
        case "Prepend":
            guard let prepend = json["prepend"]?.stringValue else {
                throw VocabularyError(.unexpectedShape, "a Prepend normalizer needs a 'prepend' string")
            }
            steps.append(.prepend(Array(prepend.utf8)))
        case "Replace":
            guard let pattern = json["pattern"]?["String"]?.stringValue else {
                throw VocabularyError(.unsupportedTokenizer, "a Replace normalizer is supported with a 'String' pattern only")
            }
            guard let content = json["content"]?.stringValue else {
                throw VocabularyError(.unexpectedShape, "a Replace normalizer needs a 'content' string")
            }
            steps.append(.replace(pattern: Array(pattern.utf8), content: Array(content.utf8)))
        default:
            throw VocabularyError(.unsupportedTokenizer, "the normalizer '\(type ?? "?")' is not supported (NFC, NFD, NFKC, NFKD, Prepend, Replace and Sequence are)")
        }
    }

    /// The normalized `text`, or nil when no step changed it.
    func normalize(_ text: UnsafeBufferPointer<UInt8>) -> [UInt8]? {
        var current: [UInt8]?
        for step in steps {
            let changed = if let buffer = current {
                buffer.withUnsafeBufferPointer { Self.apply(step, to: $0) }
            } else {
                Self.apply(step, to: text)
            }
            if let changed { current = changed }
        }
        return current
    }

    /// `text` after `step`, or nil when unchanged.
    private static func apply(_ step: Step, to text: UnsafeBufferPointer<UInt8>) -> [UInt8]? {
        switch step {
        case .unicode(let form):
            let bound = form.stableBelow
            guard text.contains(where: { $0 >= bound }) else { return nil }
            let normalized = form.applyAsOfUnicode9(text)
            return normalized.elementsEqual(text) ? nil : normalized
        case .prepend(let prefix):
            guard !text.isEmpty, !prefix.isEmpty else { return nil }
            return prefix + text
        case .replace(let pattern, let content):
            guard !pattern.isEmpty, text.count >= pattern.count else { return nil }
            var out: [UInt8] = []
            var replaced = false
            var i = 0
            while i < text.count {
                if text[i] == pattern[0], i + pattern.count <= text.count,
                   UnsafeBufferPointer(rebasing: text[i..<i + pattern.count]).elementsEqual(pattern) {
                    if !replaced {
                        out.reserveCapacity(text.count + text.count / 4)
                        out.append(contentsOf: UnsafeBufferPointer(rebasing: text[0..<i]))
                        replaced = true
                    }
                    out.append(contentsOf: content)
                    i += pattern.count
                } else {
                    if replaced { out.append(text[i]) }
                    i += 1
                }
            }
            return replaced ? out : nil
        }
    }
}
