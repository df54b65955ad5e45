/// Finds HTTP/2 frames in a byte stream fed in pieces, skipping payloads without keeping
/// them: the harnesses only need to know which streams a peer ended.
struct FrameScanner {
    struct Frame {
        let type: UInt8
        let flags: UInt8
        let streamID: UInt32

        static let data: UInt8 = 0, headers: UInt8 = 1, rstStream: UInt8 = 3, goAway: UInt8 = 7
        static let endStream: UInt8 = 0x1

        /// DATA or HEADERS with END_STREAM: the sender is done with the stream.
        var halfCloses: Bool { (type == Frame.data || type == Frame.headers) && flags & Frame.endStream != 0 }
        /// The sender's side of the stream is over (END_STREAM or RST_STREAM).
        var endsStream: Bool { halfCloses || type == Frame.rstStream }
    }

    /// Bytes of the client connection preface still to skip (24, or 0 for a server's stream).
    private var prefaceLeft: Int
    private var header: [UInt8] = []
    private var payloadLeft = 0
    /// The frame whose payload is being skipped; reported once all of it has arrived.
    private var current: Frame?

    init(skippingClientPreface: Bool) {
        prefaceLeft = skippingClientPreface ? 24 : 0
    }

    mutating func feed(_ bytes: some Collection<UInt8>, _ onFrame: (Frame) -> Void) {
        var index = bytes.startIndex
        while index != bytes.endIndex {
            if prefaceLeft > 0 {
                prefaceLeft -= 1
            } else if payloadLeft > 0 {
                let skip = min(payloadLeft, bytes.distance(from: index, to: bytes.endIndex))
                payloadLeft -= skip
                index = bytes.index(index, offsetBy: skip)
                if payloadLeft == 0, let frame = current { onFrame(frame) }
                continue
            } else {
                header.append(bytes[index])
                if header.count == 9 {
                    payloadLeft = Int(header[0]) << 16 | Int(header[1]) << 8 | Int(header[2])
                    let streamID = (UInt32(header[5]) << 24 | UInt32(header[6]) << 16 | UInt32(header[7]) << 8
                        | UInt32(header[8])) & 0x7FFF_FFFF
                    let frame = Frame(type: header[3], flags: header[4], streamID: streamID)
                    header.removeAll(keepingCapacity: true)
                    // A frame counts once complete: a truncated one tells the peer nothing yet.
                    if payloadLeft == 0 { onFrame(frame) } else { current = frame }
                }
            }
            index = bytes.index(after: index)
        }
    }
}
