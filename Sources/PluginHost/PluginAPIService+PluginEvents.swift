import RPC

/// `PublishPluginEvent`, served by PluginHost itself (the host application's `PluginAPI` has
/// no part in it): the event goes to every other active plugin that implements OnPluginEvent.
extension PluginAPIService {
    public func publishPluginEvent(
        _ request: Mattermost_Pluginapi_V1_PublishPluginEventRequest, context: ServerContext
    ) async throws -> Mattermost_Pluginapi_V1_PublishPluginEventResponse {
        guard let route = PluginEventRoute.current else {
            throw RPCError(code: .unimplemented, message: "PublishPluginEvent is served only to supervised plugins")
        }
        var response = Mattermost_Pluginapi_V1_PublishPluginEventResponse()
        let topicBytes = request.topic.utf8.count
        guard (1...PluginEventBus.maximumTopicBytes).contains(topicBytes) else {
            response.error = PluginAppError(
                id: "plugin.event.topic", message: "the topic must be 1-\(PluginEventBus.maximumTopicBytes) bytes",
                statusCode: 400, location: "PluginAPI.PublishPluginEvent"
            ).proto
            return response
        }
        guard request.payload.count <= PluginEventBus.maximumPayloadBytes else {
            response.error = PluginAppError(
                id: "plugin.event.payload", message: "the payload is larger than 1 MiB", statusCode: 413,
                location: "PluginAPI.PublishPluginEvent"
            ).proto
            return response
        }
        guard let delivered = await route.bus.publish(
            from: route.publisherID, topic: request.topic, payload: request.payload)
        else {
            response.error = PluginAppError(
                id: "plugin.event.busy",
                message: "more than \(PluginEventBus.maximumInFlightPerPublisher) events of this plugin are being delivered",
                statusCode: 429, location: "PluginAPI.PublishPluginEvent"
            ).proto
            return response
        }
        response.delivered = Int32(clamping: delivered)
        return response
    }
}
