import Testing
@testable import RPC

/// How `StreamDeframer` reserves storage for a message arriving over many DATA chunks,
/// without sockets: ahead of the bytes that arrived by a bounded factor, never beyond the
/// announced length nor the memory budget's room, and what it reserves is what it reports
/// as held (what its stream charges to the budget).
@Suite struct DeframerReservationTests {
    typealias Deframer = StreamDeframer

    // MARK: The rule

    @Test func withAmpleRoomItReservesSixteenTimesWhatArrived() {
        #expect(Deframer.reservation(toHold: 1000, reserved: 0, announced: 1 << 20, room: .max) == 16_000)
        // Never beyond the announced length.
        #expect(Deframer.reservation(toHold: 100_000, reserved: 16_000, announced: 1 << 20, room: .max) == 1 << 20)
        // Nothing new while what is reserved holds the bytes.
        #expect(Deframer.reservation(toHold: 15_000, reserved: 16_000, announced: 1 << 20, room: 0) == 16_000)
    }

    @Test func theRoomBoundsWhatIsReservedBeyondWhatIsHeld() {
        // 16 x 1000 wanted, 5000 more affordable on top of the 2000 reserved.
        #expect(Deframer.reservation(toHold: 3000, reserved: 2000, announced: 1 << 20, room: 5000) == 7000)
    }

    @Test func withTooLittleRoomItGrowsJustEnoughForWhatArrived() {
        #expect(Deframer.reservation(toHold: 3000, reserved: 2000, announced: 1 << 20, room: 500) == 3000)
        #expect(Deframer.reservation(toHold: 3000, reserved: 2000, announced: 1 << 20, room: 0) == 3000)
        #expect(Deframer.reservation(toHold: 3000, reserved: 2000, announced: 1 << 20, room: -10) == 3000)
    }

    @Test func withoutRoomTheLeastStepIsAnEighthOfWhatIsReserved() {
        #expect(Deframer.reservation(toHold: 1_000_001, reserved: 1_000_000, announced: 4 << 20, room: 0) == 1_125_000)
        // Never beyond the announced length, always the bytes that arrived.
        #expect(Deframer.reservation(toHold: 1_000_001, reserved: 1_000_000, announced: 1_000_010, room: 0) == 1_000_010)
        #expect(Deframer.reservation(toHold: 1_500_000, reserved: 1_000_000, announced: 4 << 20, room: 0) == 1_500_000)
        // Not reserving ahead: the least step, whatever the room.
        #expect(Deframer.reservation(toHold: 1_000_001, reserved: 1_000_000, announced: 4 << 20, room: .max, ahead: false) == 1_125_000)
    }

    @Test func hugeCountsAndRoomsDoNotOverflow() {
        let announced = Int(UInt32.max)
        #expect(Deframer.reservation(toHold: .max / 4, reserved: 0, announced: .max / 2, room: .max) == .max / 2)
        #expect(Deframer.reservation(toHold: 1 << 30, reserved: 1 << 29, announced: announced, room: .max) == announced)
    }

    // MARK: The deframer

    /// A stream announcing a large message and sending a little of it reserves 16x that
    /// when the room allows, and only what arrived when it does not; either way `heldBytes`
    /// is what was reserved, plus the prefix.
    @Test func aLargeAnnouncementWithALittleBodyHoldsWhatTheRoomAllows() throws {
        let announced = 4 << 20
        let chunk = prefix(length: announced) + [UInt8](repeating: 7, count: 20_000)
        var ample = Deframer(maxMessageSize: 8 << 20)
        try feed(&ample, chunk, room: .max)
        #expect(ample.bufferedCount == 5 + 20_000)
        #expect(ample.heldBytes == 5 + 16 * 20_000)

        var tight = Deframer(maxMessageSize: 8 << 20)
        try feed(&tight, chunk, room: 1000)
        #expect(tight.heldBytes == 5 + 20_000)

        var some = Deframer(maxMessageSize: 8 << 20)
        try feed(&some, chunk, room: 50_000)
        #expect(some.heldBytes == 50_000, "the prefix takes its share of the room")
    }

