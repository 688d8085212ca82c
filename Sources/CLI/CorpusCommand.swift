import Foundation
import Grammar
import TokenMask

/// `gramc corpus`: compiles every schema of a JSONSchemaBench-style folder, replays its example
/// instances, optionally generates documents, and reports per subset.
enum CorpusCommand {
    static let help = """
        USAGE: gramc corpus <folder> [options]

        Runs a folder laid out like JSONSchemaBench: a manifest.jsonl with one object a line
        {"subset", "schema": relative path, "instances": relative path or null}, each instances file
        holding {"valid", "data"} lines. For every schema: compile it against the vocabulary (timed),
        replay every instance (keys reordered to the grammar's order, serialized compactly and, when
        the whitespace policy allows spaces, again with ", " and ": "; token by token with --vocab,
        byte by byte otherwise, then EOS), and with --generate K sample K documents. A schema found
        unsatisfiable counts as compiled to the empty language (each instance rejected). Prints a table
        per subset: schemas compiled, compile errors by kind, compile time, valid instances
        accepted, invalid ones rejected, generation failures. Exit status 1 when a valid instance of
        a compiled schema is rejected (unless listed with --known-failures) or a generation fails.

        OPTIONS:
          --vocab PATH          replay and generate with this vocabulary (default: single bytes)
          --eos IDS             end-of-sequence token ids, comma separated
          --subsets LIST        only these subsets, comma separated
          --limit N             only the first N schemas of each subset (manifest order)
          --every K             only every K-th schema of each subset (a spread sample)
          --generate K          sample K documents per compiled schema (seeds 0…K−1; see gramc generate)
          --outputs FILE        write the generated documents there, one JSON object a line:
                                {"subset", "schema", "seed", "output"} (or "error")
          --json                one object a line per schema, then one per subset and a summary
          --failures-only       list only the schemas with a failure or a compile error
          --known-failures FILE "schema-path :: instance-index" lines (# comments) of valid instances
                                known to be rejected: reported, but they do not fail the run
        \(schemaOptionsHelp)
          -h, --help            show this help
        """

    /// What happened to one schema.
    struct SchemaResult {
        var path = ""
        var compiled = false
        /// Found unsatisfiable: counted as compiled, to the empty language.
        var unsatisfiable = false
        var errorCode: String?
        var error: String?
        var compileMilliseconds = 0.0
        var valid = 0, validAccepted = 0, invalid = 0, invalidRejected = 0
        var generated = 0, generationFailures = 0
        var failures: [String] = []
    }

    /// The figures of one subset.
    struct SubsetTally {
        var schemas = 0, compiled = 0, unsatisfiable = 0
        var errors: [String: Int] = [:]
        var compileMilliseconds: [Double] = []
        var valid = 0, validAccepted = 0, invalid = 0, invalidRejected = 0
        var generated = 0, generationFailures = 0
        var unexpectedRejections = 0

        mutating func add(_ r: SchemaResult, unexpected: Int) {
            schemas += 1
            if r.compiled { compiled += 1 }
            if r.unsatisfiable { unsatisfiable += 1 } else if r.compiled { compileMilliseconds.append(r.compileMilliseconds) }
            if let code = r.errorCode { errors[code, default: 0] += 1 }
            valid += r.valid; validAccepted += r.validAccepted
            invalid += r.invalid; invalidRejected += r.invalidRejected
            generated += r.generated; generationFailures += r.generationFailures
            unexpectedRejections += unexpected
        }
    }

