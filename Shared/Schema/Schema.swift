import Foundation
import Postgres

/// The product's database schema: the numbered SQL files in `Migrations/`, shipped as resources.
public enum Schema {
    /// Every migration, in version order, read from the module's resources.
    public static func migrations() throws -> [Migration] {
        guard let folder = Bundle.module.url(forResource: "Migrations", withExtension: nil) else {
            throw MigrationError.badFileName("Migrations (resource folder missing)")
        }
        let files = try FileManager.default.contentsOfDirectory(at: folder, includingPropertiesForKeys: nil)
            .filter { $0.pathExtension == "sql" }
        return try files.map(migration(at:)).sorted { $0.version < $1.version }
    }

    /// A migrator over every migration.
    public static func migrator() throws -> Migrator { Migrator(migrations: try migrations()) }

    private static func migration(at url: URL) throws -> Migration {
        let fileName = url.deletingPathExtension().lastPathComponent
        let parts = fileName.split(separator: "_", maxSplits: 1)
        guard parts.count == 2, let version = Int(parts[0]) else {
            throw MigrationError.badFileName(url.lastPathComponent)
        }
        return Migration(version: version, name: String(parts[1]), sql: try String(contentsOf: url, encoding: .utf8))
    }
}
