import Glibc

/// Looks a host name up with the system resolver (getaddrinfo) on a short-lived helper thread,
/// so the event loop never blocks on DNS, and hands the result to `completion` on that thread.
enum DNSLookup {
    static func resolve(host: String, port: Int,
                        completion: @escaping @Sendable (Result<[SocketAddress], RPCError>) -> Void) {
        let work: @Sendable () -> Void = { completion(lookUp(host: host, port: port)) }
        if !HelperThread.run(work) {
            completion(.failure(RPCError(code: .unavailable, message: "could not start a thread to resolve \(host)")))
        }
    }

    /// The blocking lookup: IPv4 and IPv6 stream addresses, in the resolver's order, without duplicates.
    static func lookUp(host: String, port: Int) -> Result<[SocketAddress], RPCError> {
        var hints = addrinfo()
        hints.ai_family = AF_UNSPEC
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        var list: UnsafeMutablePointer<addrinfo>?
        let status = getaddrinfo(host, String(port), &hints, &list)
        guard status == 0 else {
            return .failure(RPCError(code: .unavailable,
                                     message: "DNS resolution of \(host) failed: \(String(cString: gai_strerror(status)))"))
        }
        defer { freeaddrinfo(list) }
        var addresses: [SocketAddress] = []
        var entry = list
        while let current = entry {
            if let address = socketAddress(current.pointee), !addresses.contains(address) { addresses.append(address) }
            entry = current.pointee.ai_next
        }
        guard !addresses.isEmpty else {
            return .failure(RPCError(code: .unavailable, message: "DNS resolution of \(host) returned no IPv4 or IPv6 address"))
        }
        return .success(addresses)
    }

    /// Copies one result's address (bounded by its own length) into storage and decodes it.
    private static func socketAddress(_ info: addrinfo) -> SocketAddress? {
        guard let raw = info.ai_addr, info.ai_family == AF_INET || info.ai_family == AF_INET6 else { return nil }
        var storage = sockaddr_storage()
        let length = min(Int(info.ai_addrlen), MemoryLayout<sockaddr_storage>.size)
        withUnsafeMutableBytes(of: &storage) { target in
            target.copyMemory(from: UnsafeRawBufferPointer(start: raw, count: length))
        }
        return SocketAddress(storage: storage)
    }
}

/// Runs blocking work on a detached thread of its own.
enum HelperThread {
    private final class Box {
        let work: @Sendable () -> Void
        init(_ work: @escaping @Sendable () -> Void) { self.work = work }
    }

    /// False when no thread could be started (`work` does not run).
    static func run(_ work: @escaping @Sendable () -> Void) -> Bool {
        let box = Unmanaged.passRetained(Box(work))
        var attributes = pthread_attr_t()
        pthread_attr_init(&attributes)
        defer { pthread_attr_destroy(&attributes) }
        pthread_attr_setdetachstate(&attributes, Int32(PTHREAD_CREATE_DETACHED))
        var handle = pthread_t()
        let result = pthread_create(&handle, &attributes, { raw in
            Unmanaged<Box>.fromOpaque(raw!).takeRetainedValue().work()
            return nil
        }, box.toOpaque())
        guard result == 0 else {
            box.release()
            return false
        }
        return true
    }
}