    static func run(_ argv: [String]) throws -> Int32 {
        let args = try Arguments(argv, valued: Set(["vocab", "eos", "subsets", "limit", "every", "generate", "outputs", "known-failures"])
                                    .union(schemaValuedOptions),
                                 flags: Set(["help", "json", "failures-only"]).union(schemaFlags))
        if args.flags.contains("help") { print(help); return 0 }
        guard args.positionals.count == 1 else { throw UsageError("expected one folder holding a manifest.jsonl") }
        let root = args.positionals[0]
        let limit = try args.int("limit", default: Int.max)
        let every = try args.int("every", default: 1)
        let generate = try args.int("generate", default: 0)
        guard every >= 1, limit >= 0, generate >= 0 else { throw UsageError("--limit, --every and --generate take positive numbers") }
        let wanted = args.options["subsets"].map { Set($0.split(separator: ",").map(String.init)) }
        let entries = try manifest(root).filter { wanted?.contains($0.subset) ?? true }
        var selected: [(subset: String, schema: String, instances: String?)] = []
        var seen: [String: Int] = [:]
        for entry in entries {
            let index = seen[entry.subset, default: 0]
            seen[entry.subset] = index + 1
            if index % every == 0 && index / every < limit { selected.append(entry) }
        }
        guard !selected.isEmpty else { throw CLIError("no schemas selected under '\(root)'") }

        let options = try schemaOptions(args)
        let compiler = JSONSchemaCompiler(options: options)
        let vocabulary = args.options["vocab"] == nil
            ? PreparedVocabulary(byteVocabulary()) : try loadVocabulary(args.options["vocab"], eos: args.options["eos"]).0
        let encoder = args.options["vocab"].flatMap { try? TokenEncoder(contentsOf: $0) }
        let separators: [JSONSerializer] = options.whitespace == .compact ? [.compact] : [.compact, .spaced]
        let known = try readKnownFailures(args.options["known-failures"])
        let outputs = try args.options["outputs"].map { (path: String) throws(CLIError) -> FileHandle in
            guard FileManager.default.createFile(atPath: path, contents: nil), let handle = FileHandle(forWritingAtPath: path) else {
                throw CLIError("cannot write '\(path)'")
            }
            return handle
        }
        defer { try? outputs?.close() }
        let json = args.flags.contains("json")
        let started = DispatchTime.now()

        var tallies: [(subset: String, tally: SubsetTally)] = []
        var unexpectedTotal = 0
        var generationFailuresTotal = 0
        for entry in selected {
            var result = SchemaResult()
            result.path = entry.schema
            var unexpected = 0
            let schemaPath = (root as NSString).appendingPathComponent(entry.schema)
            var compiled: CompiledGrammar?
            var schema = JSONValue.null
            do {
                schema = try readJSON(schemaPath)
                let start = DispatchTime.now()
                compiled = try CompiledGrammar(try compiler.compile(schema).grammar, vocabulary: vocabulary)
                result.compileMilliseconds = elapsedMilliseconds(since: start)
                result.compiled = true
            } catch let error as GrammarError where error.code == .unsatisfiable {
                // A verdict, not a refusal: the empty language, which rejects every instance.
                result.compiled = true
                result.unsatisfiable = true
            } catch let error as GrammarError {
                result.errorCode = error.code.rawValue
                result.error = "\(error)"
            } catch {
                result.errorCode = "unreadable"
                result.error = "\(error)"
            }
            if result.unsatisfiable {
                for (index, instance) in try instances(root, entry.instances).enumerated() {
                    if instance.valid {
                        result.valid += 1
                        unexpected += 1
                        result.failures.append("VALID INSTANCE \(index) REJECTED: the schema was found unsatisfiable")
                    } else {
                        result.invalid += 1
                        result.invalidRejected += 1
                    }
                }
            }
            if let compiled {
                for (index, instance) in try instances(root, entry.instances).enumerated() {
                    if instance.valid { result.valid += 1 } else { result.invalid += 1 }
                    let ordered = compiler.reorderKeys(instance.data, schema: schema)
                    var rejection: String?
                    for serializer in separators {
                        if case .rejected(let why) = replay(Array(serializer.serialize(ordered).utf8), compiled: compiled, encoder: encoder) {
                            rejection = why
                            break
                        }
                    }
                    if instance.valid && rejection == nil { result.validAccepted += 1 }
                    if !instance.valid && rejection != nil { result.invalidRejected += 1 }
                    if instance.valid, let rejection {
                        if known.contains("\(entry.schema) :: \(index)") {
                            result.failures.append("valid instance \(index) rejected (known gap): \(rejection)")
                        } else {
                            unexpected += 1
                            result.failures.append("VALID INSTANCE \(index) REJECTED: \(rejection)")
                        }
                    }
                }
                for seed in 0..<generate {
                    var rng = SplitMix64(seed: UInt64(seed))
                    var record: [(String, JSONValue)] = [("subset", .string(entry.subset)), ("schema", .string(entry.schema)), ("seed", .int(seed))]
                    switch GenerateCommand.sample(compiled, rng: &rng, target: 100, maxTokens: 4000) {
                    case .success(let (text, _)):
                        result.generated += 1
                        record.append(("output", .string(String(decoding: text, as: UTF8.self))))
                    case .failure(let error):
                        result.generationFailures += 1
                        result.failures.append("GENERATION FAILED (seed \(seed)): \(error.description)")
                        record.append(("error", .string(error.description)))
                    }
                    outputs?.write(Data((jsonLine(record) + "\n").utf8))
                }
            }
            unexpectedTotal += unexpected
            generationFailuresTotal += result.generationFailures
            if let i = tallies.firstIndex(where: { $0.subset == entry.subset }) {
                tallies[i].tally.add(result, unexpected: unexpected)
            } else {
                var tally = SubsetTally()
                tally.add(result, unexpected: unexpected)
                tallies.append((entry.subset, tally))
            }
            report(result, json: json, failuresOnly: args.flags.contains("failures-only"))
        }
        var total = SubsetTally()
        for (_, t) in tallies {
            total.schemas += t.schemas; total.compiled += t.compiled; total.unsatisfiable += t.unsatisfiable
            for (code, n) in t.errors { total.errors[code, default: 0] += n }
            total.compileMilliseconds += t.compileMilliseconds
            total.valid += t.valid; total.validAccepted += t.validAccepted
            total.invalid += t.invalid; total.invalidRejected += t.invalidRejected
            total.generated += t.generated; total.generationFailures += t.generationFailures
            total.unexpectedRejections += t.unexpectedRejections
        }
        let seconds = elapsedMilliseconds(since: started) / 1000
        if json {
            for (subset, t) in tallies + [("TOTAL", total)] {
                print(jsonLine([("subset", .string(subset))] + figures(t) + (subset == "TOTAL" ? [("summary", .bool(true)),
                    ("seconds", .double(seconds)), ("peak_rss_mb", .double(peakResidentMegabytes()))] : [])))
            }
        } else {
            print(table(tallies + [("TOTAL", total)]))
            print(String(format: "%.1f s, peak RSS %.0f MB", seconds, peakResidentMegabytes()))
            print("valid instances rejected: \(unexpectedTotal) unexpected; generation failures: \(generationFailuresTotal)")
        }
        return unexpectedTotal > 0 || generationFailuresTotal > 0 ? 1 : 0
    }

