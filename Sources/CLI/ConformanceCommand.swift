import Foundation
import Grammar
import TokenMask

/// `gramc conformance`: runs files in the JSON Schema Test Suite format through compiled grammars.
enum ConformanceCommand {
    static let help = """
        USAGE: gramc conformance <suite-dir | file.json> [options]

        For every schema of every test file (folders are searched recursively): compile it, or
        report it unsupported with the reason. A schema found unsatisfiable (no document matches)
        counts as compiled to the empty language: each of its instances is rejected. For every test of a compiled schema, serialize its
        instance compactly and, when the whitespace policy allows spaces, again with ", " and ": ",
        and feed each text through a fresh matcher (token by token with --vocab — the tokenizer's
        own encoding when it is a tokenizer.json, else greedy longest-match tokens — each token
        checked against the mask; byte by byte otherwise), then EOS. Object keys are first reordered to
        the order the grammar emits (declared properties in schema order); the report counts the
        instances this changed. Files outside an `optional/` folder run with format assertion off,
        as the suite's required tests assume (`format` is an annotation there: format.json, and
        the metaschema's `"format": "regex"`); optional/format/ judges the assertions. The last line is 'N passed, N failed, N skipped' (skipped: tests
        of schemas that did not compile). Exit status 1 when a valid instance of a compiled schema
        was rejected (unless listed with --known-failures).

        OPTIONS:
          --vocab PATH          replay token by token with this vocabulary
          --eos IDS             end-of-sequence token ids, comma separated
          --json                one object a line per test, then a summary object
          --failures-only       in the plain report, list only files with failures
          --dialect URI         the `$schema` assumed for schemas without one (default: from the
                                suite folder's name, draft4 … draft2020-12, else 2020-12)
          --known-failures FILE valid instances known to be rejected (one "file :: schema :: test"
                                description per line, # comments): they are reported but do not
                                fail the run; any other rejected valid instance does
        \(schemaOptionsHelp)
          -h, --help            show this help
        """

    struct FileTally {
        var schemas = 0, compiled = 0
        var valid = 0, validAccepted = 0, invalid = 0, invalidRejected = 0
        var skipped = 0, validSkipped = 0, reordered = 0
        /// Schemas found unsatisfiable (counted as compiled: the empty language decides every instance).
        var unsatisfiable = 0
        var failures: [String] = []
        var unsupported: [String] = []
    }

