import PluginHost
import PluginHostDemo

/// The demo's tour of a few of the newer hooks, through every active plugin: a post edit
/// (MessageWillBeUpdated, then MessageHasBeenUpdated), two logins (UserWillLogIn) and two
/// uploads (FileWillBeUploaded, the content streamed to the plugins and back).
enum HookTour {
    static func run(_ environment: Environment, workspace: DemoWorkspace, timeline: Timeline) async {
        if let old = workspace.allPosts.first {
            for text in ["Hello again from the Swift plugin host", "now with spam"] {
                var edit = old
                edit.message = text
                timeline.note("host", "editing \(old.id) to \"\(text)\"")
                switch await environment.messageWillBeUpdated(new: edit, old: old) {
                case .rejected(let reason, let plugin):
                    timeline.note("host", "edit rejected by \(plugin): \(reason)")
                case .allowed(let final):
                    do {
                        let stored = try workspace.update(final)
                        timeline.note("host", "edited \(old.id): \"\(stored.message)\"")
                        await environment.messageHasBeenUpdated(new: stored, old: old)
                    } catch {
                        timeline.note("host", "edit of \(old.id) not stored: \(error)")
                    }
                }
            }
        }

        for name in ["alice", "mallory"] {
            var user = workspace.user(username: name) ?? PluginUser()
            user.username = name
            switch await environment.userWillLogIn(user) {
            case .rejected(let reason, let plugin): timeline.note("host", "login of \(name) refused by \(plugin): \(reason)")
            case .allowed: timeline.note("host", "login of \(name) allowed")
            }
        }

        let uploads: [(name: String, mime: String, content: [UInt8])] = [
            ("notes.txt", "text/plain", Array("first line\r\nsecond line\r\n".utf8)),
            ("setup.exe", "application/octet-stream", [0x4D, 0x5A, 0x90, 0x00]),
        ]
        for upload in uploads {
            var info = PluginFileInfo()
            info.name = upload.name
            info.mimeType = upload.mime
            info.size = Int64(upload.content.count)
            switch await environment.fileWillBeUploaded(PluginUpload(info: info, content: upload.content)) {
            case .rejected(let reason, let plugin):
                timeline.note("host", "upload of \(upload.name) rejected by \(plugin): \(reason)")
            case .allowed(let final):
                timeline.note(
                    "host", "upload of \(upload.name) stored: \(upload.content.count) -> \(final.content.count) bytes")
            }
        }
    }
}
