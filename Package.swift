// swift-tools-version: 6.0
import PackageDescription

let package = Package(
    name: "gramc",
    products: [
        .library(name: "Grammar", targets: ["Grammar"]),
        .library(name: "Automata", targets: ["Automata"]),
        .library(name: "TokenMask", targets: ["TokenMask"]),
        .executable(name: "gramc", targets: ["CLI"]),
    ],
    targets: [
        .target(name: "Grammar"),
        .target(name: "Automata", dependencies: ["Grammar"]),
        .target(name: "TokenMask", dependencies: ["Grammar", "Automata"]),
        .executableTarget(name: "CLI", dependencies: ["Grammar", "Automata", "TokenMask"]),
        .testTarget(name: "GrammarTests", dependencies: ["Grammar"]),
        .testTarget(name: "AutomataTests", dependencies: ["Grammar", "Automata"]),
        .testTarget(name: "TokenMaskTests", dependencies: ["Grammar", "Automata", "TokenMask"]),
    ],
    swiftLanguageModes: [.v6]
)
