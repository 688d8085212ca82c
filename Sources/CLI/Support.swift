import Foundation
import Grammar
import TokenMask

/// An error that ends a command with a message and an exit status.
struct CLIError: Error, CustomStringConvertible {
    var description: String
    var status: Int32
    init(_ description: String, status: Int32 = 2) {
        self.description = description
        self.status = status
    }
}

/// Writes `text` and a newline to standard error.
func printError(_ text: String) {
    FileHandle.standardError.write(Data((text + "\n").utf8))
}

/// Reads a whole file ("-" reads standard input).
func readFile(_ path: String) throws(CLIError) -> [UInt8] {
    if path == "-" { return Array(FileHandle.standardInput.readDataToEndOfFile()) }
    guard let data = FileManager.default.contents(atPath: path) else {
        throw CLIError("cannot read '\(path)'")
    }
    return Array(data)
}

/// Parses a JSON file, with the file name in the error.
func readJSON(_ path: String) throws(CLIError) -> JSONValue {
    let bytes = try readFile(path)
    do {
        return try JSONParser().parse(bytes: bytes)
    } catch {
        throw CLIError("\(path): \(error)")
    }
}

/// The vocabulary used when no `--vocab` is given: the project's demo vocabulary when run
/// from the repository, else one token per byte.
let defaultVocabularyPath = "corpus/vocab/demo"

/// Loads and prepares the vocabulary at `path` (or the default), timing it.
func loadVocabulary(_ path: String?, eos: String? = nil) throws(CLIError) -> (PreparedVocabulary, milliseconds: Double, name: String) {
    let start = DispatchTime.now()
    let eosIDs: [Int]? = try eos.map { (text: String) throws(CLIError) -> [Int] in
        let ids = text.split(separator: ",").compactMap { Int($0.trimmingCharacters(in: .whitespaces)) }
        guard !ids.isEmpty else { throw CLIError("--eos needs comma-separated token ids", status: 64) }
        return ids
    }
    let vocabulary: Vocabulary
    let name: String
    if let path {
        do {
            vocabulary = try Vocabulary(contentsOf: path, eos: eosIDs)
        } catch {
            throw CLIError("cannot load vocabulary: \(error)")
        }
        name = path
    } else if FileManager.default.fileExists(atPath: defaultVocabularyPath) {
        do {
            vocabulary = try Vocabulary(contentsOf: defaultVocabularyPath, eos: eosIDs)
        } catch {
            throw CLIError("cannot load the default vocabulary: \(error)")
        }
        name = defaultVocabularyPath
    } else {
        vocabulary = byteVocabulary()
        name = "bytes"
    }
    let prepared = PreparedVocabulary(vocabulary)
    return (prepared, elapsedMilliseconds(since: start), name)
}

/// A vocabulary of the 256 single bytes and an EOS token (id 256): feeding it is feeding bytes.
func byteVocabulary() -> Vocabulary {
    Vocabulary(tokens: (0...255).map { [UInt8($0)] } + [Array("<eos>".utf8)], special: [256], eos: [256])
}

/// Milliseconds since `start`.
func elapsedMilliseconds(since start: DispatchTime) -> Double {
    Double(DispatchTime.now().uptimeNanoseconds - start.uptimeNanoseconds) / 1e6
}

/// The valued options shared by schema commands.
let schemaValuedOptions: Set<String> = ["whitespace", "property-order"]

/// The flags shared by schema commands.
let schemaFlags: Set<String> = ["lenient", "no-format-assertion", "portable-formats", "portable-patterns", "portable",
                                   "reject-unknown-formats", "refuse-format-subsets", "format-supersets"]