    // MARK: Reading

    /// The manifest's entries in file order.
    static func manifest(_ root: String) throws(CLIError) -> [(subset: String, schema: String, instances: String?)] {
        let path = (root as NSString).appendingPathComponent("manifest.jsonl")
        var entries: [(String, String, String?)] = []
        for (number, line) in try readJSONLines(path) {
            guard let subset = line["subset"]?.stringValue, let schema = line["schema"]?.stringValue else {
                throw CLIError("\(path):\(number): a manifest line needs \"subset\" and \"schema\"")
            }
            entries.append((subset, schema, line["instances"]?.stringValue))
        }
        return entries
    }

    /// The instances of one schema (none when the manifest names no file).
    static func instances(_ root: String, _ relative: String?) throws(CLIError) -> [(valid: Bool, data: JSONValue)] {
        guard let relative else { return [] }
        let path = (root as NSString).appendingPathComponent(relative)
        var out: [(Bool, JSONValue)] = []
        for (number, line) in try readJSONLines(path) {
            guard let valid = line["valid"]?.boolValue, let data = line["data"] else {
                throw CLIError("\(path):\(number): an instance line needs \"valid\" and \"data\"")
            }
            out.append((valid, data))
        }
        return out
    }

    // MARK: Reporting

    static func report(_ r: SchemaResult, json: Bool, failuresOnly: Bool) {
        if json {
            print(jsonLine([
                ("schema", .string(r.path)), ("compiled", .bool(r.compiled)), ("unsatisfiable", .bool(r.unsatisfiable)), ("error_kind", r.errorCode.map { .string($0) } ?? .null),
                ("error", r.error.map { .string($0) } ?? .null), ("compile_ms", .double(r.compileMilliseconds)),
                ("valid", .int(r.valid)), ("valid_accepted", .int(r.validAccepted)),
                ("invalid", .int(r.invalid)), ("invalid_rejected", .int(r.invalidRejected)),
                ("generated", .int(r.generated)), ("generation_failures", .int(r.generationFailures)),
                ("failures", .array(r.failures.map { .string($0) })),
            ]))
            return
        }
        if failuresOnly && r.failures.isEmpty && r.compiled { return }
        if let error = r.error { print("\(r.path): not compiled: \(error)") }
        for f in r.failures { print("\(r.path): \(f)") }
    }

