import Foundation
import PluginHost

extension DemoPluginAPI {
    // Slash commands: stored with the registering plugin; `DemoWorkspace.executeCommand` routes
    // an invocation to that plugin's ExecuteCommand hook.

    public func registerCommand(_ command: PluginSlashCommand) async throws(PluginAppError) {
        note("RegisterCommand(/\(command.trigger))")
        try DemoChecks.name(command.trigger, "trigger")
        if !command.teamID.isEmpty { _ = try teamRow(id: command.teamID) }
        try DemoChecks.text(command.displayName, "display_name", maximum: DemoChecks.maximumNameLength)
        try DemoChecks.text(command.description, "description")
        try DemoChecks.text(command.autoCompleteHint, "auto_complete_hint")
        try workspace.transaction { session throws(PluginAppError) in
            let owner = try session.run("SELECT plugin_id FROM commands WHERE team_id = ? AND trigger = ?",
                                        [.text(command.teamID), .text(command.trigger)]).first?.first?.string
            if let owner, owner != pluginID {
                throw PluginAppError(id: "app.command.taken", message: "/\(command.trigger) belongs to another plugin",
                                     statusCode: 409, location: "PluginAPI.RegisterCommand")
            }
            try session.run(
                "INSERT OR REPLACE INTO commands (\(DemoRows.commandColumns)) VALUES (?, ?, ?, ?, ?, ?, ?)",
                [.text(command.trigger), .text(command.teamID), .text(command.displayName), .text(command.description),
                 .text(command.autoCompleteHint), .integer(command.autoComplete ? 1 : 0), .text(pluginID)])
        }
    }

    public func unregisterCommand(teamID: String, trigger: String) async throws(PluginAppError) {
        note("UnregisterCommand(/\(trigger))")
        try DemoChecks.id(trigger, "trigger")
        try DemoChecks.text(teamID, "team_id", maximum: DemoChecks.maximumNameLength)
        let removed = try workspace.database.withSession { session throws(PluginAppError) -> Int in
            try session.run("DELETE FROM commands WHERE team_id = ? AND trigger = ? AND plugin_id = ?",
                            [.text(teamID), .text(trigger), .text(pluginID)])
            return session.changes
        }
        guard removed > 0 else { throw DemoChecks.notFound("command", trigger) }
    }

    public func commands(teamID: String) async throws(PluginAppError) -> [PluginSlashCommand] {
        note("ListPluginCommands(\(teamID))")
        try DemoChecks.text(teamID, "team_id", maximum: DemoChecks.maximumNameLength)
        return try all(
            "SELECT \(DemoRows.commandColumns) FROM commands WHERE plugin_id = ? AND (? = '' OR team_id IN (?, ''))"
                + " ORDER BY trigger, team_id",
            [.text(pluginID), .text(teamID), .text(teamID)], DemoRows.command)
    }

    /// The demo has no WebSocket clients: it records the event (`DemoWorkspace.publishedEvents`).
    public func publishWebSocketEvent(_ event: String, payloadJSON: String, to broadcast: PluginBroadcast)
        async throws(PluginAppError)
    {
        note("PublishWebSocketEvent(\(event))")
        try DemoChecks.name(event, "event")
        try DemoChecks.jsonObject(payloadJSON.isEmpty ? "{}" : payloadJSON, "payload_json")
        var userID = "", channelID = ""
        switch broadcast {
        case .user(let id):
            _ = try userRow(id: id)
            userID = id
        case .channel(let id):
            _ = try channelRow(id: id)
            channelID = id
        case .everyone: break
        }
        try workspace.run(
            "INSERT INTO websocket_events (plugin_id, event, payload_json, user_id, channel_id, create_at)"
                + " VALUES (?, ?, ?, ?, ?, ?)",
            [.text(pluginID), .text("custom_\(pluginID)_\(event)"), .text(payloadJSON.isEmpty ? "{}" : payloadJSON),
             .text(userID), .text(channelID), .integer(DemoWorkspace.now())])
    }

    /// The largest response body PluginHTTP passes on: a gRPC message is at most 4 MiB.
    static let maximumPluginHTTPBody = (4 << 20) - (64 << 10)

