import Foundation
import Grammar
import TokenMask

/// `gramc bench`: MaskBench-style replay of pre-tokenized traces, timing every mask.
enum BenchCommand {
    static let help = """
        USAGE: gramc bench --vocab <path> --traces <traces.jsonl> [options]

        Replays traces (one JSON object a line: {"id", "schema" (path relative to the trace
        file's folder), "valid", "variant", "text", "tokens"}): loads and prepares the vocabulary
        once (timed), compiles each schema (timed), then for every token of every trace computes
        the mask (timed), checks the token is in it and advances; after the last token one more
        mask is timed and EOS must be in it. Single thread. Each trace also reports the bytes its
        grammar holds after the replay (`grammar_bytes`: automaton, configuration tables and
        cached masks so far); the summary gives their statistics over schemas. The same method and output fields as
        the peers' replay.py, so their outputs compare figure by figure.

        OPTIONS:
          --vocab PATH      the vocabulary the traces were tokenized with
          --eos IDS         end-of-sequence ids, comma separated (default: from the vocabulary)
          --traces FILE     the trace file
          --limit N         replay only the first N traces
          --json            one object a line per trace, then a summary object
          --raw             with --json, also each trace's per-step mask times ("mask_ns")
          --forced          also measure jump-forward: the share of steps whose token lies within the
                            bytes the grammar forces there (a decoder could skip sampling it), and the
                            share that equals the first canonical forced token (`forcedTokens()`)
          --explain ID      replay only trace ID and print every step: mask µs, allowed tokens,
                            configurations and steps computed, trie nodes visited, and the token's text
        \(schemaOptionsHelp)
          -h, --help        show this help
        """

    struct Trace {
        var id: String, schema: String, valid: Bool, variant: String?, tokens: [Int]
    }

