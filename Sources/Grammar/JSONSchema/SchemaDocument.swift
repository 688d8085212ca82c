/// A JSON Schema document with the documents it refers to: the root schema, remote documents
/// from `JSONSchemaOptions.remoteDocuments` that `$ref`/`$dynamicRef`/`$schema` reach, and the
/// index needed to resolve references — base URIs (`$id` at any depth), `$anchor`,
/// `$dynamicAnchor`, JSON Pointer fragments — and each schema's dialect.
///
/// Every subschema is named by a *location*: a JSON Pointer into the root document (`""`,
/// `/properties/a`), or `@n` followed by a pointer into remote document `n`. Nothing is
/// fetched: a URI that is neither in the document nor among the remote documents does not
/// resolve. Building one walks every subschema once, so nesting deeper than
/// `JSONSchemaLimits.maxSchemaDepth` is reported up front.
struct SchemaDocument {
    /// The JSON Schema drafts whose spelling differs in ways the compiler honors.
    enum Dialect: Comparable {
        /// Draft-04: as draft-07, and `exclusiveMinimum`/`exclusiveMaximum` are Booleans
        /// qualifying `minimum`/`maximum`; `id` spells `$id`.
        case draft4
        /// Draft-06 and draft-07: `$ref` overrides its sibling keywords; `items` may be an
        /// array; `dependencies`.
        case draft7
        /// Draft 2019-09: `items` may be an array; `$recursiveRef`.
        case draft2019
        /// Draft 2020-12 (also assumed without `$schema`).
        case draft2020
    }

    /// Which vocabularies a dialect's metaschema turns on (the standard metaschemas: all but
    /// format assertion).
    struct Vocabularies: Hashable {
        /// The validation vocabulary (`type`, `enum`, bounds, lengths, counts…).
        var validation = true
        /// The format-assertion vocabulary: `format` asserted whatever the options say.
        var formatAssertion = false
    }

    /// What the index knows about one subschema.
    struct SchemaInfo {
        /// The absolute URI (without fragment) that relative references here resolve against.
        var base: String
        /// The location of the schema resource (the nearest schema with an `$id`, or the
        /// document root) that contains this schema.
        var resource: String
        var dialect: Dialect
        var vocabularies: Vocabularies
        /// The subschema itself (`value(at:)` of its location), as the walk met it.
        var value: JSONValue = .null
    }

    /// The documents: 0 is the root schema, then remote documents in the order they were reached.
    private(set) var documents: [JSONValue] = []
    /// Per subschema location.
    private(set) var info: [String: SchemaInfo] = [:]
    /// Resource URI (absolute, no fragment) → location of the resource's root schema.
    private(set) var resources: [String: String] = [:]
    /// `uri#name` → location, for `$anchor`, `$dynamicAnchor` and draft-07 `$id: "#name"`.
    private(set) var anchors: [String: String] = [:]
    /// Resource location → dynamic anchor names defined in it → location.
    private(set) var dynamicAnchors: [String: [String: String]] = [:]
    /// Resource location → location of its `$recursiveAnchor: true` root (2019-09).
    private(set) var recursiveAnchors: Set<String> = []
    /// Whether any `unevaluatedProperties`/`unevaluatedItems` keyword occurs.
    private(set) var usesUnevaluated = false
    /// The dialect of the root schema.
    var dialect: Dialect { info[""]?.dialect ?? .draft2020 }

    private let remoteDocuments: [String: JSONValue]
    /// Retrieval URI → document index, for remote documents already loaded.
    private var loaded: [String: Int] = [:]
    /// Per document (by index), the absolute URIs (without fragment) its `$ref`, `$dynamicRef`
    /// and `$recursiveRef` name, in the order the walk found them.
    private var referencesByDocument: [[String]] = []

    /// The base URI a root schema without `$id` gets.
    static let defaultBase = "gramc:root.json"

