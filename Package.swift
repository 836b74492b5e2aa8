// swift-tools-version:6.1
import PackageDescription

let package = Package(
    name: "flexwork",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "intake", targets: ["Intake"]),
        .executable(name: "approval-router", targets: ["ApprovalRouter"]),
        .executable(name: "notifier", targets: ["Notifier"]),
        .executable(name: "compliance-checker", targets: ["ComplianceChecker"]),
        .executable(name: "fwactl", targets: ["FWACtl"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.3"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-metrics", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
    ],
    targets: [
        // libpq, the system C library (Debian: libpq-dev).
        .systemLibrary(
            name: "CLibPQ",
            path: "Shared/CLibPQ",
            pkgConfig: "libpq",
            providers: [.apt(["libpq-dev"])]
        ),
        // Connections, pool, transactions, LISTEN/NOTIFY and migrations over libpq.
        .target(
            name: "Postgres",
            dependencies: [
                "CLibPQ",
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "Shared/Postgres"
        ),
        // The product's schema: numbered SQL migrations shipped as resources.
        .target(
            name: "Schema",
            dependencies: ["Postgres"],
            path: "Shared/Schema",
            resources: [.copy("Migrations")]
        ),
        // The PostgreSQL job queue.
        .target(
            name: "Queue",
            dependencies: [
                "Postgres",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            path: "Shared/Queue"
        ),
        // Tenant policy: the file format, validation and the pure engine (no I/O).
        .target(
            name: "Policy",
            dependencies: [.product(name: "Yams", package: "Yams")],
            path: "Shared/Policy"
        ),
        // The runtime every executable shares: configuration, logs, metrics, health.
        .target(
            name: "ServiceKit",
            dependencies: [
                "Postgres", "Schema", "Queue",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            path: "Shared/ServiceKit"
        ),
        .executableTarget(
            name: "Intake",
            dependencies: ["ServiceKit", "Postgres", "Queue", "Policy"],
            path: "Services/Intake"
        ),
        .executableTarget(
            name: "ApprovalRouter",
            dependencies: ["ServiceKit", "Postgres", "Queue", "Policy"],
            path: "Services/ApprovalRouter"
        ),
        .executableTarget(
            name: "Notifier",
            dependencies: ["ServiceKit", "Postgres", "Queue"],
            path: "Services/Notifier"
        ),
        .executableTarget(
            name: "ComplianceChecker",
            dependencies: ["ServiceKit", "Postgres", "Queue", "Policy"],
            path: "Services/ComplianceChecker"
        ),
        .executableTarget(
            name: "FWACtl",
            dependencies: [
                "Postgres", "Schema", "Queue", "Policy",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            path: "Services/FWACtl"
        ),
        .testTarget(
            name: "PolicyTests",
            dependencies: ["Policy"],
            path: "Tests/PolicyTests"
        ),
        // What the integration tests share: a migrated database from DATABASE_URL or PG*.
        .target(
            name: "TestSupport",
            dependencies: ["Postgres", "Schema", .product(name: "Logging", package: "swift-log")],
            path: "Tests/TestSupport"
        ),
        .testTarget(
            name: "PostgresTests",
            dependencies: ["Postgres", "Schema", "TestSupport"],
            path: "Tests/PostgresTests"
        ),
        .testTarget(
            name: "QueueTests",
            dependencies: [
                "Queue", "Postgres", "Schema", "TestSupport",
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            path: "Tests/QueueTests"
        ),
    ]
)