    /// Calls the target plugin's ServeHTTP hook through the environment, with the calling
    /// plugin named in `Mattermost-Plugin-ID` (as the server does for inter-plugin requests).
    public func pluginHTTP(_ request: PluginToPluginRequest) async throws(PluginAppError) -> PluginToPluginResponse {
        note("PluginHTTP(\(request.pluginID) \(request.method) \(request.url.prefix(60)))")
        try DemoChecks.id(request.pluginID, "plugin_id")
        guard ["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"].contains(request.method) else {
            throw DemoChecks.invalid("method", "an HTTP method")
        }
        guard request.url.hasPrefix("/"), request.url.count <= 2048 else {
            throw DemoChecks.invalid("url", "a path starting with / of at most 2048 characters")
        }
        guard request.pluginID != pluginID else { throw DemoChecks.invalid("plugin_id", "a plugin cannot call itself") }
        guard let environment = workspace.attachedEnvironment else {
            throw PluginAppError(id: "app.plugin.http.unavailable", message: "no plugins are attached", statusCode: 503)
        }
        let headers = request.headers.filter { $0.key.lowercased() != "mattermost-plugin-id" }.map { ($0.key, $0.value) }
            + [("Mattermost-Plugin-ID", pluginID)]
        let answer: PluginHTTPResponse
        do {
            answer = try await environment.serveHTTP(
                pluginID: request.pluginID,
                PluginHTTPRequest(method: request.method, url: request.url, headers: headers, body: request.body))
        } catch {
            throw PluginAppError(id: "app.plugin.http.failed", message: "plugin \(request.pluginID) did not answer",
                                 detailedError: "\(error)", statusCode: 502, location: "PluginAPI.PluginHTTP")
        }
        // The answer travels to the calling plugin as one gRPC message (at most 4 MiB).
        guard answer.body.count <= Self.maximumPluginHTTPBody else {
            throw PluginAppError(
                id: "app.plugin.http.too_large",
                message: "plugin \(request.pluginID) answered \(answer.body.count) bytes; at most \(Self.maximumPluginHTTPBody)",
                statusCode: 502, location: "PluginAPI.PluginHTTP")
        }
        var response = PluginToPluginResponse()
        response.statusCode = Int32(answer.statusCode)
        response.headers = answer.head.headers.map { header in
            var pair = Mattermost_Pluginapi_V1_KeyValue()
            pair.key = header.name
            pair.value = header.value
            return pair
        }
        response.body = answer.body
        return response
    }

    /// The demo's server configuration: a few settings, no secrets.
    public func serverConfiguration() async throws(PluginAppError) -> String {
        note("GetConfig")
        let configuration: [String: Any] = [
            "ServiceSettings": ["SiteURL": "http://localhost:8065", "EnableCommands": true],
            "FileSettings": ["MaxFileSize": workspace.maximumFileSize, "DriverName": "local"],
            "PluginSettings": ["Enable": true],
            "TeamSettings": ["SiteName": "Swift plugin host demo"],
        ]
        guard let data = try? JSONSerialization.data(withJSONObject: configuration, options: [.sortedKeys]) else {
            throw PluginAppError(id: "app.config.encode", message: "could not encode the configuration", statusCode: 500)
        }
        return String(decoding: data, as: UTF8.self)
    }

    // Preferences.

    public func preferences(userID: String) async throws(PluginAppError) -> [PluginPreference] {
        note("GetPreferencesForUser(\(userID))")
        _ = try userRow(id: userID)
        return try all("SELECT user_id, category, name, value FROM preferences WHERE user_id = ? ORDER BY category, name",
                       [.text(userID)], DemoRows.preference)
    }

    private func check(_ preferences: [PluginPreference], of userID: String) throws(PluginAppError) {
        _ = try userRow(id: userID)
        guard (1...100).contains(preferences.count) else { throw DemoChecks.invalid("preferences", "1 to 100") }
        for preference in preferences {
            guard preference.userID == userID else {
                throw DemoChecks.invalid("preferences", "every preference must belong to user_id")
            }
            try DemoChecks.id(preference.category, "category")
            try DemoChecks.id(preference.name, "name")
            try DemoChecks.text(preference.value, "value", maximum: 2000)
        }
    }

    public func updatePreferences(userID: String, _ preferences: [PluginPreference]) async throws(PluginAppError) {
        note("UpdatePreferencesForUser(\(userID), \(preferences.count))")
        try check(preferences, of: userID)
        try workspace.transaction { session throws(PluginAppError) in
            for preference in preferences {
                try session.run(
                    "INSERT OR REPLACE INTO preferences (user_id, category, name, value) VALUES (?, ?, ?, ?)",
                    [.text(userID), .text(preference.category), .text(preference.name), .text(preference.value)])
            }
        }
    }

    public func deletePreferences(userID: String, _ preferences: [PluginPreference]) async throws(PluginAppError) {
        note("DeletePreferencesForUser(\(userID), \(preferences.count))")
        try check(preferences, of: userID)
        try workspace.transaction { session throws(PluginAppError) in
            for preference in preferences {
                try session.run("DELETE FROM preferences WHERE user_id = ? AND category = ? AND name = ?",
                                [.text(userID), .text(preference.category), .text(preference.name)])
            }
        }
    }
}