    /// Indexes `root` and every remote document it reaches; throws on an unsupported
    /// `$schema`, too deep nesting, or a malformed identifier.
    init(_ root: JSONValue, remoteDocuments: [String: JSONValue] = [:]) throws(GrammarError) {
        var normalized: [String: JSONValue] = [:]
        for (uri, value) in remoteDocuments { normalized[URIReference.stripFragment(uri)] = value }
        self.remoteDocuments = normalized
        documents.append(root)
        try indexDocument(0, retrievalURI: SchemaDocument.defaultBase)
        // Load the remote documents references reach, until none is missing.
        var scanned = 0
        while scanned < documents.count {
            for target in referencedURIs(inDocument: scanned) where resources[target] == nil {
                if let index = try loadRemote(target) { _ = index }
            }
            scanned += 1
        }
    }

    // MARK: Locations

    /// The document index and JSON Pointer of `location`.
    static func split(_ location: String) -> (document: Int, pointer: String) {
        guard location.hasPrefix("@") else { return (0, location) }
        let body = location.dropFirst()
        let end = body.firstIndex(of: "/") ?? body.endIndex
        return (Int(body[..<end]) ?? 0, String(body[end...]))
    }

    /// The location of `pointer` in document `index`.
    static func location(document index: Int, pointer: String) -> String {
        index == 0 ? pointer : "@\(index)" + pointer
    }

    /// The value at `location`, if any.
    func value(at location: String) -> JSONValue? {
        // Subschemas are found in the index; other locations by following the pointer.
        if let known = info[location] { return known.value }
        let (index, pointer) = SchemaDocument.split(location)
        guard index < documents.count, let tokens = JSONPointer.tokens(pointer) else { return nil }
        var current = documents[index]
        for token in tokens {
            switch current {
            case .object(let object):
                guard let next = object[token] else { return nil }
                current = next
            case .array(let items):
                guard let index = Int(token), token == String(index), items.indices.contains(index) else { return nil }
                current = items[index]
            default: return nil
            }
        }
        return current
    }

    /// What the index knows about the schema at `location` (the nearest indexed ancestor's
    /// facts for a location the walk did not reach).
    func schemaInfo(at location: String) -> SchemaInfo {
        if let known = info[location] { return known }
        var current = location
        while let slash = current.lastIndex(of: "/") {
            current = String(current[..<slash])
            if let known = info[current] { return known }
        }
        return info[current] ?? SchemaInfo(base: SchemaDocument.defaultBase, resource: "", dialect: .draft2020,
                                           vocabularies: Vocabularies())
    }

    /// The dialect of the schema at `location`.
    func dialect(at location: String) -> Dialect { schemaInfo(at: location).dialect }

    /// The keyword naming a schema's URI at `location`: `$id`, or `id` in draft-04.
    func identifierKeyword(at location: String) -> String { dialect(at: location) == .draft4 ? "id" : "$id" }

    /// A readable form of `location` for messages: the pointer, or `uri#pointer` in a remote document.
    func describe(_ location: String) -> String {
        let (index, pointer) = SchemaDocument.split(location)
        if index == 0 { return pointer }
        let uri = loaded.first { $0.value == index }?.key ?? "@\(index)"
        return uri + "#" + pointer
    }

    // MARK: Resolution

    /// The location of the schema `reference` (a `$ref` value found in the schema at
    /// `location`) designates.
    func resolve(_ reference: String, at location: String, keyword: String = "$ref") throws(GrammarError) -> String {
        let base = schemaInfo(at: location).base
        let found: String?
        if reference.first == "#", base.utf8.allSatisfy({ $0 < 0x80 }) {
            // A fragment alone (`#/$defs/a`, the usual reference) keeps every other component
            // of the base (RFC 3986 §5.2.2): the resolved URI is the base without its fragment,
            // then the reference, so neither is parsed. (An ASCII base: no scalar of it can
            // join the `#` into one character, as it cannot in the parsed form either.)
            found = lookup(resource: URIReference.stripFragment(base), fragment: String(reference.dropFirst()))
        } else {
            found = lookup(URIReference.resolve(reference, against: base))
        }
        guard let target = found else { throw unresolved(reference, location, keyword) }
        switch value(at: target) {
        case .object?, .bool?: return target
        default: throw unresolved(reference, location, keyword)
        }
    }

    /// The location an absolute URI (with optional fragment) designates, if known.
    func lookup(_ absolute: String) -> String? {
        let uri = URIReference(absolute)
        return lookup(resource: uri.withoutFragment.text, fragment: uri.fragment)
    }

