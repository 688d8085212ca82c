import Testing
@testable import Grammar

/// `SchemaConstraints` keeps its fields in a buffer shared by copies: values must still behave
/// as independent values, and equality, hashing and `isUnconstrained` must answer by the fields.
@Suite struct SchemaConstraintsStorageTests {
    /// Random writes to one of a few fields (or to none, or back to the default).
    private static func randomConstraints(_ random: inout SplitMix64) -> SchemaConstraints {
        var constraints = SchemaConstraints()
        for _ in 0..<Int(random.next() % 4) {
            switch random.next() % 9 {
            case 0: constraints.types = random.next() % 2 == 0 ? .all : [.string, .object]
            case 1: constraints.minItems = Int(random.next() % 2)
            case 2: constraints.required.append(["a", "b"][Int(random.next() % 2)])
            case 3: constraints.required = []
            case 4: constraints.string.minLength = Int(random.next() % 2)
            case 5: constraints.number.divisorPointer = random.next() % 2 == 0 ? nil : "/multipleOf"
            case 6: constraints.allowedValues = random.next() % 2 == 0 ? nil : [.null]
            case 7: constraints.uniqueItemsPointer = random.next() % 2 == 0 ? nil : "/uniqueItems"
            default: constraints.unevaluatedItemExistence = random.next() % 2 == 0 ? [] : [UnevaluatedConstraint(schema: "s", owners: [], pointer: "")]
            }
        }
        return constraints
    }

    /// The fields a test compares by (every field the random writes touch, and the rest).
    private static func sameFields(_ a: SchemaConstraints, _ b: SchemaConstraints) -> Bool {
        a.types == b.types && a.allowedValues == b.allowedValues && a.excludedValues == b.excludedValues
            && a.string == b.string && a.number == b.number && a.minItems == b.minItems && a.maxItems == b.maxItems
            && a.arrayShapes == b.arrayShapes && a.contains == b.contains && a.uniqueItems == b.uniqueItems
            && a.repeatedItems == b.repeatedItems && a.uniqueItemsPointer == b.uniqueItemsPointer
            && a.unevaluatedItems == b.unevaluatedItems && a.required == b.required && a.objectShapes == b.objectShapes
            && a.minProperties == b.minProperties && a.maxProperties == b.maxProperties
            && a.propertyNames == b.propertyNames && a.existence == b.existence
            && a.unevaluatedProperties == b.unevaluatedProperties
            && a.unevaluatedPropertyExistence == b.unevaluatedPropertyExistence
            && a.unevaluatedItemExistence == b.unevaluatedItemExistence
    }

    /// Equality is field equality, equal values hash equally, and `isUnconstrained` holds
    /// exactly for values whose fields are all defaults — also for values written back to them
    /// (their own buffer, not the shared empty one).
    @Test func equalityHashingAndEmptinessFollowTheFields() {
        var random = SplitMix64(seed: 41)
        let empty = SchemaConstraints()
        let values = (0..<300).map { _ in SchemaConstraintsStorageTests.randomConstraints(&random) }
        for a in values {
            #expect(a.isUnconstrained == SchemaConstraintsStorageTests.sameFields(a, empty))
            #expect((a == empty) == a.isUnconstrained)
            if a.isUnconstrained { #expect(a.hashValue == empty.hashValue) }
        }
        for (a, b) in zip(values, values.shuffled(using: &random)) {
            let same = SchemaConstraintsStorageTests.sameFields(a, b)
            #expect((a == b) == same)
            if same { #expect(a.hashValue == b.hashValue) }
        }
        var reset = SchemaConstraints()
        reset.types = []
        reset.types = .all
        #expect(reset.isUnconstrained && reset == empty && reset.hashValue == empty.hashValue)
    }

    /// A copy written to leaves the original as it was (and the shared empty value empty);
    /// merging into a copy leaves the merged-from value as it was.
    @Test func copiesAreIndependent() {
        var original = SchemaConstraints()
        original.required = ["a"]
        var copy = original
        copy.required.append("b")
        copy.types = [.object]
        #expect(original.required == ["a"] && original.types == .all)
        #expect(copy.required == ["a", "b"] && copy.types == [.object])

        var fresh = SchemaConstraints()
        fresh.minItems = 3
        #expect(SchemaConstraints().minItems == 0 && SchemaConstraints().isUnconstrained)

        var merged = SchemaConstraints()
        merged.formIntersection(original)  // shares `original`'s buffer
        merged.formIntersection(copy)
        #expect(merged.required == ["a", "b"] && merged.types == [.object])
        #expect(original.required == ["a"] && original.types == .all)
        #expect(copy.required == ["a", "b"])
        #expect(fresh.minItems == 3)
    }
}
