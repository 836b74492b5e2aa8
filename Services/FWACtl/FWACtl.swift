import ArgumentParser

/// The operator's command line: migrations, tenants, queue inspection.
@main
struct FWACtl: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fwactl",
        abstract: "Operate the flexible work arrangements service.",
        discussion: "Connects with DATABASE_URL or the libpq PG* variables.",
        subcommands: [Migrate.self, TenantCommand.self, QueueCommand.self, AuditCommand.self])
}
