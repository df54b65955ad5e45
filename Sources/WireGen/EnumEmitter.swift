/// Emits a protobuf enum as a Swift enum. Open (proto3) enums get `UNRECOGNIZED(Int32)` so
/// any number survives a round trip; closed (proto2) enums fail `init?(rawValue:)` instead.
struct EnumEmitter {
    let info: TypeRegistry.EnumInfo
    let access: String
    let path: [Int32]
    let comments: SourceComments

    func emit(into out: inout SourceWriter) {
        let localName = String(info.swiftName.split(separator: ".").last!)
        // The first value with a given number is the case; later ones (allow_alias) are aliases.
        var cases: [(name: String, number: Int32, index: Int)] = []
        var aliases: [(name: String, target: String)] = []
        var seenNumbers: [Int32: String] = [:]
        for (index, value) in info.descriptor.value.enumerated() {
            let name = info.caseNames[value.name]!
            if let target = seenNumbers[value.number] {
                aliases.append((name, target))
            } else {
                seenNumbers[value.number] = name
                cases.append((name, value.number, index))
            }
        }

        for line in comments.docLines(path) { out.line(line) }
        out.block("\(access)enum \(localName): Wire.WireEnum, CaseIterable") { out in
            for item in cases {
                for line in comments.docLines(path + [2, Int32(item.index)]) { out.line(line) }
                out.line("case \(Naming.declared(item.name)) // = \(item.number)")
            }
            if !info.isClosed {
                out.line("/// A number this version of the schema does not declare.")
                out.line("case UNRECOGNIZED(Int32)")
            }
            out.line()
            out.line("\(access)init() { self = .\(info.defaultCase) }")
            out.line()
            out.block("\(access)init?(rawValue: Int32)") { out in
                out.switchBlock("rawValue") { out in
                    for item in cases { out.line("case \(item.number): self = .\(item.name)") }
                    out.line(info.isClosed ? "default: return nil" : "default: self = .UNRECOGNIZED(rawValue)")
                }
            }
            out.line()
            out.block("\(access)var rawValue: Int32") { out in
                out.switchBlock("self") { out in
                    for item in cases { out.line("case .\(item.name): return \(item.number)") }
                    if !info.isClosed { out.line("case .UNRECOGNIZED(let number): return number") }
                }
            }
            out.line()
            let all = cases.map { "." + $0.name }.joined(separator: ", ")
            out.line("\(access)static let allCases: [\(localName)] = [\(all)]")
            for alias in aliases {
                out.line("\(access)static let \(Naming.declared(alias.name)) = \(localName).\(alias.target)")
            }
        }
    }
}
