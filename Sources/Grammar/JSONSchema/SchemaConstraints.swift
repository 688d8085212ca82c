/// The JSON types a schema admits. `number` is `integer` ∪ `fractional`.
struct JSONTypeSet: OptionSet, Hashable {
    let rawValue: UInt8

    init(rawValue: UInt8) { self.rawValue = rawValue }

    static let null = JSONTypeSet(rawValue: 1 << 0)
    static let boolean = JSONTypeSet(rawValue: 1 << 1)
    /// Numbers whose value is a whole number.
    static let integer = JSONTypeSet(rawValue: 1 << 2)
    /// Numbers whose value is not a whole number.
    static let fractional = JSONTypeSet(rawValue: 1 << 3)
    static let string = JSONTypeSet(rawValue: 1 << 4)
    static let array = JSONTypeSet(rawValue: 1 << 5)
    static let object = JSONTypeSet(rawValue: 1 << 6)

    static let number: JSONTypeSet = [.integer, .fractional]
    static let all: JSONTypeSet = [.null, .boolean, .number, .string, .array, .object]

    /// The set named by a `type` keyword value, or nil for an unknown name.
    init?(typeName: String) {
        switch typeName {
        case "null": self = .null
        case "boolean": self = .boolean
        case "integer": self = .integer
        case "number": self = .number
        case "string": self = .string
        case "array": self = .array
        case "object": self = .object
        default: return nil
        }
    }

    /// The type of `value`.
    init(of value: JSONValue) {
        switch value {
        case .null: self = .null
        case .bool: self = .boolean
        case .number(let n): self = n.isInteger ? .integer : .fractional
        case .string: self = .string
        case .array: self = .array
        case .object: self = .object
        }
    }
}

/// An inclusive or exclusive numeric bound.
struct NumericBound: Hashable {
    var value: JSONNumber
    var isExclusive: Bool
}

/// What strings must satisfy: a length range in Unicode scalars, regular languages over
/// scalars (`pattern`s as searches, complements from `not`), and asserted formats.
struct StringConstraints: Hashable {
    var minLength = 0
    var maxLength: Int?
    /// Scalar-level languages every string must belong to.
    var languages: [Expression] = []
    /// The names of the formats every string must have (all known to `FormatLanguage`).
    var formats: [String] = []

    /// Whether no constraint applies.
    var isUnconstrained: Bool { minLength == 0 && maxLength == nil && languages.isEmpty && formats.isEmpty }

    /// Reads each language that is a run of one scalar set with a bound above `threshold`
    /// (`^.{60}$`: `[^\n\r\u2028\u2029]{60}`) as that set's strings under a length bound, moved
    /// into `minLength`/`maxLength`: the same strings, but a long length bound is counted at run
    /// time, where the run's positions would multiply the states of every other language it is
    /// intersected with.
    mutating func boundLengthRuns(above threshold: Int) {
        var rest: [Expression] = []
        for language in languages {
            guard let run = StringConstraints.lengthRun(language), run.min > threshold || (run.max ?? 0) > threshold else {
                rest.append(language)
                continue
            }
            minLength = max(minLength, run.min)
            if let upper = run.max { maxLength = min(maxLength ?? upper, upper) }
            let strings = Expression.zeroOrMore(.characterClass(run.set))
            if run.set != .all, !rest.contains(strings) { rest.append(strings) }
        }
        languages = rest
    }

    /// The scalar set and length bounds of `language` when it is exactly the strings of
    /// `min...max` scalars from one set (a class, its repetitions and sequences of them).
    static func lengthRun(_ language: Expression) -> (set: ScalarSet, min: Int, max: Int?)? {
        switch language {
        case .characterClass(let set):
            return (set, 1, 1)
        case .repetition(.characterClass(let set), let min, let max):
            return (set, min, max)
        case .sequence(let parts):
            guard let first = parts.first.flatMap(lengthRun) else { return nil }
            var run = first
            for part in parts.dropFirst() {
                guard let next = lengthRun(part), next.set == run.set else { return nil }
                let (low, lowOverflow) = run.min.addingReportingOverflow(next.min)
                guard !lowOverflow else { return nil }
                run.min = low
                if let a = run.max, let b = next.max {
                    let (high, highOverflow) = a.addingReportingOverflow(b)
                    guard !highOverflow else { return nil }
                    run.max = high
                } else {
                    run.max = nil
                }
            }
            return run
        default:
            return nil
        }
    }

