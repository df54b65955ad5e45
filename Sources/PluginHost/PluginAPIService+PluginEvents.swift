import RPC

/// `PublishPluginEvent`, served by PluginHost itself (the host application's `PluginAPI` has
/// no part in it): the event goes to every other active plugin that implements OnPluginEvent.
/// Only a supervised plugin's calls carry a `PluginEventRoute`; without one, `serve` answers
/// UNIMPLEMENTED before the body runs.
extension PluginAPIService {
    public func publishPluginEvent(
        _ request: Mattermost_Pluginapi_V1_PublishPluginEventRequest, context: ServerContext
    ) async throws -> Mattermost_Pluginapi_V1_PublishPluginEventResponse {
        try await serve(.publishPluginEvent) {
            (response: inout Mattermost_Pluginapi_V1_PublishPluginEventResponse) async throws(PluginAppError) in
            guard let route = PluginEventRoute.current else { throw .unimplemented(.publishPluginEvent) }
            guard (1...PluginEventBus.maximumTopicBytes).contains(request.topic.utf8.count) else {
                throw PluginAppError(
                    id: "plugin.event.topic", message: "the topic must be 1-\(PluginEventBus.maximumTopicBytes) bytes",
                    statusCode: 400, location: "PluginAPI.PublishPluginEvent")
            }
            guard request.payload.count <= PluginEventBus.maximumPayloadBytes else {
                throw PluginAppError(
                    id: "plugin.event.payload", message: "the payload is larger than 1 MiB", statusCode: 413,
                    location: "PluginAPI.PublishPluginEvent")
            }
            guard let delivered = await route.bus.publish(
                from: route.publisherID, topic: request.topic, payload: request.payload)
            else {
                throw PluginAppError(
                    id: "plugin.event.busy",
                    message: "more than \(PluginEventBus.maximumInFlightPerPublisher) events of this plugin are being delivered",
                    statusCode: 429, location: "PluginAPI.PublishPluginEvent")
            }
            response.delivered = Int32(clamping: delivered)
        }
    }
}
