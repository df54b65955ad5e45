import OracleMessages
import Wire

/// One fuzz input for Wire decoding: the first byte picks the message type (and whether
/// required fields may be missing), the rest is decoded as that message. Whatever decodes must
/// encode, and the encoding must decode to the same message again.
public enum WireDecodeHarness {
    /// A decoded message that does not survive encoding and decoding again.
    public struct RoundTripFailure: Error, CustomStringConvertible {
        public let description: String
    }

    /// Runs one input; throws only when Wire broke its contract (malformed input merely fails to decode).
    public static func run(_ input: [UInt8]) throws(RoundTripFailure) {
        guard let selector = input.first else { return }
        let (bytes, partial) = (Array(input.dropFirst()), selector & 0x80 != 0)
        // The oracle schemas' top-level messages (the record kinds of Tests/WireOracle, same
        // order): together they hold every field kind Wire implements (scalars, enums open and
        // closed, groups, maps, oneofs, well-known types, recursion, required fields, keywords).
        switch (selector & 0x7F) % 5 {
        case 0: try roundTrip(Oracle3_AllTypes.self, bytes, partial: partial)
        case 1: try roundTrip(Oracle2_AllTypes2.self, bytes, partial: partial)
        case 2: try roundTrip(Oracle2_WithRequired.self, bytes, partial: partial)
        case 3: try roundTrip(Oracle3_WellKnown.self, bytes, partial: partial)
        default: try roundTrip(Oracle3_Keywords.self, bytes, partial: partial)
        }
    }

    static func roundTrip<M: Message & Equatable>(_: M.Type, _ bytes: [UInt8], partial: Bool) throws(RoundTripFailure) {
        guard let message = try? M(serializedBytes: bytes, partial: partial) else { return }
        let encoded: [UInt8]
        do {
            encoded = try message.serializedBytes(partial: partial)
        } catch {
            throw RoundTripFailure(description: "\(M.self) decoded but does not encode: \(error)")
        }
        let again: M
        do {
            again = try M(serializedBytes: encoded, partial: partial)
        } catch {
            throw RoundTripFailure(description: "\(M.self): its own encoding does not decode: \(error)")
        }
        guard again != message else { return }
        // A NaN field makes equal messages compare unequal. Then the encodings must match, but a
        // map's entries may come out in another order (dictionary order), so only their bytes
        // taken as a multiset can be compared (Corpus/wire-decode/nan-and-map is such a message).
        let reencoded = try? again.serializedBytes(partial: partial)
        guard let reencoded, reencoded.count == encoded.count, reencoded == encoded || reencoded.sorted() == encoded.sorted() else {
            throw RoundTripFailure(description: "\(M.self) changed in an encode/decode round trip")
        }
    }
}