    mutating func formIntersection(_ other: StringConstraints) {
        minLength = max(minLength, other.minLength)
        maxLength = Optional.smaller(maxLength, other.maxLength)
        languages.appendNew(other.languages)
        formats.appendNew(other.formats)
    }
}

/// What numbers must satisfy.
struct NumberConstraints: Hashable {
    var lower: NumericBound?
    var upper: NumericBound?
    /// Each value must be a multiple of every divisor (all positive).
    var divisors: [JSONNumber] = []
    /// No value may be a multiple of any of these (from `not: {multipleOf}`).
    var nonDivisors: [JSONNumber] = []
    /// Where the first `multipleOf` was found, for error reports.
    var divisorPointer: String?

    var isUnconstrained: Bool { lower == nil && upper == nil && divisors.isEmpty && nonDivisors.isEmpty }

    mutating func formIntersection(_ other: NumberConstraints) {
        if let bound = other.lower { tightenLower(bound) }
        if let bound = other.upper { tightenUpper(bound) }
        divisors.appendNew(other.divisors)
        nonDivisors.appendNew(other.nonDivisors)
        divisorPointer = divisorPointer ?? other.divisorPointer
    }

    mutating func tightenLower(_ bound: NumericBound) {
        guard let current = lower else { lower = bound; return }
        if bound.value > current.value || (bound.value == current.value && bound.isExclusive) { lower = bound }
    }

    mutating func tightenUpper(_ bound: NumericBound) {
        guard let current = upper else { upper = bound; return }
        if bound.value < current.value || (bound.value == current.value && bound.isExclusive) { upper = bound }
    }

    /// Whether `value` satisfies the bounds and divisors.
    func admits(_ value: JSONNumber) -> Bool {
        if let lower, value < lower.value || (lower.isExclusive && value == lower.value) { return false }
        if let upper, upper.value < value || (upper.isExclusive && value == upper.value) { return false }
        return divisors.allSatisfy { DecimalArithmetic.isMultiple(value, of: $0) }
            && !nonDivisors.contains { DecimalArithmetic.isMultiple(value, of: $0) }
    }
}

/// The array keywords of one schema: element `i` must match `prefix[i]` if it exists, else
/// `items` (nil: anything). Schemas are given as atoms (see `SchemaGrammarBuilder`).
struct ArrayShape: Hashable {
    var prefix: [String] = []
    var items: String?
    /// The schema the keywords belong to (for `unevaluatedItems` scopes).
    var owner: String = ""
    /// Whether the shape produces annotations (false for shapes made by negation).
    var evaluates = true

    /// The schema element `index` must match under this shape, if any.
    func schema(at index: Int) -> String? { index < prefix.count ? prefix[index] : items }
}

/// `contains` with its bounds: between `min` and `max` elements from index `start` on match `schema`.
struct ContainsConstraint: Hashable {
    var schema: String
    var min: Int
    var max: Int?
    var start = 0
    var owner: String
    var evaluates = true
    /// The JSON Pointer of the keyword, for error reports.
    var pointer: String
}

/// `unevaluatedProperties`/`unevaluatedItems`: what is not evaluated by the schemas in the
/// owners' in-place scope must match `schema` (or, as an existence constraint from a negation,
/// at least one such member or element must).
struct UnevaluatedConstraint: Hashable {
    var schema: String
    var owners: [String]
    var pointer: String
}