    /// The location the URI `base` (absolute, no fragment) with `fragment` designates, if known.
    private func lookup(resource base: String, fragment: String?) -> String? {
        guard let root = resources[base] else { return nil }
        guard let raw = fragment, !raw.isEmpty else { return root }
        guard let fragment = JSONPointer.percentDecoded(raw) else { return nil }
        if fragment.hasPrefix("/") { return root + fragment }
        return anchors[base + "#" + fragment]
    }

    /// The absolute resource URI and fragment a `$dynamicRef` at `location` names.
    func dynamicReferenceParts(_ reference: String, at location: String) -> (absolute: String, fragment: String?) {
        let absolute = URIReference.resolve(reference, against: schemaInfo(at: location).base)
        return (absolute, URIReference(absolute).fragment)
    }

    /// Whether the schema at `location` declares `$dynamicAnchor: name`.
    func declaresDynamicAnchor(_ name: String, at location: String) -> Bool {
        if case .string(let declared)? = value(at: location)?["$dynamicAnchor"] { return declared == name }
        return false
    }

    private func unresolved(_ reference: String, _ location: String, _ keyword: String) -> GrammarError {
        GrammarError(.unresolvedReference, "cannot resolve \(keyword) \"\(reference)\" (no such schema in the document or the remote documents)",
                     at: .jsonPointer(JSONPointer.appending(describe(location), keyword)))
    }

    // MARK: Indexing

    /// Loads the remote document holding `uri` (absolute, no fragment), if one is registered.
    private mutating func loadRemote(_ uri: String) throws(GrammarError) -> Int? {
        if let index = loaded[uri] { return index }
        guard let value = remoteDocuments[uri] else { return nil }
        let index = documents.count
        documents.append(value)
        loaded[uri] = index
        try indexDocument(index, retrievalURI: uri)
        return index
    }

    /// The absolute URIs (without fragment) that `$ref`, `$dynamicRef` and `$recursiveRef` in
    /// document `index` name, sorted.
    private func referencedURIs(inDocument index: Int) -> [String] {
        referencesByDocument.indices.contains(index) ? referencesByDocument[index].sorted() : []
    }

    private mutating func indexDocument(_ index: Int, retrievalURI: String) throws(GrammarError) {
        let root = SchemaDocument.location(document: index, pointer: "")
        let parentDialect = index == 0 ? Dialect.draft2020 : (info[""]?.dialect ?? .draft2020)
        let (dialect, vocabularies) = try dialectOf(documents[index], at: root, inherited: (parentDialect, Vocabularies()))
        resources[retrievalURI] = resources[retrievalURI] ?? root
        var references: [String] = []
        try walk(documents[index], location: root, depth: 0,
                 context: SchemaInfo(base: retrievalURI, resource: root, dialect: dialect, vocabularies: vocabularies),
                 isResourceRoot: true, references: &references)
        while referencesByDocument.count <= index { referencesByDocument.append([]) }
        referencesByDocument[index] += references
    }

    /// The dialect a schema's `$schema` names (or `inherited` without one).
    private mutating func dialectOf(_ schema: JSONValue, at location: String,
                                    inherited: (Dialect, Vocabularies)) throws(GrammarError) -> (Dialect, Vocabularies) {
        guard case .string(let uri)? = schema["$schema"] else { return inherited }
        if let known = SchemaDocument.standardDialect(uri) { return (known, Vocabularies()) }
        // A custom metaschema: its own dialect, with the vocabularies it declares.
        let stripped = URIReference.stripFragment(uri)
        guard let index = try loadRemote(stripped), case .object(let meta) = documents[index] else {
            throw GrammarError(.unsupportedValue, "unsupported $schema dialect \"\(uri)\"",
                               at: .jsonPointer(JSONPointer.appending(describe(location), "$schema")))
        }
        var dialect = Dialect.draft2020
        if case .string(let metaDialect)? = meta["$schema"], let known = SchemaDocument.standardDialect(metaDialect) {
            dialect = known
        }
        var vocabularies = Vocabularies()
        if case .object(let declared)? = meta["$vocabulary"] {
            vocabularies.validation = false
            for (vocabulary, required) in declared {
                switch vocabulary.split(separator: "/").last.map(String.init) ?? "" {
                case "validation": vocabularies.validation = true
                case "format-assertion": vocabularies.formatAssertion = true
                case "core", "applicator", "unevaluated", "meta-data", "format-annotation", "content", "format": continue
                default:
                    if required == .bool(true) {
                        throw GrammarError(.unsupportedValue, "the metaschema requires the unknown vocabulary \"\(vocabulary)\"",
                                           at: .jsonPointer(JSONPointer.appending(describe(location), "$schema")))
                    }
                }
            }
        }
        return (dialect, vocabularies)
    }

