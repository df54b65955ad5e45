import OracleMessages
import Wire

/// The record kinds shared with python/oracle.py (`message_classes()` there, same order).
enum MessageKind: UInt8, CaseIterable {
    case allTypes = 0, allTypes2, withRequired, wellKnown, keywords

    static let partialFlag: UInt8 = 0x80

    /// Decodes and re-encodes one record; the status byte tells Python what happened.
    func roundTrip(_ bytes: [UInt8], partial: Bool) -> Record {
        switch self {
        case .allTypes: MessageKind.roundTrip(Oracle3_AllTypes.self, bytes, partial)
        case .allTypes2: MessageKind.roundTrip(Oracle2_AllTypes2.self, bytes, partial)
        case .withRequired: MessageKind.roundTrip(Oracle2_WithRequired.self, bytes, partial)
        case .wellKnown: MessageKind.roundTrip(Oracle3_WellKnown.self, bytes, partial)
        case .keywords: MessageKind.roundTrip(Oracle3_Keywords.self, bytes, partial)
        }
    }

    enum Status: UInt8 { case ok = 0, decodeError = 1, encodeError = 2 }

    static func roundTrip<M: Message>(_: M.Type, _ bytes: [UInt8], _ partial: Bool) -> Record {
        let message: M
        do {
            message = try M(serializedBytes: bytes, partial: partial)
        } catch {
            return Record(head: Status.decodeError.rawValue, bytes: Array("\(error)".utf8))
        }
        do {
            return Record(head: Status.ok.rawValue, bytes: try message.serializedBytes(partial: partial))
        } catch {
            return Record(head: Status.encodeError.rawValue, bytes: Array("\(error)".utf8))
        }
    }
}

/// The reverse direction's messages: the same seed always yields the same sequence, so
/// `generate` and `compare` (separate processes) agree on what was built.
struct ReverseMessages {
    enum Built {
        case allTypes(Oracle3_AllTypes)
        case allTypes2(Oracle2_AllTypes2)
        case withRequired(Oracle2_WithRequired)
        case wellKnown(Oracle3_WellKnown)
        case keywords(Oracle3_Keywords)

        var kind: MessageKind {
            switch self {
            case .allTypes: .allTypes
            case .allTypes2: .allTypes2
            case .withRequired: .withRequired
            case .wellKnown: .wellKnown
            case .keywords: .keywords
            }
        }

        func encoded() throws -> [UInt8] {
            switch self {
            case .allTypes(let m): try m.serializedBytes()
            case .allTypes2(let m): try m.serializedBytes()
            case .withRequired(let m): try m.serializedBytes()
            case .wellKnown(let m): try m.serializedBytes()
            case .keywords(let m): try m.serializedBytes()
            }
        }

        /// True when `bytes` decode to a message equal to this one.
        func decodesEqual(_ bytes: [UInt8]) throws -> Bool {
            switch self {
            case .allTypes(let m): try Oracle3_AllTypes(serializedBytes: bytes) == m
            case .allTypes2(let m): try Oracle2_AllTypes2(serializedBytes: bytes) == m
            case .withRequired(let m): try Oracle2_WithRequired(serializedBytes: bytes) == m
            case .wellKnown(let m): try Oracle3_WellKnown(serializedBytes: bytes) == m
            case .keywords(let m): try Oracle3_Keywords(serializedBytes: bytes) == m
            }
        }
    }

    static func build(seed: UInt64, count: Int) -> [Built] {
        var proto2 = RandomProto2(base: RandomProto3(random: SeededRandom(seed: seed)))
        return (0..<count).map { _ in
            let depth = Int.random(in: 0...3, using: &proto2.base.random)
            let density = [0.05, 0.2, 0.4, 0.7, 0.95].randomElement(using: &proto2.base.random)!
            let roll = Int.random(in: 0..<100, using: &proto2.base.random)
            switch roll {
            case 0..<40: return .allTypes(proto2.base.allTypes(depth: depth, density: density))
            case 40..<75: return .allTypes2(proto2.allTypes2(depth: depth, density: density))
            case 75..<85: return .withRequired(proto2.withRequired(depth: depth, density: density))
            case 85..<95: return .wellKnown(proto2.base.wellKnown(depth: depth, density: density))
            default: return .keywords(proto2.base.keywords(density: density))
            }
        }
    }
}