/// One `patternProperties` entry.
struct PatternProperty: Hashable {
    /// The regex source, for messages and identity.
    var source: String
    /// The regex's search language over scalars.
    var language: Expression
    var schema: String
}

/// The object keywords of one schema: each declared property's schema, pattern properties,
/// and the schema of every other property (nil: anything). Schemas are given as atoms.
struct ObjectShape: Hashable {
    var properties: [(name: String, schema: String)] = []
    var patterns: [PatternProperty] = []
    var additional: String?
    /// The schema the keywords belong to (for `unevaluatedProperties` scopes).
    var owner: String = ""
    /// Whether the shape produces annotations (false for shapes made by negation).
    var evaluates = true

    /// Whether `name` is declared in `properties`.
    func declares(_ name: String) -> Bool { properties.contains { $0.name == name } }

    static func == (a: ObjectShape, b: ObjectShape) -> Bool {
        a.additional == b.additional && a.patterns == b.patterns && a.owner == b.owner && a.evaluates == b.evaluates
            && a.properties.elementsEqual(b.properties) { $0 == $1 }
    }

    func hash(into hasher: inout Hasher) {
        hasher.combine(additional)
        hasher.combine(patterns)
        hasher.combine(owner)
        for property in properties {
            hasher.combine(property.name)
            hasher.combine(property.schema)
        }
    }
}

/// At least one member whose key satisfies the string schemas `keys` (all of them; none: any
/// key) and whose value satisfies `value` (from negated `additionalProperties`,
/// `patternProperties` and `propertyNames`) — or, when `valuesByName` is not empty, whose
/// name is one of its names and whose value satisfies that name's schema (a negated object
/// whose properties may fail, excluded as one condition; `keys` then admit those names only).
struct MemberExistence: Hashable {
    var keys: [String]
    var value: String?
    var valuesByName: [String: String] = [:]

    /// The schema a member named `name` (nil: a name no `valuesByName` has) must satisfy to
    /// witness the condition.
    func value(for name: String?) -> String? {
        guard !valuesByName.isEmpty else { return value }
        return name.flatMap { valuesByName[$0] } ?? SyntheticNodes.falseAtom
    }
}

/// The assertions of a conjunction of schemas, apart from applicators: what one schema says
/// locally, and what several say together after `formIntersection`. Merging is exact: every
/// keyword here intersects keyword by keyword.
///
/// The assertions (`Fields`) live in one buffer that copies share until one of them is
/// written: a copy is one retain, where the stored fields cost a retain and a release each of
/// their two dozen arrays and strings (nodes and closures copy their assertions often, and
/// most copies are only read). Unchecked `Sendable`: a shared buffer is never written.
struct SchemaConstraints: Hashable, @unchecked Sendable {
    /// The stored assertions, read and written through the accessors of `SchemaConstraints`.
    struct Fields: Hashable {
        var types: JSONTypeSet = .all
        /// The values `enum`/`const` allow (nil: unrestricted).
        var allowedValues: [JSONValue]?
        /// Scalar values excluded (from `not` over `enum`/`const`).
        var excludedValues: [JSONValue] = []
        var string = StringConstraints()
        var number = NumberConstraints()
        var minItems = 0
        var maxItems: Int?
        /// One shape per schema with array keywords; an element must match all of them.
        var arrayShapes: [ArrayShape] = []
        var contains: [ContainsConstraint] = []
        var uniqueItems = false
        /// From negated `uniqueItems`: some two elements are equal.
        var repeatedItems = false
        /// Where `uniqueItems` (negated or not) was found, for error reports.
        var uniqueItemsPointer: String?
        var unevaluatedItems: [UnevaluatedConstraint] = []
        var required: [String] = []
        /// One shape per schema with object keywords; a property must match all of them.
        var objectShapes: [ObjectShape] = []
        var minProperties = 0
        var maxProperties: Int?
        /// String schemas every key must satisfy.
        var propertyNames: [String] = []
        var existence: [MemberExistence] = []
        var unevaluatedProperties: [UnevaluatedConstraint] = []
        /// From negated `unevaluatedProperties`/`unevaluatedItems`: some member (element) their
        /// scope does not evaluate satisfies the schema.
        var unevaluatedPropertyExistence: [UnevaluatedConstraint] = []
        var unevaluatedItemExistence: [UnevaluatedConstraint] = []

