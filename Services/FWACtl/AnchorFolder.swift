import Foundation
import Storage

/// Where audit anchors are kept: one folder per tenant, one JSON file per anchored head
/// (`DIR/<tenant>/<seq>.json`), so older anchors stay and each is checked again.
struct AnchorFolder {
    let url: URL

    init(path: String) { url = URL(fileURLWithPath: path, isDirectory: true) }

    /// Writes `anchor` (replacing an anchor of the same head); returns its path.
    func write(_ anchor: AuditAnchor) throws -> String {
        let folder = url.appendingPathComponent(anchor.tenantID, isDirectory: true)
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let file = folder.appendingPathComponent(anchor.fileName)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        try encoder.encode(anchor).write(to: file, options: .atomic)
        return file.path
    }

    /// Every anchor in the folder (of `tenant` only, when given), with its file's path.
    func anchors(tenant: String?) throws -> [(path: String, anchor: AuditAnchor)] {
        let files =
            FileManager.default.enumerator(at: url, includingPropertiesForKeys: nil)?
            .compactMap { $0 as? URL }.filter { $0.pathExtension == "json" }.sorted { $0.path < $1.path } ?? []
        return try files.compactMap { file in
            let anchor: AuditAnchor
            do {
                anchor = try JSONDecoder().decode(AuditAnchor.self, from: Data(contentsOf: file))
            } catch {
                throw AuditAnchorError.badAnchor(file: file.path, problem: "not an audit anchor (\(error))")
            }
            guard file.deletingLastPathComponent().lastPathComponent == anchor.tenantID else {
                throw AuditAnchorError.badAnchor(
                    file: file.path, problem: "is in the folder of another tenant than \(anchor.tenantID)")
            }
            return tenant == nil || anchor.tenantID == tenant ? (file.path, anchor) : nil
        }
    }
}
