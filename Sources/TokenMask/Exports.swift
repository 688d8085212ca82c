@_exported import Automata
@_exported import Grammar