        /// Intersects with the fields `other` points to, read one by one in place (a `Fields`
        /// argument read from a buffer would be copied whole).
        mutating func formIntersection(_ other: UnsafeMutablePointer<Fields>) {
            types.formIntersection(other.pointee.types)
            if let values = other.pointee.allowedValues {
                allowedValues = allowedValues.map { mine in
                    // Large enums are looked up through a set (the element-wise filter is quadratic).
                    guard mine.count > 16 && values.count > 16 else { return mine.filter(values.contains) }
                    let lookup = Set(values)
                    return mine.filter(lookup.contains)
                } ?? values
            }
            excludedValues.appendNew(other.pointee.excludedValues)
            string.formIntersection(other.pointee.string)
            number.formIntersection(other.pointee.number)
            minItems = max(minItems, other.pointee.minItems)
            maxItems = Optional.smaller(maxItems, other.pointee.maxItems)
            arrayShapes.appendNew(other.pointee.arrayShapes)
            contains.appendNew(other.pointee.contains)
            uniqueItems = uniqueItems || other.pointee.uniqueItems
            repeatedItems = repeatedItems || other.pointee.repeatedItems
            uniqueItemsPointer = uniqueItemsPointer ?? other.pointee.uniqueItemsPointer
            unevaluatedItems.appendNew(other.pointee.unevaluatedItems)
            required.appendNew(other.pointee.required)
            objectShapes.appendNew(other.pointee.objectShapes)
            minProperties = max(minProperties, other.pointee.minProperties)
            maxProperties = Optional.smaller(maxProperties, other.pointee.maxProperties)
            propertyNames.appendNew(other.pointee.propertyNames)
            existence.appendNew(other.pointee.existence)
            unevaluatedProperties.appendNew(other.pointee.unevaluatedProperties)
            unevaluatedPropertyExistence.appendNew(other.pointee.unevaluatedPropertyExistence)
            unevaluatedItemExistence.appendNew(other.pointee.unevaluatedItemExistence)
        }
    }

    private typealias Storage = ManagedBuffer<Fields, Void>

    /// The buffer of the fields, shared by copies.
    private var storage: Storage

    /// The buffer of the `true` schema's assertions, shared by every value made empty (never
    /// written: a value writing it makes its own first).
    nonisolated(unsafe) private static let unconstrainedStorage = Storage.create(minimumCapacity: 0) { _ in Fields() }

    /// No assertion (the `true` schema).
    init() { storage = SchemaConstraints.unconstrainedStorage }

    /// The fields in this value's buffer. Read through it in place (a `_read` accessor
    /// yielding the whole `Fields` copied them at every read).
    private var header: UnsafeMutablePointer<Fields> { storage.withUnsafeMutablePointerToHeader { $0 } }

    /// The fields, to be written: the buffer is this value's own first.
    private var ownHeader: UnsafeMutablePointer<Fields> {
        mutating get {
            if !isKnownUniquelyReferenced(&storage) {
                let fields = header.pointee
                storage = Storage.create(minimumCapacity: 0) { _ in fields }
            }
            return header
        }
    }

