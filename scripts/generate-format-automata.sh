#!/bin/bash
# Writes Sources/Automata/FormatAutomata+Tables.swift: the minimal automata of the formats listed in
# FormatAutomata.formats, as the construction builds them (FormatAutomataTests in writing mode), then
# checks the written tables against the construction. Run after changing a format's language, the
# string encoding or the automaton construction (the test fails until then).
set -euo pipefail
cd "$(dirname "$0")/.."
GRAMC_WRITE_FORMAT_AUTOMATA=1 swift test --filter FormatAutomataTests.writeTables
swift test --filter FormatAutomataTests