    static func standardDialect(_ uri: String) -> Dialect? {
        switch URIReference.stripFragment(uri) {
        case "http://json-schema.org/draft-04/schema", "https://json-schema.org/draft-04/schema": return .draft4
        case "http://json-schema.org/draft-06/schema", "https://json-schema.org/draft-06/schema",
             "http://json-schema.org/draft-07/schema", "https://json-schema.org/draft-07/schema": return .draft7
        case "https://json-schema.org/draft/2019-09/schema": return .draft2019
        case "https://json-schema.org/draft/2020-12/schema": return .draft2020
        default: return nil
        }
    }

    /// Records identifiers, anchors and facts over every subschema of `schema`.
    private mutating func walk(_ schema: JSONValue, location: String, depth: Int, context: SchemaInfo,
                               isResourceRoot: Bool, references: inout [String]) throws(GrammarError) {
        guard depth <= JSONSchemaLimits.maxSchemaDepth else {
            throw GrammarError(.limitExceeded, "schemas nest deeper than \(JSONSchemaLimits.maxSchemaDepth) levels",
                               at: .jsonPointer(describe(location)))
        }
        var here = context
        here.value = schema
        guard case .object(let object) = schema else {
            info[location] = here
            return
        }
        // Most schema objects hold no keyword that identifies, anchors or refers (`$…`, `id`)
        // nor `unevaluated…`: their lookups are skipped (a key starting with `$`, `i` or `u`
        // may be one).
        let mayIdentify = object.members.contains { member in
            switch member.key.utf8.first {
            case UInt8(ascii: "$"), UInt8(ascii: "i"), UInt8(ascii: "u"): true
            default: false
            }
        }
        if mayIdentify {
            try readIdentifiers(object, of: schema, at: location, context: context, isResourceRoot: isResourceRoot, into: &here)
        } else if isResourceRoot {
            here.resource = location
        }
        info[location] = here
        if mayIdentify {
            for keyword in ["$ref", "$dynamicRef", "$recursiveRef"] {
                if case .string(let reference)? = object[keyword] {
                    // A fragment alone names the base's own document (see `resolve(_:at:keyword:)`).
                    references.append(reference.first == "#" && here.base.utf8.allSatisfy({ $0 < 0x80 })
                        ? URIReference.stripFragment(here.base)
                        : URIReference.stripFragment(URIReference.resolve(reference, against: here.base)))
                }
            }
        }
        for (keyword, value) in object {
            // The child's pointer is spelled only for keywords holding subschemas.
            switch (SchemaDocument.subschemaShape(of: keyword, dialect: here.dialect), value) {
            case (.single, _), (.singleOrList, .object), (.singleOrList, .bool):
                try walk(value, location: JSONPointer.appending(location, keyword), depth: depth + 1, context: here,
                         isResourceRoot: false, references: &references)
            case (.list, .array(let items)), (.singleOrList, .array(let items)):
                let child = JSONPointer.appending(location, keyword)
                for (i, item) in items.enumerated() {
                    try walk(item, location: JSONPointer.appending(child, i), depth: depth + 1, context: here, isResourceRoot: false,
                        references: &references)
                }
            case (.map, .object(let members)):
                let child = JSONPointer.appending(location, keyword)
                for (name, item) in members {
                    try walk(item, location: JSONPointer.appending(child, name), depth: depth + 1, context: here, isResourceRoot: false,
                        references: &references)
                }
            case (.dependencies, .object(let members)):
                let child = JSONPointer.appending(location, keyword)
                for (name, item) in members where item.arrayValue == nil {
                    try walk(item, location: JSONPointer.appending(child, name), depth: depth + 1, context: here, isResourceRoot: false,
                        references: &references)
                }
            default: continue
            }
        }
    }