    // The fields, each read and written in place.
    var types: JSONTypeSet { get { header.pointee.types } _modify { yield &ownHeader.pointee.types } }
    var allowedValues: [JSONValue]? { get { header.pointee.allowedValues } _modify { yield &ownHeader.pointee.allowedValues } }
    var excludedValues: [JSONValue] { get { header.pointee.excludedValues } _modify { yield &ownHeader.pointee.excludedValues } }
    var string: StringConstraints { get { header.pointee.string } _modify { yield &ownHeader.pointee.string } }
    var number: NumberConstraints { get { header.pointee.number } _modify { yield &ownHeader.pointee.number } }
    var minItems: Int { get { header.pointee.minItems } _modify { yield &ownHeader.pointee.minItems } }
    var maxItems: Int? { get { header.pointee.maxItems } _modify { yield &ownHeader.pointee.maxItems } }
    var arrayShapes: [ArrayShape] { get { header.pointee.arrayShapes } _modify { yield &ownHeader.pointee.arrayShapes } }
    var contains: [ContainsConstraint] { get { header.pointee.contains } _modify { yield &ownHeader.pointee.contains } }
    var uniqueItems: Bool { get { header.pointee.uniqueItems } _modify { yield &ownHeader.pointee.uniqueItems } }
    var repeatedItems: Bool { get { header.pointee.repeatedItems } _modify { yield &ownHeader.pointee.repeatedItems } }
    var uniqueItemsPointer: String? { get { header.pointee.uniqueItemsPointer } _modify { yield &ownHeader.pointee.uniqueItemsPointer } }
    var unevaluatedItems: [UnevaluatedConstraint] { get { header.pointee.unevaluatedItems } _modify { yield &ownHeader.pointee.unevaluatedItems } }
    var required: [String] { get { header.pointee.required } _modify { yield &ownHeader.pointee.required } }
    var objectShapes: [ObjectShape] { get { header.pointee.objectShapes } _modify { yield &ownHeader.pointee.objectShapes } }
    var minProperties: Int { get { header.pointee.minProperties } _modify { yield &ownHeader.pointee.minProperties } }
    var maxProperties: Int? { get { header.pointee.maxProperties } _modify { yield &ownHeader.pointee.maxProperties } }
    var propertyNames: [String] { get { header.pointee.propertyNames } _modify { yield &ownHeader.pointee.propertyNames } }
    var existence: [MemberExistence] { get { header.pointee.existence } _modify { yield &ownHeader.pointee.existence } }
    var unevaluatedProperties: [UnevaluatedConstraint] { get { header.pointee.unevaluatedProperties } _modify { yield &ownHeader.pointee.unevaluatedProperties } }
    var unevaluatedPropertyExistence: [UnevaluatedConstraint] { get { header.pointee.unevaluatedPropertyExistence } _modify { yield &ownHeader.pointee.unevaluatedPropertyExistence } }
    var unevaluatedItemExistence: [UnevaluatedConstraint] { get { header.pointee.unevaluatedItemExistence } _modify { yield &ownHeader.pointee.unevaluatedItemExistence } }

    // Equality reads the fields one by one in place (the synthesized `==` of `Fields` on
    // the buffer's header copied them: +0.4 % front end on the tail set); hashing is the
    // fields' own, in place.
    static func == (a: SchemaConstraints, b: SchemaConstraints) -> Bool {
        if a.storage === b.storage { return true }
        let (x, y) = (a.header, b.header)
        return x.pointee.types == y.pointee.types
            && x.pointee.allowedValues == y.pointee.allowedValues
            && x.pointee.excludedValues == y.pointee.excludedValues
            && x.pointee.string == y.pointee.string
            && x.pointee.number == y.pointee.number
            && x.pointee.minItems == y.pointee.minItems
            && x.pointee.maxItems == y.pointee.maxItems
            && x.pointee.arrayShapes == y.pointee.arrayShapes
            && x.pointee.contains == y.pointee.contains
            && x.pointee.uniqueItems == y.pointee.uniqueItems
            && x.pointee.repeatedItems == y.pointee.repeatedItems
            && x.pointee.uniqueItemsPointer == y.pointee.uniqueItemsPointer
            && x.pointee.unevaluatedItems == y.pointee.unevaluatedItems
            && x.pointee.required == y.pointee.required
            && x.pointee.objectShapes == y.pointee.objectShapes
            && x.pointee.minProperties == y.pointee.minProperties
            && x.pointee.maxProperties == y.pointee.maxProperties
            && x.pointee.propertyNames == y.pointee.propertyNames
            && x.pointee.existence == y.pointee.existence
            && x.pointee.unevaluatedProperties == y.pointee.unevaluatedProperties
            && x.pointee.unevaluatedPropertyExistence == y.pointee.unevaluatedPropertyExistence
            && x.pointee.unevaluatedItemExistence == y.pointee.unevaluatedItemExistence
    }

