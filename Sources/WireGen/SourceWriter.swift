/// Accumulates generated Swift source with indentation.
struct SourceWriter {
    private(set) var text = ""
    private var indentation = ""

    mutating func line(_ content: String = "") {
        if content.isEmpty {
            text += "\n"
        } else {
            text += indentation + content + "\n"
        }
    }

    /// Writes `header {`, the body one level deeper, then `}` (or `footer`).
    mutating func block(_ header: String, footer: String = "}", _ body: (inout SourceWriter) -> Void) {
        line(header + " {")
        indent()
        body(&self)
        outdent()
        line(footer)
    }

    /// Writes `switch subject {`, the cases at the same level (Swift style), then `}`.
    mutating func switchBlock(_ subject: String, _ body: (inout SourceWriter) -> Void) {
        line("switch \(subject) {")
        body(&self)
        line("}")
    }

    mutating func indent() { indentation += "    " }
    mutating func outdent() { indentation.removeLast(4) }
}