    /// Reads what `object` (the schema `schema` at `location`) declares about itself — `$id`,
    /// anchors, `$recursiveAnchor`, `unevaluated…` — into the index and into `here`, its
    /// entry (`context` as inherited).
    private mutating func readIdentifiers(_ object: JSONObject, of schema: JSONValue, at location: String, context: SchemaInfo,
                                          isResourceRoot: Bool, into here: inout SchemaInfo) throws(GrammarError) {
        let identifierKeyword = context.dialect == .draft4 ? "id" : "$id"
        let refOverrides = context.dialect <= .draft7 && object["$ref"] != nil
        if !refOverrides, case .string(let id)? = object[identifierKeyword] {
            if context.dialect <= .draft7 && id.hasPrefix("#") {
                anchors[context.base + id] = location  // Draft-04/06/07 plain-name fragment.
            } else {
                let absolute = URIReference.resolve(id, against: context.base)
                let base = URIReference.stripFragment(absolute)
                resources[base] = resources[base] ?? location
                here.base = base
                here.resource = location
                if let fragment = URIReference(absolute).fragment, !fragment.isEmpty, context.dialect <= .draft7 {
                    anchors[base + "#" + fragment] = location
                }
                if !isResourceRoot {
                    (here.dialect, here.vocabularies) = try dialectOf(schema, at: location, inherited: (here.dialect, here.vocabularies))
                }
            }
        }
        if isResourceRoot { here.resource = location }
        if case .string(let anchor)? = object["$anchor"], context.dialect >= .draft2019 {
            anchors[here.base + "#" + anchor] = location
        }
        if case .string(let anchor)? = object["$dynamicAnchor"], context.dialect >= .draft2020 {
            anchors[here.base + "#" + anchor] = anchors[here.base + "#" + anchor] ?? location
            dynamicAnchors[here.resource, default: [:]][anchor] = location
        }
        if object["$recursiveAnchor"] == .bool(true), context.dialect == .draft2019 {
            recursiveAnchors.insert(here.resource)
        }
        if object["unevaluatedProperties"] != nil || object["unevaluatedItems"] != nil, context.dialect >= .draft2019 {
            usesUnevaluated = true
        }
    }

    /// The keywords `subschemaShape(of:dialect:)` may find subschemas under.
    private static let subschemaKeywords: Set<String> = [
        "additionalProperties", "not", "if", "then", "else", "contains", "propertyNames", "additionalItems",
        "unevaluatedItems", "unevaluatedProperties", "contentSchema", "allOf", "anyOf", "oneOf", "prefixItems", "items",
        "properties", "patternProperties", "definitions", "$defs", "dependentSchemas", "dependencies",
    ]

    /// Where a keyword holds subschemas.
    private enum SubschemaShape { case none, single, list, singleOrList, map, dependencies }

    private static func subschemaShape(of keyword: String, dialect: Dialect) -> SubschemaShape {
        // Most keys hold no subschema: one hashed lookup tells them, not a comparison per case.
        guard subschemaKeywords.contains(keyword) else { return .none }
        switch keyword {
        case "additionalProperties", "not", "if", "then", "else", "contains", "propertyNames":
            return dialect >= .draft7 || !["if", "then", "else", "contains", "propertyNames"].contains(keyword) ? .single : .none
        case "additionalItems": return dialect <= .draft2019 ? .single : .none
        case "unevaluatedItems", "unevaluatedProperties", "contentSchema": return dialect >= .draft2019 ? .single : .none
        case "allOf", "anyOf", "oneOf": return .list
        case "prefixItems": return dialect >= .draft2020 ? .list : .none
        case "items": return dialect >= .draft2020 ? .single : .singleOrList
        case "properties", "patternProperties", "definitions": return .map
        case "$defs", "dependentSchemas": return dialect >= .draft2019 ? .map : .none
        case "dependencies": return .dependencies
        default: return .none
        }
    }
}
