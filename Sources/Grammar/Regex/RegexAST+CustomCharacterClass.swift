extension RegexAST {
    /// A bracketed class: `[abc]`, `[^a-z\d]`, `[]` (matches nothing), `[^]` (any scalar).
    struct CustomCharacterClass: Hashable, Sendable {
        /// One entry between the brackets.
        enum Member: Hashable, Sendable {
            /// A range of code points; a single character is a one-element range.
            case range(ClosedRange<UInt32>)
            /// `\d`, `\w`, `\s`, `\p{…}` or a negation of one.
            case characterClassEscape(CharacterClassEscape)
        }

        /// Whether the class starts with `^`, matching the scalars *not* listed.
        var isInverted: Bool
        /// The entries, in source order.
        var members: [Member]

        /// The Unicode scalars the class matches under `reading` (members of an inverted
        /// class are read the other way: see `Regex.Reading`).
        func scalars(_ reading: Regex.Reading = .ecma262) -> ScalarSet {
            let memberReading = isInverted ? reading.flipped : reading
            let listed = members.reduce(ScalarSet()) { set, member in
                switch member {
                case .range(let range): return set.union(ScalarSet(range))
                case .characterClassEscape(let escape): return set.union(escape.scalars(memberReading))
                }
            }
            return isInverted ? listed.inverted() : listed
        }
    }
}