    /// Within one chunk the room shrinks by what the chunk already took: a chunk that ends
    /// one message (queued, charged by `emit`) and starts another reserves for the second
    /// only what is left, its prefix counted, so the budget ends exactly full.
    @Test func oneChunkReservesNoMoreThanTheRoomItLeaves() throws {
        let budget = MemoryBudget(limit: 3005 + 50_000)
        var deframer = Deframer(maxMessageSize: 8 << 20)
        var charged = 0
        func settle() {
            let held = deframer.heldBytes
            if held > charged { budget.charge(held - charged) } else { budget.release(charged - held) }
            charged = held
        }
        try feed(&deframer, prefix(length: 3000) + [UInt8](repeating: 1, count: 1000), room: { budget.room })
        settle()
        #expect(deframer.heldBytes == 5 + 3000)
        // Completes the first (already reserved in full) and starts a 1 MiB one with 10 KiB.
        var emitted: [Int] = []
        let second = [UInt8](repeating: 2, count: 2000) + prefix(length: 1 << 20) + [UInt8](repeating: 3, count: 10_000)
        try second.withUnsafeBytes { bytes in
            try deframer.process(bytes, room: { budget.room }) { message in
                budget.charge(message.wireSize)
                emitted.append(message.bytes.count)
            }
        }
        settle()
        #expect(emitted == [3000])
        #expect(deframer.heldBytes == 50_000)
        #expect(budget.usedBytes == budget.limit, "the reservation takes the room left and no more")
        #expect(!budget.isSpent)
    }

    /// A message exactly as large as a budget goes through it: the storage grows in a few
    /// steps and the budget, charged with what is held, is never spent before the message
    /// is complete (a spent budget would stop the reads that complete it).
    @Test func aMessageAsLargeAsTheBudgetCompletesWithoutSpendingIt() throws {
        let size = 8 << 20
        let budget = MemoryBudget(limit: MemoryBudget.connectionLimit(configured: size, fixedBytes: 0))
        var deframer = Deframer(maxMessageSize: size)
        let message = (0..<size).map { UInt8(truncatingIfNeeded: $0 &* 31) }
        let wire = prefix(length: size) + message
        var charged = 0
        var steps = 0
        var received: [UInt8]?
        var offset = 0
        // Bounded: 16 KiB per round.
        while offset < wire.count {
            #expect(!budget.isSpent, "spent at \(offset) of \(wire.count) bytes")
            let end = min(wire.count, offset + 16 << 10)
            let reservedBefore = deframer.reservedBodyBytes
            try wire[offset..<end].withUnsafeBytes { bytes in
                try deframer.process(bytes, room: { budget.room }) { message in
                    budget.charge(message.memoryCost)
                    received = message.bytes
                }
            }
            if deframer.reservedBodyBytes > reservedBefore { steps += 1 }
            let held = deframer.heldBytes
            if held > charged { budget.charge(held - charged) } else { budget.release(charged - held) }
            charged = held
            #expect(budget.usedBytes <= budget.limit)
            offset = end
        }
        #expect(received == message)
        #expect(!budget.isSpent, "queued, the message holds the budget and no more")
        #expect(steps <= 4, "\(steps) growth steps")
    }

    /// Alone on a connection with room to spare, a 64 MiB message grows in three steps
    /// (16 KiB -> 256 KiB -> 4 MiB -> 64 MiB), not by doubling.
    @Test func aSixtyFourMebibyteMessageGrowsInThreeSteps() throws {
        let size = 64 << 20
        var deframer = Deframer(maxMessageSize: size)
        var steps = 0
        var completed = 0
        var first = true
        let body = [UInt8](repeating: 9, count: 16 << 10)
        // Bounded: 4096 chunks of 16 KiB.
        for _ in 0..<(size / body.count) {
            let chunk = first ? prefix(length: size) + body : body
            first = false
            let reservedBefore = deframer.reservedBodyBytes
            try chunk.withUnsafeBytes { bytes in
                try deframer.process(bytes, room: { 1 << 30 }) { message in
                    completed += 1
                    #expect(message.bytes.count == size)
                }
            }
            if deframer.reservedBodyBytes > reservedBefore { steps += 1 }
        }
        #expect(completed == 1)
        #expect(steps == 3, "\(steps) growth steps")
    }