    static func run(_ argv: [String]) throws -> Int32 {
        let args = try Arguments(argv, valued: Set(["vocab", "eos", "known-failures", "dialect"]).union(schemaValuedOptions),
                                 flags: Set(["help", "json", "failures-only"]).union(schemaFlags))
        if args.flags.contains("help") { print(help); return 0 }
        guard args.positionals.count == 1 else { throw UsageError("expected one suite folder or file") }
        let root = args.positionals[0]
        let files = try testFiles(root)
        let dialect = args.options["dialect"] ?? dialectFromPath(root)
        guard !files.isEmpty else { throw CLIError("no .json test files under '\(root)'") }
        var options = try schemaOptions(args)
        // The JSON Schema Test Suite serves its `remotes/` folder as http://localhost:1234/ and
        // expects the official metaschemas; both are read from disk (never the network) and
        // passed as remote documents when the suite path names the suite.
        if let range = root.range(of: "json-schema-test-suite") {
            options.remoteDocuments = suiteRemoteDocuments(suiteRoot: String(root[..<range.upperBound]))
        }
        // The suite's required tests treat `format` as an annotation (format.json, and the
        // metaschema's `"format": "regex"` reached by metaschema references); gramc asserts
        // formats unless told not to, so files outside `optional/` run with assertion off and
        // optional/format/ judges the assertions.
        var annotationOptions = options
        annotationOptions.assertFormat = false
        let annotationCompiler = JSONSchemaCompiler(options: annotationOptions)
        let vocabulary = args.options["vocab"] == nil
            ? PreparedVocabulary(byteVocabulary()) : try loadVocabulary(args.options["vocab"], eos: args.options["eos"]).0
        let encoder = args.options["vocab"].flatMap { try? TokenEncoder(contentsOf: $0) }
        let separators: [JSONSerializer] = options.whitespace == .compact ? [.compact] : [.compact, .spaced]
        let json = args.flags.contains("json")
        var total = FileTally()
        var unexpectedRejections = 0
        var knownRejections = 0
        let known = try readKnownFailures(args.options["known-failures"])
        var errorCounts: [String: Int] = [:]
        let started = DispatchTime.now()

        for (file, relative) in files {
            var tally = FileTally()
            let isOptional = file.split(separator: "/").contains("optional")
            let compiler = isOptional ? JSONSchemaCompiler(options: options) : annotationCompiler
            guard case .array(let groups) = try readJSON(file) else { throw CLIError("\(file): not a test-suite array") }
            for (schemaIndex, group) in groups.enumerated() {
                guard var schema = group["schema"], case .array(let tests)? = group["tests"] else { continue }
                if let dialect, case .object(var object) = schema, object["$schema"] == nil {
                    object["$schema"] = .string(dialect)
                    schema = .object(object)
                }
                let groupName = group["description"]?.stringValue ?? "schema \(schemaIndex)"
                tally.schemas += 1
                var compiled: CompiledGrammar?
                var reason = ""
                // `unsatisfiable` is a verdict, not a refusal: no document matches, so every
                // instance is decided (rejected), as a compiled empty language would be.
                var unsatisfiable = false
                do {
                    compiled = try CompiledGrammar(try compiler.compile(schema).grammar, vocabulary: vocabulary)
                    tally.compiled += 1
                } catch where error.code == .unsatisfiable {
                    unsatisfiable = true
                    tally.compiled += 1
                    tally.unsatisfiable += 1
                } catch {
                    reason = "\(error)"
                    errorCounts[error.code.rawValue, default: 0] += 1
                    tally.unsupported.append("\(groupName): \(reason)")
                }
                for (testIndex, test) in tests.enumerated() {
                    guard let data = test["data"], let valid = test["valid"]?.boolValue else { continue }
                    let testName = test["description"]?.stringValue ?? "test \(testIndex)"
                    if valid { tally.valid += 1 } else { tally.invalid += 1 }
                    var result = "unsupported"
                    var detail: String? = compiled == nil ? reason : nil
                    if compiled != nil || unsatisfiable {
                        let ordered = compiler.reorderKeys(data, schema: schema)
                        if JSONSerializer.compact.serialize(ordered) != JSONSerializer.compact.serialize(data) { tally.reordered += 1 }
                        var outcomes: [String] = unsatisfiable ? ["unsatisfiable schema"] : []
                        var allAccepted = !unsatisfiable
                        for serializer in separators {
                            guard let compiled else { break }
                            let text = Array(serializer.serialize(ordered).utf8)
                            if case .rejected(let why) = replay(text, compiled: compiled, encoder: encoder) {
                                allAccepted = false
                                outcomes.append("\(serializer.itemSeparator == "," ? "compact" : "spaced"): \(why)")
                            }
                        }
                        result = allAccepted ? "accepted" : "rejected"
                        detail = outcomes.isEmpty ? nil : outcomes.joined(separator: "; ")
                        if valid && allAccepted { tally.validAccepted += 1 }
                        if !valid && !allAccepted { tally.invalidRejected += 1 }
                        if valid && !allAccepted {
                            if known.contains("\(relative) :: \(groupName) :: \(testName)") {
                                knownRejections += 1
                                tally.failures.append("valid rejected (known gap)  \(groupName) / \(testName)")
                            } else {
                                unexpectedRejections += 1
                                tally.failures.append("VALID REJECTED  \(groupName) / \(testName): \(detail ?? "")")
                            }
                        }
                        if !valid && allAccepted { tally.failures.append("invalid accepted  \(groupName) / \(testName)") }
                    } else {
                        tally.skipped += 1
                        if valid { tally.validSkipped += 1 }
                    }
                    if json {
                        print(jsonLine([
                            ("file", .string(relative)), ("schema", .int(schemaIndex)), ("test", .int(testIndex)),
                            ("valid", .bool(valid)), ("result", .string(result)), ("reason", detail.map { .string($0) } ?? .null),
                        ]))
                    }
                }
            }
            if !json, relative.hasSuffix("format.json"), !isOptional {
                print("\(relative): run with format assertion off (annotation semantics); optional/format/ tests the assertions")
            }
            if !json {
                report(relative, tally, failuresOnly: args.flags.contains("failures-only"))
            }
            total.schemas += tally.schemas; total.compiled += tally.compiled
            total.valid += tally.valid; total.validAccepted += tally.validAccepted
            total.invalid += tally.invalid; total.invalidRejected += tally.invalidRejected
            total.skipped += tally.skipped; total.validSkipped += tally.validSkipped; total.reordered += tally.reordered
            total.unsatisfiable += tally.unsatisfiable
        }
        let validCompiled = total.valid - total.validSkipped
        let passed = total.validAccepted + total.invalidRejected
        let failed = total.valid + total.invalid - total.skipped - passed
        let seconds = elapsedMilliseconds(since: started) / 1000
        if json {
            print(jsonLine([
                ("summary", .bool(true)), ("files", .int(files.count)), ("schemas", .int(total.schemas)),
                ("compiled", .int(total.compiled)), ("unsatisfiable", .int(total.unsatisfiable)), ("valid", .int(total.valid)), ("valid_accepted", .int(total.validAccepted)),
                ("invalid", .int(total.invalid)), ("invalid_rejected", .int(total.invalidRejected)),
                ("skipped", .int(total.skipped)), ("reordered", .int(total.reordered)),
                ("passed", .int(passed)), ("failed", .int(failed)), ("seconds", .double(seconds)),
                ("valid_rejected_unexpected", .int(unexpectedRejections)), ("valid_rejected_known", .int(knownRejections)),
                ("compile_errors", .object(JSONObject(errorCounts.sorted { $0.key < $1.key }.map { (key: $0.key, value: .int($0.value)) }))),
            ]))
        } else {
            print("""

                TOTAL  \(files.count) files, schemas compiled \(total.compiled)/\(total.schemas) (\(percent(total.compiled, total.schemas)); \
                \(total.unsatisfiable) of them unsatisfiable: every instance rejected), \
                valid accepted \(total.validAccepted)/\(total.valid) (\(percent(total.validAccepted, total.valid)) of all; \
                \(percent(total.validAccepted, validCompiled)) of compiled), invalid rejected \(total.invalidRejected)/\(total.invalid) \
                (\(percent(total.invalidRejected, total.invalid))); \(total.reordered) instances had keys reordered; \
                \(String(format: "%.1f", seconds)) s
                valid instances rejected: \(unexpectedRejections) unexpected, \(knownRejections) known gaps
                compile errors: \(errorCounts.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", "))
                \(passed) passed, \(failed) failed, \(total.skipped) skipped
                """)
        }
        return unexpectedRejections > 0 ? 1 : 0
    }

