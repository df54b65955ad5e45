import Foundation
import PluginHost

extension DemoPluginAPI {
    private func fileRow(id: String) throws(PluginAppError) -> PluginFileInfo {
        try DemoChecks.id(id, "file_id")
        return try one("SELECT \(DemoRows.fileColumns) FROM files WHERE id = ?", [.text(id)], DemoRows.file,
                       missing: DemoChecks.notFound("file", id))
    }

    private func path(ofFile id: String) -> String { workspace.filesDirectory + "/" + id }

    private static func storageError(_ what: String, _ error: Any) -> PluginAppError {
        PluginAppError(id: "app.file.storage", message: "could not \(what) the file", detailedError: "\(error)",
                       statusCode: 500, location: "PluginAPI.UploadFile")
    }

    /// Writes the chunks to `<id>.part` as they arrive (one chunk in memory at a time), refuses
    /// more than `maximumFileSize` bytes, and only then renames the file and records it.
    public func uploadFile(_ info: PluginFileInfo, content: PluginFileChunks) async throws(PluginAppError)
        -> PluginFileInfo
    {
        note("UploadFile(\(info.name.prefix(40)))")
        let name = info.name
        guard !name.isEmpty, name.count <= 255, !name.contains("/"), !name.contains("\0"), name != ".", name != ".."
        else { throw DemoChecks.invalid("name", "1-255 characters, no '/'") }
        _ = try channelRow(id: info.channelID)
        if !info.creatorID.isEmpty { _ = try userRow(id: info.creatorID) }
        let id = DemoIDs.make()
        let partial = path(ofFile: id) + ".part"
        guard FileManager.default.createFile(atPath: partial, contents: nil),
              let handle = FileHandle(forWritingAtPath: partial)
        else { throw Self.storageError("create", "cannot open \(partial)") }
        var size: Int64 = 0
        do throws(PluginAppError) {
            for try await chunk in content {
                size += Int64(chunk.count)
                guard size <= workspace.maximumFileSize else {
                    throw PluginAppError(
                        id: "app.file.too_large", message: "the file is larger than \(workspace.maximumFileSize) bytes",
                        statusCode: 413, location: "PluginAPI.UploadFile")
                }
                do { try handle.write(contentsOf: chunk) } catch { throw Self.storageError("write", error) }
            }
            do { try handle.close() } catch { throw Self.storageError("write", error) }
            do { try FileManager.default.moveItem(atPath: partial, toPath: path(ofFile: id)) } catch {
                throw Self.storageError("store", error)
            }
        } catch {
            try? handle.close()
            try? FileManager.default.removeItem(atPath: partial)
            throw error
        }
        var stored = PluginFileInfo()
        stored.id = id
        stored.creatorID = info.creatorID
        stored.channelID = info.channelID
        stored.name = name
        stored.extension = (name as NSString).pathExtension.lowercased()
        stored.size = size
        stored.mimeType = info.mimeType.isEmpty ? "application/octet-stream" : String(info.mimeType.prefix(128))
        stored.createAt = DemoWorkspace.now()
        do throws(PluginAppError) {
            try workspace.run(
                "INSERT INTO files (\(DemoRows.fileColumns)) VALUES (?, ?, ?, '', ?, ?, ?, ?, ?)",
                [.text(stored.id), .text(stored.creatorID), .text(stored.channelID), .text(stored.name),
                 .text(stored.extension), .integer(stored.size), .text(stored.mimeType), .integer(stored.createAt)])
        } catch {
            try? FileManager.default.removeItem(atPath: path(ofFile: id))
            throw error
        }
        return stored
    }

    public func fileContent(id: String, offset: Int64, maximumLength: Int) async throws(PluginAppError) -> [UInt8] {
        if offset == 0 { note("GetFile(\(id))") }
        let info = try fileRow(id: id)
        guard offset >= 0, maximumLength > 0 else { throw DemoChecks.invalid("offset", "out of range") }
        guard offset < info.size else { return [] }
        guard let handle = FileHandle(forReadingAtPath: path(ofFile: info.id)) else {
            throw PluginAppError(id: "app.file.storage", message: "the file's content is missing", statusCode: 500)
        }
        defer { try? handle.close() }
        do {
            try handle.seek(toOffset: UInt64(offset))
            return Array(try handle.read(upToCount: maximumLength) ?? Data())
        } catch {
            throw PluginAppError(id: "app.file.storage", message: "could not read the file", detailedError: "\(error)",
                                 statusCode: 500)
        }
    }

    public func fileInfo(id: String) async throws(PluginAppError) -> PluginFileInfo {
        note("GetFileInfo(\(id))")
        return try fileRow(id: id)
    }

    public func fileLink(id: String) async throws(PluginAppError) -> String {
        note("GetFileLink(\(id))")
        let info = try fileRow(id: id)
        return "/api/v4/files/\(info.id)/content"
    }
}
