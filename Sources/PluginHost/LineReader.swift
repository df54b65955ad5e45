import Foundation
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// Reads a pipe on its own thread and hands each line (its bytes, without the newline) to a
/// callback, which must not keep the slice beyond the call, then calls `onEnd` once at end of file or when stopped. Long lines are cut
/// into pieces of at most `maximumLineLength` bytes so a misbehaving child cannot make
/// us buffer without bound. Owns the descriptor and closes it at the end.
final class LineReader: Sendable {
    static let maximumLineLength = 16 * 1024

    /// Shared with the reading thread (an Atomic cannot be captured by copy).
    private final class StopFlag: Sendable {
        let requested = Atomic<Bool>(false)
    }

    private let stopFlag = StopFlag()
    private let finished = AsyncSignal<Void>()

    init(
        fd: Int32, name: String,
        onLine: @escaping @Sendable (ArraySlice<UInt8>) -> Void,
        onEnd: @escaping @Sendable () -> Void = {}
    ) {
        let stopFlag = self.stopFlag
        let finished = self.finished
        let thread = Thread {
            LineReader.readLines(fd: fd, stopFlag: stopFlag, onLine: onLine)
            close(fd)
            onEnd()
            finished.fulfill(())
        }
        thread.name = name
        thread.stackSize = 128 * 1024
        thread.start()
    }

    /// Makes the reader give up at its next poll (within 100 ms) even without end of
    /// file: used when a process that escaped the group still holds the pipe open.
    func stop() { stopFlag.requested.store(true, ordering: .relaxed) }

    /// Waits for end of file up to `timeout`, then stops the reader; returns once it ended.
    func finish(within timeout: Duration) async {
        if await finished.wait(timeout: timeout) != nil { return }
        stop()
        _ = await finished.wait()
    }

    /// How much one read takes: a flooding child costs one wake-up per 64 KiB, not per line.
    static let readSize = 64 * 1024

    private static func readLines(fd: Int32, stopFlag: StopFlag, onLine: (ArraySlice<UInt8>) -> Void) {
        var pending: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: readSize)
        func emit(_ bytes: ArraySlice<UInt8>) {
            var line = bytes
            if line.last == UInt8(ascii: "\r") { line = line.dropLast() }
            onLine(line)
        }
        while !stopFlag.requested.load(ordering: .relaxed) {
            var descriptor = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
            let ready = poll(&descriptor, 1, 100)
            if ready < 0 && errno != EINTR { break }
            if ready <= 0 { continue }
            let count = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if count < 0 {
                if errno == EINTR || errno == EAGAIN { continue }
                break
            }
            if count == 0 { break }
            pending.append(contentsOf: buffer[0..<count])
            var start = pending.startIndex
            while let newline = firstNewline(in: pending, from: start) {
                // A line that grew past the bound within this read is cut like any other.
                while newline - start > maximumLineLength {
                    emit(pending[start..<start + maximumLineLength])
                    start += maximumLineLength
                }
                emit(pending[start..<newline])
                start = newline + 1
            }
            pending.removeSubrange(pending.startIndex..<start)
            while pending.count >= maximumLineLength {
                emit(pending[0..<maximumLineLength])
                pending.removeSubrange(0..<maximumLineLength)
            }
        }
        if !pending.isEmpty { emit(pending[...]) }
    }

    /// The index of the first "\n" in `bytes` at or after `start`, found with memchr (a
    /// flood of lines must not cost a generic comparison per byte).
    private static func firstNewline(in bytes: [UInt8], from start: Int) -> Int? {
        guard start < bytes.count else { return nil }
        return bytes.withUnsafeBytes { raw -> Int? in
            guard let base = raw.baseAddress,
                  let found = memchr(base + start, Int32(UInt8(ascii: "\n")), raw.count - start)
            else { return nil }
            return base.distance(to: UnsafeRawPointer(found))
        }
    }
}