/// Builds schema-compiler options from the shared options (`schemaValuedOptions`, `schemaFlags`).
func schemaOptions(_ args: Arguments) throws(UsageError) -> JSONSchemaOptions {
    var options = JSONSchemaOptions()
    switch args.options["whitespace"] {
    case nil, "flexible": break
    case "compact": options.whitespace = .compact
    case let text?:
        guard text.hasPrefix("flexible:"), let n = Int(text.dropFirst("flexible:".count)), n >= 0 else {
            throw UsageError("--whitespace takes compact, flexible or flexible:N")
        }
        options.whitespace = .flexible(maxRun: n)
    }
    switch args.options["property-order"] {
    case nil, "declared": break
    case "any": options.propertyOrder = .any
    case let text?: throw UsageError("--property-order takes declared or any, not '\(text)'")
    }
    options.lenient = args.flags.contains("lenient")
    if args.flags.contains("no-format-assertion") { options.assertFormat = false }
    options.portableFormats = !args.flags.isDisjoint(with: ["portable-formats", "portable"])
    options.portablePatterns = !args.flags.isDisjoint(with: ["portable-patterns", "portable"])
    if args.flags.contains("reject-unknown-formats") { options.unknownFormats = .error }
    if args.flags.contains("refuse-format-subsets") { options.formatSubsets = .refuse }
    if args.flags.contains("format-supersets") {
        guard options.formatSubsets == .produce else { throw UsageError("--format-supersets and --refuse-format-subsets exclude each other") }
        options.formatSubsets = .widen
    }
    return options
}

/// Help text for the options shared by schema commands.
let schemaOptionsHelp = """
      --whitespace W        compact | flexible (default: up to 20 JSON whitespace bytes between tokens) | flexible:N
      --lenient             skip keywords that are not enforced, listing each on stderr, instead of failing
      --no-format-assertion treat `format` as an annotation (not enforced)
      --reject-unknown-formats  a `format` JSON Schema does not define is an error (default: an annotation, listed)
      --refuse-format-subsets   hostname, regex, idn-hostname, idn-email are errors (default: a sound subset is produced, listed)
      --format-supersets    hostname, regex, idn-hostname, idn-email are enforced as supersets: every valid value, some invalid ones (listed)
      --portable-formats    date/time formats without leap seconds and year 0000 (values common validators reject)
      --portable-patterns   patterns read so that ECMA-262 and Python's re agree on every output (see README)
      --portable            both of the above: outputs every common validator accepts
      --property-order O    declared (default: declared properties in schema order) | any (each at most once, any order)
    """

/// A JSON object line for `--json` output.
func jsonLine(_ members: [(String, JSONValue)]) -> String {
    JSONSerializer.compact.serialize(.object(JSONObject(members.map { (key: $0.0, value: $0.1) })))
}

extension JSONValue {
    /// A number value from a Double, rounded to 3 decimals.
    static func double(_ d: Double) -> JSONValue {
        guard d.isFinite else { return .null }
        let text = String(format: "%.3f", d)
        return .number(JSONNumber(text) ?? JSONNumber(0))
    }

    /// A number value from an Int.
    static func int(_ i: Int) -> JSONValue { .number(JSONNumber(i)) }
}

/// The non-empty lines of a JSON Lines file (at most `limit`), parsed, with their line numbers.
func readJSONLines(_ path: String, limit: Int = .max) throws(CLIError) -> [(line: Int, value: JSONValue)] {
    let bytes = try readFile(path)
    var values: [(Int, JSONValue)] = []
    var number = 0
    for line in bytes.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false) where values.count < limit {
        number += 1
        guard line.contains(where: { $0 != UInt8(ascii: " ") && $0 != UInt8(ascii: "\r") }) else { continue }
        do { values.append((number, try JSONParser().parse(bytes: Array(line)))) } catch {
            throw CLIError("\(path):\(number): \(error)")
        }
    }
    return values
}

/// The entries of a `--known-failures` file: one a line, blank lines and `#` comments skipped
/// (none without a file).
func readKnownFailures(_ path: String?) throws(CLIError) -> Set<String> {
    guard let path else { return [] }
    return Set(String(decoding: try readFile(path), as: UTF8.self).split(separator: "\n")
        .map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty && !$0.hasPrefix("#") })
}

/// The `p`-th percentile (0–100) of ascending `sorted` values, interpolating linearly between
/// ranks (numpy's default); 0 for no values.
func percentile(sorted: [Double], _ p: Double) -> Double {
    guard !sorted.isEmpty else { return 0 }
    let rank = p / 100 * Double(sorted.count - 1)
    let low = Int(rank.rounded(.down)), high = min(low + 1, sorted.count - 1)
    return sorted[low] + (sorted[high] - sorted[low]) * (rank - Double(low))
}