    /// The suite's `remotes/` files as `http://localhost:1234/<path>`, and the metaschemas listed
    /// in the sibling `metaschemas/index.json` (URI → file), parsed; unreadable files are skipped.
    static func suiteRemoteDocuments(suiteRoot: String) -> [String: JSONValue] {
        var documents: [String: JSONValue] = [:]
        let remotes = (suiteRoot as NSString).appendingPathComponent("remotes")
        if let enumerator = FileManager.default.enumerator(atPath: remotes) {
            while let item = enumerator.nextObject() as? String {
                if item.hasSuffix(".json"), let value = try? readJSON((remotes as NSString).appendingPathComponent(item)) {
                    documents["http://localhost:1234/" + item] = value
                }
            }
        }
        let metaschemas = ((suiteRoot as NSString).deletingLastPathComponent as NSString).appendingPathComponent("metaschemas")
        if case .object(let index)? = try? readJSON((metaschemas as NSString).appendingPathComponent("index.json")) {
            for (uri, file) in index {
                guard let path = file.stringValue,
                      let value = try? readJSON((metaschemas as NSString).appendingPathComponent(path)) else { continue }
                documents[uri] = value
            }
        }
        return documents
    }

    static func percent(_ a: Int, _ b: Int) -> String {
        b == 0 ? "n/a" : String(format: "%.1f%%", 100 * Double(a) / Double(b))
    }

    static func report(_ name: String, _ t: FileTally, failuresOnly: Bool) {
        if failuresOnly && t.failures.isEmpty { return }
        print("\(name): schemas \(t.compiled)/\(t.schemas) compiled, valid accepted \(t.validAccepted)/\(t.valid), invalid rejected \(t.invalidRejected)/\(t.invalid)\(t.reordered > 0 ? ", \(t.reordered) reordered" : "")")
        for u in t.unsupported.prefix(failuresOnly ? 0 : 50) { print("    unsupported  \(u)") }
        for f in t.failures { print("    \(f)") }
    }

    /// The `$schema` URI of the draft a suite folder is named after (`…/tests/draft7/…`).
    static func dialectFromPath(_ path: String) -> String? {
        let dialects: [(String, String)] = [
            ("draft2020-12", "https://json-schema.org/draft/2020-12/schema"),
            ("draft2019-09", "https://json-schema.org/draft/2019-09/schema"),
            ("draft7", "http://json-schema.org/draft-07/schema#"),
            ("draft6", "http://json-schema.org/draft-06/schema#"),
            ("draft4", "http://json-schema.org/draft-04/schema#"),
        ]
        let components = path.split(separator: "/")
        return dialects.first { d in components.contains { $0 == d.0 } }?.1
    }

    /// The .json files under `root` (or `root` itself), sorted, with paths relative to `root`.
    static func testFiles(_ root: String) throws(CLIError) -> [(path: String, relative: String)] {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: root, isDirectory: &isDirectory) else {
            throw CLIError("'\(root)' does not exist")
        }
        if !isDirectory.boolValue { return [(root, (root as NSString).lastPathComponent)] }
        guard let enumerator = FileManager.default.enumerator(atPath: root) else { return [] }
        var out: [(String, String)] = []
        while let item = enumerator.nextObject() as? String {
            if item.hasSuffix(".json") { out.append(((root as NSString).appendingPathComponent(item), item)) }
        }
        return out.sorted { $0.1 < $1.1 }
    }
}
