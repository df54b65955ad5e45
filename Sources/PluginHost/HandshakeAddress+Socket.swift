import RPC

/// The RPC address for a handshake address.
func socketAddress(_ address: Handshake.Address) -> SocketAddress {
    switch address {
    case .tcp(let host, let port):
        if host == "::1" { return .ipv6(host: host, port: port) }
        return .ipv4(host: host == "localhost" ? "127.0.0.1" : host, port: port)
    case .unix(let path):
        return .unix(path: path)
    }
}
