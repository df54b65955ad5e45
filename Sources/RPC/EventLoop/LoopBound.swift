/// A reference to a loop-confined object that may travel between threads but is only ever
/// dereferenced on its loop (through `execute`). This is what makes handing work from handler
/// tasks to connections safe without locks on the connection itself.
struct LoopBound<Value: AnyObject>: @unchecked Sendable {
    let loop: EventLoop
    private let value: Value

    init(_ value: Value, loop: EventLoop) {
        self.value = value
        self.loop = loop
    }

    /// Runs `body` with the value on its loop; false (and `body` never runs) once the loop
    /// has stopped.
    @discardableResult
    func execute(_ body: @escaping @Sendable (Value) -> Void) -> Bool {
        loop.execute { body(self.value) }
    }

    /// The value when called on its loop thread, else nil. A handler task running on its
    /// loop (`Server.HandlerExecutor.eventLoop`) runs as one of the loop's jobs, never inside
    /// the connection's own code, so it may act on the value at once instead of queueing a
    /// closure (an allocation, the inbox lock and a later turn). Everything such a task hands
    /// to the value must take the same path, so that what it does stays in order.
    var valueIfOnLoop: Value? {
        loop.inEventLoop ? value : nil
    }

    /// The value; only valid on the loop thread.
    var valueOnLoop: Value {
        loop.assertInLoop()
        return value
    }
}