    /// A message arriving one byte per DATA frame while the budget has no room is not
    /// copied once per frame: its storage grows by an eighth at a time.
    @Test func aMessageArrivingInTinyPiecesWithoutRoomGrowsInFewSteps() throws {
        var deframer = Deframer(maxMessageSize: 8 << 20)
        try feed(&deframer, prefix(length: 4 << 20) + [UInt8](repeating: 6, count: 1 << 20), room: 0)
        #expect(deframer.reservedBodyBytes == 1 << 20)
        var steps = 0
        let piece: [UInt8] = [6]
        // Bounded: 100,000 one-byte chunks.
        for _ in 0..<100_000 {
            let before = deframer.reservedBodyBytes
            try feed(&deframer, piece, room: 0)
            if deframer.reservedBodyBytes > before { steps += 1 }
        }
        #expect(steps == 1, "\(steps) copies")
        #expect(deframer.heldBytes == 5 + (1 << 20) + (1 << 17))
    }

    /// Once its reservation was given back, a message reserves nothing ahead any more
    /// (else a peer could have it reserved and given back, a copy each time, at will).
    @Test func aMessageWhoseReservationWasGivenBackReservesNoFurtherAhead() throws {
        var deframer = Deframer(maxMessageSize: 8 << 20)
        try feed(&deframer, prefix(length: 4 << 20) + [UInt8](repeating: 6, count: 100_000), room: .max)
        #expect(deframer.heldBytes == 5 + 1_600_000)
        #expect(deframer.releaseReservedAhead() == 1_500_000)
        try feed(&deframer, [6], room: .max)
        #expect(deframer.heldBytes == 5 + 112_500, "the least step, not 16x")
        #expect(deframer.releaseReservedAhead() == 0, "given back once per message")
    }

    /// Storage reserved ahead is given back when asked (the budget is spent), keeping what
    /// arrived; a discarded message holds nothing.
    @Test func reservedStorageIsGivenBackAndDiscardHoldsNothing() throws {
        var deframer = Deframer(maxMessageSize: 8 << 20)
        try feed(&deframer, prefix(length: 1 << 20) + [UInt8](repeating: 4, count: 10_000), room: .max)
        #expect(deframer.heldBytes == 5 + 160_000)
        #expect(deframer.releaseReservedAhead() == 150_000)
        #expect(deframer.heldBytes == 5 + 10_000)
        #expect(deframer.releaseReservedAhead() == 0)
        // The rest still completes the message, bytes intact.
        var received: [UInt8]?
        let rest = [UInt8](repeating: 4, count: (1 << 20) - 10_000)
        try rest.withUnsafeBytes { bytes in
            try deframer.process(bytes, room: { .max }) { received = $0.bytes }
        }
        #expect(received == [UInt8](repeating: 4, count: 1 << 20))
        #expect(deframer.heldBytes == 0)
        try feed(&deframer, prefix(length: 1 << 20) + [UInt8](repeating: 4, count: 10_000), room: .max)
        deframer.discardPartial()
        #expect(deframer.heldBytes == 0 && deframer.bufferedCount == 0)
    }

    /// A bad prefix after a partly received message completes it: the deframer then holds
    /// nothing, whatever it held before (what its stream must give back is what it charged).
    @Test func aBadPrefixAfterAPartialMessageLeavesNothingHeld() throws {
        var deframer = Deframer(maxMessageSize: 8 << 20)
        try feed(&deframer, prefix(length: 200) + [UInt8](repeating: 5, count: 100), room: .max)
        #expect(deframer.heldBytes == 5 + 200)
        var emitted = 0
        let rest = [UInt8](repeating: 5, count: 100) + [2, 0, 0, 0, 0]
        #expect(throws: MessageDeframingError.self) {
            try rest.withUnsafeBytes { bytes in try deframer.process(bytes, room: { .max }) { _ in emitted += 1 } }
        }
        #expect(emitted == 1)
        #expect(deframer.heldBytes == 0)
    }

    // MARK: Helpers

    private func prefix(length: Int) -> [UInt8] {
        [0, UInt8(length >> 24 & 0xFF), UInt8(length >> 16 & 0xFF), UInt8(length >> 8 & 0xFF), UInt8(length & 0xFF)]
    }

    private func feed(_ deframer: inout Deframer, _ bytes: [UInt8], room: Int) throws {
        try feed(&deframer, bytes, room: { room })
    }

    private func feed(_ deframer: inout Deframer, _ bytes: [UInt8], room: () -> Int) throws {
        try bytes.withUnsafeBytes { chunk in
            try deframer.process(chunk, room: room) { _ in Issue.record("no message should complete") }
        }
    }
}
