import Synchronization

/// Counts one client call's messages (every attempt's), for interceptors that measure calls.
/// Made only for a channel with interceptors; the channel counts, interceptors read through
/// `ClientRequestContext` once `next` returned.
final class ClientMessageCounter: Sendable {
    private let sentMessages = Atomic<Int>(0)
    private let receivedMessages = Atomic<Int>(0)

    func noteSent() { sentMessages.wrappingAdd(1, ordering: .relaxed) }
    func noteReceived() { receivedMessages.wrappingAdd(1, ordering: .relaxed) }

    var sent: Int { sentMessages.load(ordering: .relaxed) }
    var received: Int { receivedMessages.load(ordering: .relaxed) }
}
