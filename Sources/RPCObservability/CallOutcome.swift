import RPC

/// How a call ended, as interceptors record it.
struct CallOutcome: Sendable {
    let code: StatusCode
    let error: (any Error)?

    static let ok = CallOutcome(code: .ok, error: nil)

    /// The status of a call that threw `error`: an `RPCError`'s own code (the channel
    /// surfaces every failure as one), CANCELLED for a cancelled task, UNKNOWN for any other
    /// error, the rule the server applies to what its handlers throw.
    init(failure error: any Error) {
        switch error {
        case let rpcError as RPCError: code = rpcError.code
        case is CancellationError: code = .cancelled
        default: code = .unknown
        }
        self.error = error
    }

    /// How a server call ended: as the handler's outcome says (nil `error`: it returned),
    /// unless the server already ended the call on its own (`ServerContext.abortStatus`: the
    /// deadline passed, the client cancelled), which is then the status the client got.
    static func server(_ context: ServerContext, failure error: (any Error)?) -> CallOutcome {
        if let aborted = context.abortStatus { return CallOutcome(code: aborted, error: error) }
        guard let error else { return .ok }
        return CallOutcome(failure: error)
    }

    private init(code: StatusCode, error: (any Error)?) {
        self.code = code
        self.error = error
    }
}