    static func run(_ argv: [String]) throws -> Int32 {
        let args = try Arguments(argv, valued: Set(["vocab", "eos", "traces", "limit", "explain"]).union(schemaValuedOptions),
                                 flags: Set(["help", "json", "raw", "forced"]).union(schemaFlags))
        if args.flags.contains("help") { print(help); return 0 }
        guard let vocabPath = args.options["vocab"] else { throw UsageError("--vocab is required") }
        guard let tracesPath = args.options["traces"] else { throw UsageError("--traces is required") }
        let limit = try args.int("limit", default: Int.max)
        let json = args.flags.contains("json")
        let started = Date()
        let wallStart = DispatchTime.now()

        var traces = try readTraces(tracesPath, limit: limit)
        let explain = args.options["explain"]
        if let explain { traces = traces.filter { $0.id == explain } }
        let (vocabulary, vocabMilliseconds, _) = try loadVocabulary(vocabPath, eos: args.options["eos"])
        let rssAfterVocab = peakResidentMegabytes()
        let compiler = JSONSchemaCompiler(options: try schemaOptions(args))
        let folder = (tracesPath as NSString).deletingLastPathComponent

        // Group traces by schema, in order of first appearance.
        var order: [String] = []
        var groups: [String: [Trace]] = [:]
        for t in traces {
            if groups[t.schema] == nil { order.append(t.schema) }
            groups[t.schema, default: []].append(t)
        }

        var allMasks: [Double] = []
        var firstMasks: [Double] = [], compiles: [Double] = [], ttfms: [Double] = [], grammarBytes: [Double] = []
        var counts = (schemas: 0, compiledSchemas: 0, traces: 0, compiledTraces: 0, valid: 0, invalid: 0,
                      acceptedValid: 0, rejectedInvalid: 0, validCompiled: 0, invalidCompiled: 0)
        var errors: [String: Int] = [:]
        var reasons: [String: Int] = [:]
        var words = [UInt32](repeating: 0, count: vocabulary.maskWordCount)
        var forced = (steps: 0, withinForcedBytes: 0, forcedToken: 0)
        var work = (configurations: 0, stepsComputed: 0, trieNodesVisited: 0, masksComputed: 0)

        for schemaPath in order {
            counts.schemas += 1
            let group = groups[schemaPath]!
            var compiled: CompiledGrammar?
            var compileMilliseconds = 0.0
            var errorText: String?
            do {
                let path = schemaPath.hasPrefix("/") ? schemaPath : (folder as NSString).appendingPathComponent(schemaPath)
                let schema = try readJSON(path)
                let start = DispatchTime.now()
                compiled = try CompiledGrammar(try compiler.compile(schema).grammar, vocabulary: vocabulary)
                compileMilliseconds = elapsedMilliseconds(since: start)
                counts.compiledSchemas += 1
                compiles.append(compileMilliseconds)
            } catch let error as GrammarError {
                errorText = "\(error.code): \(error.message)"
                errors[error.code.rawValue + ": " + String(error.message.prefix(60)), default: 0] += 1
            } catch {
                errorText = "\(error)"
                errors[String("\(error)".prefix(80)), default: 0] += 1
            }
            defer {
                if let stats = compiled?.statistics {
                    grammarBytes.append(Double(stats.memoryBytes))
                    work.configurations += stats.configurations
                    work.stepsComputed += stats.stepsComputed
                    work.trieNodesVisited += stats.trieNodesVisited
                    work.masksComputed += stats.masksComputed
                }
            }
            for (index, trace) in group.enumerated() {
                counts.traces += 1
                if trace.valid { counts.valid += 1 } else { counts.invalid += 1 }
                var record: [(String, JSONValue)] = [
                    ("id", .string(trace.id)), ("schema", .string(trace.schema)), ("valid", .bool(trace.valid)),
                    ("variant", trace.variant.map { .string($0) } ?? .null), ("tokens", .int(trace.tokens.count)),
                    ("compiled", .bool(compiled != nil)), ("error", errorText.map { .string($0) } ?? .null),
                ]
                guard let compiled else {
                    record += [("accepted", .bool(false)), ("rejected_at", .null), ("reason", .null), ("steps", .int(0)),
                               ("compile_ms", .null), ("first_mask_us", .null), ("ttfm_ms", .null), ("mask_us", .null)]
                    if trace.valid { reasons["compile_error", default: 0] += 1 }
                    if json { print(jsonLine(record)) }
                    continue
                }
                counts.compiledTraces += 1
                if trace.valid { counts.validCompiled += 1 } else { counts.invalidCompiled += 1 }
                if explain != nil { explainReplay(trace.tokens, compiled: compiled) }
                if args.flags.contains("forced"), trace.valid {
                    let counts = forcedSteps(trace.tokens, compiled: compiled)
                    forced.steps += counts.steps
                    forced.withinForcedBytes += counts.withinForcedBytes
                    forced.forcedToken += counts.forcedToken
                }
                let result = replayTimed(trace.tokens, compiled: compiled, words: &words)
                allMasks += result.maskMicroseconds
                let first = result.maskMicroseconds.first ?? 0
                if index == 0 {
                    firstMasks.append(first)
                    ttfms.append(compileMilliseconds + first / 1000)
                }
                if trace.valid && result.accepted { counts.acceptedValid += 1 }
                if !trace.valid && !result.accepted { counts.rejectedInvalid += 1 }
                if trace.valid && !result.accepted { reasons[result.reason ?? "unknown", default: 0] += 1 }
                record += [
                    ("accepted", .bool(result.accepted)), ("rejected_at", result.rejectedAt.map { .int($0) } ?? .null),
                    ("reason", result.reason.map { .string($0) } ?? .null), ("steps", .int(result.maskMicroseconds.count)),
                    ("compile_ms", .double(compileMilliseconds)), ("first_mask_us", .double(first)),
                    ("ttfm_ms", .double(compileMilliseconds + first / 1000)), ("mask_us", statistics(result.maskMicroseconds)),
                    ("grammar_bytes", .int(compiled.statistics.memoryBytes)),
                ]
                if args.flags.contains("raw") {
                    record.append(("mask_ns", .array(result.maskMicroseconds.map { .int(Int($0 * 1000)) })))
                }
                if json { print(jsonLine(record)) }
            }
        }

        let elapsed = elapsedMilliseconds(since: wallStart) / 1000
        let summary: [(String, JSONValue)] = [
            ("summary", .bool(true)), ("peer", .string("gramc")), ("version", .string("0.1.0")),
            ("vocab", .string((vocabPath as NSString).lastPathComponent)), ("n_vocab", .int(vocabulary.size)),
            ("eos_ids", .array(vocabulary.vocabulary.eosTokens.map { .int($0) })),
            ("traces_file", .string(tracesPath)), ("traces", .int(counts.traces)), ("schemas", .int(counts.schemas)),
            ("compiled_schemas", .int(counts.compiledSchemas)), ("compiled_traces", .int(counts.compiledTraces)),
            ("accepted_valid", .int(counts.acceptedValid)), ("valid", .int(counts.valid)), ("valid_compiled", .int(counts.validCompiled)),
            ("rejected_invalid", .int(counts.rejectedInvalid)), ("invalid", .int(counts.invalid)),
            ("invalid_compiled", .int(counts.invalidCompiled)), ("steps", .int(allMasks.count)),
            ("mask_us", statistics(allMasks, p999: true)), ("first_mask_us", statistics(firstMasks)),
            ("compile_ms", statistics(compiles)), ("ttfm_ms", statistics(ttfms)),
            ("grammar_bytes", statistics(grammarBytes)),
            ("vocab_ms", .double(vocabMilliseconds)), ("peak_rss_mb", .double(peakResidentMegabytes())),
            ("rss_after_vocab_mb", .double(rssAfterVocab)),
            ("top_errors", .array(errors.sorted { $0.value > $1.value }.prefix(12).map { .array([.string($0.key), .int($0.value)]) })),
            ("reject_reasons", .object(JSONObject(reasons.sorted { $0.key < $1.key }.map { (key: $0.key, value: .int($0.value)) }))),
            ("forced", args.flags.contains("forced") ? .object(JSONObject([
                ("steps", .int(forced.steps)), ("within_forced_bytes", .int(forced.withinForcedBytes)),
                ("forced_token", .int(forced.forcedToken)),
                ("share_within_forced_bytes", .double(Double(forced.withinForcedBytes) / Double(max(forced.steps, 1)))),
                ("share_forced_token", .double(Double(forced.forcedToken) / Double(max(forced.steps, 1)))),
            ])) : .null),
            ("work", .object(JSONObject([
                ("configurations", .int(work.configurations)), ("steps_computed", .int(work.stepsComputed)),
                ("trie_nodes_visited", .int(work.trieNodesVisited)), ("masks_computed", .int(work.masksComputed)),
            ]))),
            ("elapsed_s", .double(elapsed)), ("started", .string(ISO8601DateFormatter().string(from: started))),
            ("machine", .string(machineDescription())),
        ]
        if json {
            print(jsonLine(summary))
        } else {
            printTable(summary)
        }
        return 0
    }