    func hash(into hasher: inout Hasher) { header.pointee.hash(into: &hasher) }

    /// Whether nothing at all is asserted (the `true` schema): the shared empty buffer, or
    /// every field at its default (`== SchemaConstraints()`), the cheapest compared first.
    var isUnconstrained: Bool {
        if storage === SchemaConstraints.unconstrainedStorage { return true }
        let x = header
        return x.pointee.types == .all && x.pointee.minItems == 0 && x.pointee.maxItems == nil && !x.pointee.uniqueItems
            && !x.pointee.repeatedItems && x.pointee.minProperties == 0 && x.pointee.maxProperties == nil
            && x.pointee.allowedValues == nil && x.pointee.excludedValues.isEmpty
            && x.pointee.string.isUnconstrained && x.pointee.number.isUnconstrained && x.pointee.number.divisorPointer == nil
            && x.pointee.arrayShapes.isEmpty && x.pointee.contains.isEmpty && x.pointee.uniqueItemsPointer == nil
            && x.pointee.unevaluatedItems.isEmpty && x.pointee.required.isEmpty && x.pointee.objectShapes.isEmpty
            && x.pointee.propertyNames.isEmpty && x.pointee.existence.isEmpty && x.pointee.unevaluatedProperties.isEmpty
            && x.pointee.unevaluatedPropertyExistence.isEmpty && x.pointee.unevaluatedItemExistence.isEmpty
    }

    mutating func formIntersection(_ other: SchemaConstraints) {
        // Merging into nothing is the common case (the first schema of a conjunction), and
        // the element-wise deduplication below is quadratic in the shapes.
        if other.isUnconstrained { return }
        if isUnconstrained {
            self = other
            return
        }
        ownHeader.pointee.formIntersection(other.header)
    }

    /// The schemas element `index` of an array must match.
    func elementSchemas(at index: Int) -> [String] { arrayShapes.compactMap { $0.schema(at: index) } }

    /// The number of positions with distinct element schemas (the longest `prefixItems`).
    var prefixLength: Int { arrayShapes.map(\.prefix.count).max() ?? 0 }

    /// The declared property names: of every shape in order of first appearance, then
    /// required names no shape declares.
    var declaredNames: [String] {
        var names: [String] = []
        // The first names are compared with those before them (few, most often: no hashing,
        // no set allocated); a set of the names takes over beyond that.
        var seen = Set<String>()
        func add(_ name: String) {
            if names.count < 16 {
                if !names.contains(name) { names.append(name) }
                return
            }
            if seen.isEmpty { seen = Set(names) }
            if seen.insert(name).inserted { names.append(name) }
        }
        for shape in objectShapes {
            for property in shape.properties { add(property.name) }
        }
        for name in required { add(name) }
        return names
    }
}

extension Array where Element: Equatable {
    /// Appends the elements of `other` that are not among this array's elements (as
    /// `self += other.filter { !self.contains($0) }`, without a copy when there is nothing to
    /// add or nothing to compare with: merging assertions meets mostly empty keyword lists).
    mutating func appendNew(_ other: [Element]) {
        guard !other.isEmpty else { return }
        guard !isEmpty else {
            self = other
            return
        }
        let existing = count
        for element in other where !self[..<existing].contains(element) { append(element) }
    }
}

extension Optional where Wrapped == Int {
    /// The smaller of two upper bounds, nil (no bound) only when both are.
    static func smaller(_ a: Int?, _ b: Int?) -> Int? {
        guard let a else { return b }
        guard let b else { return a }
        return Swift.min(a, b)
    }
}