    static func figures(_ t: SubsetTally) -> [(String, JSONValue)] {
        [
            ("schemas", .int(t.schemas)), ("compiled", .int(t.compiled)), ("unsatisfiable", .int(t.unsatisfiable)),
            ("errors", .object(JSONObject(t.errors.sorted { $0.key < $1.key }.map { (key: $0.key, value: .int($0.value)) }))),
            ("compile_ms_p50", .double(percentile(sorted: t.compileMilliseconds.sorted(), 50))),
            ("compile_ms_max", .double(t.compileMilliseconds.max() ?? 0)),
            ("valid", .int(t.valid)), ("valid_accepted", .int(t.validAccepted)),
            ("invalid", .int(t.invalid)), ("invalid_rejected", .int(t.invalidRejected)),
            ("generated", .int(t.generated)), ("generation_failures", .int(t.generationFailures)),
            ("valid_rejected_unexpected", .int(t.unexpectedRejections)),
        ]
    }

    /// The per-subset table (Markdown).
    static func table(_ rows: [(subset: String, tally: SubsetTally)]) -> String {
        var lines = [
            "| subset | schemas | compiled (unsatisfiable) | compile errors | compile ms p50 / max | valid accepted | invalid rejected | generated (failed) |",
            "|---|--:|--:|---|--:|--:|--:|--:|",
        ]
        for (subset, t) in rows {
            let errors = t.errors.sorted { $0.value > $1.value || ($0.value == $1.value && $0.key < $1.key) }
                .map { "\($0.key) \($0.value)" }.joined(separator: ", ")
            lines.append("| \(subset) | \(t.schemas) | \(t.compiled) (\(ConformanceCommand.percent(t.compiled, t.schemas)))\(t.unsatisfiable > 0 ? " (\(t.unsatisfiable))" : "") | "
                + "\(errors.isEmpty ? "—" : errors) | "
                + String(format: "%.2f / %.0f", percentile(sorted: t.compileMilliseconds.sorted(), 50), t.compileMilliseconds.max() ?? 0) + " | "
                + "\(t.validAccepted)/\(t.valid) | \(t.invalidRejected)/\(t.invalid) | \(t.generated) (\(t.generationFailures)) |")
        }
        return lines.joined(separator: "\n")
    }
}
