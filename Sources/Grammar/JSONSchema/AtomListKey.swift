/// A list of schema atoms as a dictionary key (the builder's memo tables keyed by atoms:
/// `memberConstraints`, `stringLanguages`, `branchDisjointness`). Equal when the lists are
/// equal; hashed from each atom's `RuleNameTable.hash` (whole words loaded from the UTF-8)
/// instead of feeding every byte to `Hasher`: atoms of deep schemas are pointers of a hundred
/// bytes and more, looked up again at every conjunction.
struct AtomListKey: Hashable {
    /// The atoms, in order.
    let atoms: [String]

    /// The key of `atoms`.
    init(_ atoms: [String]) { self.atoms = atoms }

    func hash(into hasher: inout Hasher) {
        hasher.combine(atoms.count)
        for atom in atoms { hasher.combine(RuleNameTable.hash(atom)) }
    }
}