    struct TimedReplay {
        var accepted: Bool
        var rejectedAt: Int?
        var reason: String?
        var maskMicroseconds: [Double]
    }

    /// Replays `tokens` on a fresh matcher, timing each mask.
    static func replayTimed(_ tokens: [Int], compiled: CompiledGrammar, words: inout [UInt32]) -> TimedReplay {
        var matcher = compiled.makeMatcher()
        var times: [Double] = []
        times.reserveCapacity(tokens.count + 1)
        let vocabulary = compiled.vocabulary.vocabulary
        return words.withUnsafeMutableBufferPointer { buffer in
            for (step, token) in tokens.enumerated() {
                let start = DispatchTime.now().uptimeNanoseconds
                matcher.fillMask(into: buffer)
                times.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1000)
                guard token >= 0, token < vocabulary.size, buffer[token >> 5] & (1 << UInt32(token & 31)) != 0 else {
                    return TimedReplay(accepted: false, rejectedAt: step, reason: "token_not_allowed", maskMicroseconds: times)
                }
                do { try matcher.accept(token: token) } catch {
                    return TimedReplay(accepted: false, rejectedAt: step, reason: "advance_failed_after_mask_allowed", maskMicroseconds: times)
                }
            }
            let start = DispatchTime.now().uptimeNanoseconds
            matcher.fillMask(into: buffer)
            times.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1000)
            let eosAllowed = vocabulary.eosTokens.contains { buffer[$0 >> 5] & (1 << UInt32($0 & 31)) != 0 }
            return eosAllowed
                ? TimedReplay(accepted: true, rejectedAt: nil, reason: nil, maskMicroseconds: times)
                : TimedReplay(accepted: false, rejectedAt: tokens.count, reason: "eos_not_allowed", maskMicroseconds: times)
        }
    }

    /// Counts the steps of a replay whose token the grammar forces: its bytes are a prefix of the
    /// forced bytes, or it is the first canonical forced token.
    static func forcedSteps(_ tokens: [Int], compiled: CompiledGrammar) -> (steps: Int, withinForcedBytes: Int, forcedToken: Int) {
        var matcher = compiled.makeMatcher()
        let vocabulary = compiled.vocabulary.vocabulary
        var counts = (steps: 0, withinForcedBytes: 0, forcedToken: 0)
        for token in tokens {
            let bytes = vocabulary.bytes(of: token)
            let forcedBytes = matcher.forcedBytes(limit: bytes.count)
            counts.steps += 1
            if !bytes.isEmpty, forcedBytes.count == bytes.count, forcedBytes.elementsEqual(bytes) { counts.withinForcedBytes += 1 }
            if matcher.forcedTokens(maxTokens: 1).first == token { counts.forcedToken += 1 }
            guard (try? matcher.accept(token: token)) != nil else { break }
        }
        return counts
    }

    /// Prints a step-by-step account of one replay (a diagnostic for slow masks).
    static func explainReplay(_ tokens: [Int], compiled: CompiledGrammar) {
        var matcher = compiled.makeMatcher()
        let vocabulary = compiled.vocabulary.vocabulary
        for (step, token) in tokens.enumerated() {
            let before = compiled.statistics
            let start = DispatchTime.now()
            let mask = matcher.mask()
            let micros = elapsedMilliseconds(since: start) * 1000
            let after = compiled.statistics
            let text = String(decoding: vocabulary.bytes(of: token), as: UTF8.self)
            print(String(format: "%4d %10.1f µs %7d allowed %6d new configs %8d kernel stacks %7d steps %8d trie nodes %5d walks  ",
                         step, micros, mask.allowedCount, after.configurations - before.configurations,
                         after.kernelStacks - before.kernelStacks,
                         after.stepsComputed - before.stepsComputed, after.trieNodesVisited - before.trieNodesVisited,
                         after.masksComputed - before.masksComputed)
                  + text.debugDescription)
            guard (try? matcher.accept(token: token)) != nil else { print("rejected"); return }
        }
    }

    static func readTraces(_ path: String, limit: Int) throws(CLIError) -> [Trace] {
        var traces: [Trace] = []
        for (number, value) in try readJSONLines(path, limit: limit) {
            guard let id = value["id"]?.stringValue, let schema = value["schema"]?.stringValue,
                  let tokens = value["tokens"]?.arrayValue else {
                throw CLIError("\(path):\(number): a trace needs id, schema and tokens")
            }
            traces.append(Trace(id: id, schema: schema, valid: value["valid"]?.boolValue ?? true,
                                variant: value["variant"]?.stringValue,
                                tokens: tokens.compactMap { $0.numberValue?.intValue }))
        }
        return traces
    }

    /// p50/p90/p99(/p999)/max/mean with linear interpolation (numpy's default).
    static func statistics(_ values: [Double], p999: Bool = false) -> JSONValue {
        guard !values.isEmpty else { return .null }
        let sorted = values.sorted()
        func percentile(_ p: Double) -> Double { CLI.percentile(sorted: sorted, p) }
        var members: [(key: String, value: JSONValue)] = [
            ("p50", .double(percentile(50))), ("p90", .double(percentile(90))), ("p99", .double(percentile(99))),
        ]
        if p999 { members.append(("p999", .double(percentile(99.9)))) }
        members += [("max", .double(sorted.last!)), ("mean", .double(sorted.reduce(0, +) / Double(sorted.count)))]
        return .object(JSONObject(members))
    }

    static func printTable(_ summary: [(String, JSONValue)]) {
        let object = JSONObject(summary.map { (key: $0.0, value: $0.1) })
        func figure(_ group: String, _ key: String) -> String {
            guard let v = object[group]?[key]?.numberValue else { return "-" }
            return v.text
        }
        print("gramc bench  \(object["vocab"]?.stringValue ?? "") (\(object["n_vocab"]?.numberValue?.text ?? "") tokens)  \(object["traces_file"]?.stringValue ?? "")")
        print("schemas compiled \(object["compiled_schemas"]?.numberValue?.text ?? "0")/\(object["schemas"]?.numberValue?.text ?? "0"), valid accepted \(object["accepted_valid"]?.numberValue?.text ?? "0")/\(object["valid"]?.numberValue?.text ?? "0"), invalid rejected \(object["rejected_invalid"]?.numberValue?.text ?? "0")/\(object["invalid"]?.numberValue?.text ?? "0"), steps \(object["steps"]?.numberValue?.text ?? "0")")
        print("figure".padding(toLength: 18, withPad: " ", startingAt: 0) + ["p50", "p90", "p99", "max", "mean"].map { $0.padding(toLength: 12, withPad: " ", startingAt: 0) }.joined())
        for group in ["mask_us", "first_mask_us", "compile_ms", "ttfm_ms", "grammar_bytes"] {
            print(group.padding(toLength: 18, withPad: " ", startingAt: 0) + ["p50", "p90", "p99", "max", "mean"].map { figure(group, $0).padding(toLength: 12, withPad: " ", startingAt: 0) }.joined())
        }
        if let w = object["work"]?.objectValue {
            print("work: \(w["masks_computed"]?.numberValue?.text ?? "0") masks computed, \(w["trie_nodes_visited"]?.numberValue?.text ?? "0") trie nodes visited, \(w["steps_computed"]?.numberValue?.text ?? "0") steps computed, \(w["configurations"]?.numberValue?.text ?? "0") configurations")
        }
        if let f = object["forced"]?.objectValue {
            print("jump-forward: \(f["within_forced_bytes"]?.numberValue?.text ?? "0")/\(f["steps"]?.numberValue?.text ?? "0") steps lie within forced bytes, \(f["forced_token"]?.numberValue?.text ?? "0") are the canonical forced token")
        }
        print("vocab_ms \(object["vocab_ms"]?.numberValue?.text ?? "-")  peak_rss_mb \(object["peak_rss_mb"]?.numberValue?.text ?? "-")  elapsed_s \(object["elapsed_s"]?.numberValue?.text ?? "-")")
    }
}

/// The process's peak resident set size in MB.
func peakResidentMegabytes() -> Double {
    var usage = rusage()
    #if os(Linux)
    getrusage(RUSAGE_SELF.rawValue, &usage)
    return Double(usage.ru_maxrss) / 1024
    #else
    getrusage(RUSAGE_SELF, &usage)
    return Double(usage.ru_maxrss) / 1_048_576
    #endif
}

/// A one-line description of this machine (CPU model, cores, OS).
func machineDescription() -> String {
    var cpu = "unknown CPU"
    if let text = try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8),
       let line = text.split(separator: "\n").first(where: { $0.hasPrefix("model name") }),
       let colon = line.firstIndex(of: ":") {
        cpu = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
    }
    return "\(cpu), \(ProcessInfo.processInfo.activeProcessorCount) cores, \(ProcessInfo.processInfo.operatingSystemVersionString)"
}
