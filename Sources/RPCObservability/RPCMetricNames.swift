/// The names RPCObservability's metrics interceptors record under (the grpc-ecosystem
/// Prometheus interceptors' names, so existing dashboards and alerts apply). docs/observability.md
/// lists them with their labels.
public enum RPCMetricNames {
    /// Server: calls started (labels `grpc_type`, `grpc_service`, `grpc_method`).
    public static let serverStarted = "grpc_server_started_total"
    /// Server: calls ended, by status (the same labels plus `grpc_code`).
    public static let serverHandled = "grpc_server_handled_total"
    /// Server: request messages the handlers read.
    public static let serverMessagesReceived = "grpc_server_msg_received_total"
    /// Server: response messages the handlers sent.
    public static let serverMessagesSent = "grpc_server_msg_sent_total"
    /// Server: time from the call's start to the handler's end (a swift-metrics Timer).
    public static let serverHandlingTime = "grpc_server_handling_seconds"

    /// Client: calls started.
    public static let clientStarted = "grpc_client_started_total"
    /// Client: calls ended, by status (`grpc_code`).
    public static let clientHandled = "grpc_client_handled_total"
    /// Client: request messages sent (every attempt's).
    public static let clientMessagesSent = "grpc_client_msg_sent_total"
    /// Client: response messages received.
    public static let clientMessagesReceived = "grpc_client_msg_received_total"
    /// Client: time from the call's start until the caller's response handling ended.
    public static let clientHandlingTime = "grpc_client_handling_seconds"
}
