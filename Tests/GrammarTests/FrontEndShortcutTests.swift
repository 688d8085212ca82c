import Testing
@testable import Grammar

/// The JSON Schema front end's shortcuts: each must give what the general path gives.
@Suite struct FrontEndShortcutTests {
    /// `GrammarSimplifier.hasSize(_:atMost:)` is `size(_:) <= limit` on random expressions of
    /// every shape, around the limits where counting stops early.
    @Test func boundedSizeIsSize() {
        var random = SplitMix64(seed: 11)
        func operands(_ depth: Int) -> [Expression] {
            (0..<Int(random.next() % 4)).map { _ in expression(depth - 1) }
        }
        func expression(_ depth: Int) -> Expression {
            switch depth == 0 ? random.next() % 4 : random.next() % 9 {
            case 0: return .literal([UInt8(random.next() % 128)])
            case 1: return .ruleReference("r\(random.next() % 3)")
            case 2: return .empty
            case 3: return .byteClass([0x30...0x39])
            case 4: return .sequence(operands(depth))
            case 5: return .choice(operands(depth))
            case 6: return .repetition(expression(depth - 1), min: 0, max: nil)
            case 7: return .difference(expression(depth - 1), expression(depth - 1))
            default: return .intersection(operands(depth))
            }
        }
        for _ in 0..<500 {
            let e = expression(4)
            let size = GrammarSimplifier.size(e)
            for limit in 0...9 { #expect(GrammarSimplifier.hasSize(e, atMost: limit) == (size <= limit)) }
        }
    }

    /// `URIReference.stripFragment` searches ASCII text by bytes, other text by characters: both
    /// cut where the first `#` character is (a `#` with a combining mark is no `#` character).
    @Test func fragmentStripping() {
        let texts = ["gramc:root.json", "gramc:root.json#", "http://x.org/a?q=1#frag#more", "#/a", "", "é/x#y",
                     "a#\u{301}b#c", "a#\u{301}b"]
        for text in texts {
            let expected = text.firstIndex(of: "#").map { String(text[..<$0]) } ?? text
            #expect(URIReference.stripFragment(text) == expected)
        }
        #expect(URIReference.stripFragment("a#\u{301}b#c") == "a#\u{301}b")
    }

    /// A reference that is a fragment alone resolves to the location the general path (resolve
    /// the URI against the base, then look it up) finds, under the root's base and under an
    /// `$id` with a query, through pointers, percent-escapes, anchors and missing targets.
    @Test func fragmentReferencesResolveAsURIs() throws {
        let schema = try JSONValue(parsing: #"""
            {"$defs": {"a": {"type": "string"}, "a b": {"type": "null"},
                       "b": {"$id": "http://example.com/dir/b.json?x=1",
                             "$defs": {"c": {"$anchor": "here", "type": "integer"}}}}}
            """#)
        let document = try SchemaDocument(schema)
        let cases = [("#/$defs/a", ""), ("#", ""), ("#/$defs/b", ""), ("#/%24defs/a", ""), ("#/$defs/a%20b", ""),
                     ("#/nowhere", ""), ("#here", ""), ("#/$defs/c", "/$defs/b"), ("#here", "/$defs/b"),
                     ("#", "/$defs/b"), ("#/%2", "")]
        for (reference, location) in cases {
            let general = document.lookup(URIReference.resolve(reference, against: document.schemaInfo(at: location).base))
            let expected = general.flatMap { target -> String? in
                switch document.value(at: target) {
                case .object?, .bool?: target
                default: nil
                }
            }
            #expect((try? document.resolve(reference, at: location)) == expected, "\(reference) at \(location)")
        }
        #expect((try? document.resolve("#here", at: "/$defs/b")) == "/$defs/b/$defs/c")
        #expect((try? document.resolve("#/$defs/a%20b", at: "")) == "/$defs/a b")
    }

    /// `SchemaVocabulary.isKeyword` reads its table as the dialects define the keywords.
    @Test func keywordsByDialect() {
        let dialects: [SchemaDocument.Dialect] = [.draft4, .draft7, .draft2019, .draft2020]
        let expected: [(String, [Bool])] = [
            ("type", [true, true, true, true]), ("$ref", [true, true, true, true]), ("$comment", [true, true, true, true]),
            ("id", [true, false, false, false]), ("$id", [false, true, true, true]), ("const", [false, true, true, true]),
            ("else", [false, true, true, true]), ("$defs", [false, false, true, true]),
            ("unevaluatedItems", [false, false, true, true]), ("$recursiveRef", [false, false, true, false]),
            ("prefixItems", [false, false, false, true]), ("$dynamicAnchor", [false, false, false, true]),
            ("description", [false, false, false, false]), ("Type", [false, false, false, false]), ("", [false, false, false, false]),
        ]
        for (keyword, answers) in expected {
            #expect(dialects.map { SchemaVocabulary.isKeyword(keyword, in: $0) } == answers, "\(keyword)")
        }
    }

    /// The lexicon's rules come factored (`JSONLexicon.SimplifiedBody`), so a compiled grammar
    /// that skipped factoring them holds no rule that factoring would still change.
    @Test func compiledGrammarsAreFactored() throws {
        let schemas = [#"{}"#, #"{"type": "array"}"#, #"{"type": "object", "properties": {"a": {}, "b": {"type": "array"}}}"#,
                       #"{"anyOf": [{"type": "object"}, {"type": "array", "items": {"type": "object"}}]}"#]
        for text in schemas {
            let grammar = try Grammar(jsonSchema: try JSONValue(parsing: text))
            #expect(grammar.rule(named: JSONLexicon.valueRule) != nil || grammar.rule(named: JSONLexicon.arrayRule) != nil
                        || grammar.rule(named: JSONLexicon.objectRule) != nil, "\(text)")
            for rule in grammar.rules where !rule.isShared {
                #expect(AlternativeFactoring.factoredIfChanged(rule.body) == nil, "\(text): \(rule.name)")
            }
        }
    }

    /// `JSONStringEncoding.quoted` gives a text with no byte to escape as one literal: the same
    /// expression as quotes concatenated around the text's encoding, for plain, empty and
    /// non-ASCII texts and for texts with every kind of escaped or escapable scalar (where the
    /// general path must be taken), and for random texts over such scalars.
    @Test func quotedTextIsTheConcatenatedEncoding() {
        func general(_ text: String) -> Expression {
            .concat([.text("\""), JSONStringEncoding.encode(.text(text)), .text("\"")])
        }
        var texts = ["name", "", "é", "日本語", "a b", "x-y_z", "a/b", "/", "\"", "a\\b", "\u{0}", "\n", "tab\t",
                     "\u{1F}", "\u{7F}", "~0", "\u{301}", "q\"uote"]
        var random = SplitMix64(seed: 4)
        let alphabet: [Character] = ["a", "Z", "0", " ", "/", "\"", "\\", "\n", "\u{1}", "é", "€", "\u{7F}", "~"]
        for _ in 0..<300 {
            texts.append(String((0..<Int(random.next() % 6)).map { _ in alphabet[Int(random.next() % UInt64(alphabet.count))] }))
        }
        for text in texts { #expect(JSONStringEncoding.quoted(text) == general(text), "\(text.debugDescription)") }
    }

    /// The lexicon's stored separator is `ws "," ws` under every whitespace policy.
    @Test func lexiconCommaIsWhitespaceCommaWhitespace() {
        for policy: JSONSchemaOptions.Whitespace in [.compact, .flexible(maxRun: 20), .flexible(maxRun: 0), .flexible(maxRun: 3)] {
            let lexicon = JSONLexicon(policy, integerFractions: .any)
            #expect(lexicon.comma == .concat([lexicon.whitespace, .text(","), lexicon.whitespace]))
        }
    }

    /// `SchemaConstraints.declaredNames` (names compared in a list up to 16, a set beyond) gives
    /// every shape's property names, then the required ones, each once in order of first
    /// appearance: random shapes from a pool of 40 names (repeats within and across shapes,
    /// lists around and above the switch to the set).
    @Test func declaredNamesAreFirstAppearances() {
        var random = SplitMix64(seed: 23)
        let pool = (0..<40).map { "p\($0)" }
        for _ in 0..<300 {
            var constraints = SchemaConstraints()
            for _ in 0..<Int(random.next() % 4) {
                var shape = ObjectShape()
                shape.properties = (0..<Int(random.next() % 14)).map { _ in (pool[Int(random.next() % 40)], "#") }
                constraints.objectShapes.append(shape)
            }
            constraints.required = (0..<Int(random.next() % 10)).map { _ in pool[Int(random.next() % 40)] }
            var expected: [String] = []
            for name in constraints.objectShapes.flatMap({ $0.properties.map(\.name) }) + constraints.required
            where !expected.contains(name) {
                expected.append(name)
            }
            #expect(constraints.declaredNames == expected)
        }
    }

    /// `Expression.hash(into:nodes:)`: at 64 nodes it is `hash(into:)`; at any budget, equal
    /// expressions built apart hash equally, and a budget of 8 still tells the lexicon's bodies
    /// apart from one another (the shared-prefix cache's key relies on it for speed only).
    @Test func prefixHashesOfEqualExpressionsAreEqual() {
        func hashed(_ e: Expression, _ nodes: Int) -> Int {
            var hasher = Hasher()
            e.hash(into: &hasher, nodes: nodes)
            return hasher.finalize()
        }
        let bodies = JSONLexicon(JSONSchemaOptions().whitespace, integerFractions: .zerosOnly).rules.map(\.body)
        for body in bodies {
            #expect(hashed(body, 64) == body.hashValue)
            let copy = copied(body)
            #expect(copy == body)
            for nodes in [1, 8, 64] { #expect(hashed(copy, nodes) == hashed(body, nodes)) }
        }
        #expect(Set(bodies.map { hashed($0, 8) }).count == Set(bodies).count)
    }

    /// `e` rebuilt node by node into new storage.
    private func copied(_ e: Expression) -> Expression {
        switch e {
        case .literal(let bytes): return .literal(Array(bytes))
        case .byteClass(let ranges): return .byteClass(Array(ranges))
        case .ruleReference(let name): return .ruleReference(String(decoding: Array(name.utf8), as: UTF8.self))
        case .sequence(let parts): return .sequence(parts.map(copied))
        case .choice(let parts): return .choice(parts.map(copied))
        case .intersection(let parts): return .intersection(parts.map(copied))
        case .repetition(let inner, let min, let max): return .repetition(copied(inner), min: min, max: max)
        case .difference(let a, let b): return .difference(copied(a), copied(b))
        case .empty, .nothing, .characterClass, .automaton, .lazyAutomaton: return e
        }
    }
}
