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
        .package(url: "https://github.com/apple/swift-crypto", from: "4.5.2"),
        .package(url: "https://github.com/vapor/jwt-kit", from: "5.8.0"),
        .package(url: "https://github.com/apple/swift-openapi-generator", from: "1.14.3"),
        .package(url: "https://github.com/apple/swift-openapi-runtime", from: "1.13.4"),
        .package(url: "https://github.com/hummingbird-project/swift-openapi-hummingbird", from: "2.1.0"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache", from: "2.1.1"),
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.37.0"),
        .package(url: "https://github.com/apple/swift-nio-ssl", from: "2.37.6"),
        .package(url: "https://github.com/apple/swift-http-types", from: "1.8.0"),
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
        // The approval workflow's domain, pure (no I/O): request and step states, the records every
        // service shares, and `ApprovalFlow`, which decides what answers each routing event.
        .target(
            name: "Workflow",
            dependencies: ["Policy"],
            path: "Shared/Workflow"
        ),
        // Every job's contract (payload, queue, kind), shared by its producers and its consumer.
        .target(
            name: "Jobs",
            dependencies: ["Queue", "Workflow", "Policy"],
            path: "Shared/Jobs"
        ),
        // Where tenant data may be sent: webhook URLs checked against the operator's rules and the
        // addresses their hosts resolve to (the intake and fwactl at apply time, the notifier at send time).
        .target(
            name: "Egress",
            dependencies: ["Policy", .product(name: "NIOPosix", package: "swift-nio")],
            path: "Shared/Egress"
        ),
        // Tenant policy versions and the hash-chained audit trail, in PostgreSQL.
        .target(
            name: "Storage",
            dependencies: [
                "Postgres", "Policy", "Workflow", "Jobs", "Queue",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            path: "Shared/Storage"
        ),
        // What every executable shares: configuration, logs, metrics, health routes. No domain.
        .target(
            name: "ServiceKit",
            dependencies: [
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            path: "Shared/ServiceKit"
        ),
        // Running a service on PostgreSQL: the pool and other resources as services of one group,
        // schema readiness, and the worker builder that the worker executables and the tests call.
        .target(
            name: "Runtime",
            dependencies: [
                "ServiceKit", "Postgres", "Schema", "Queue", "Storage",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            path: "Shared/Runtime"
        ),
        .executableTarget(
            name: "Intake",
            dependencies: [
                "ServiceKit", "Runtime", "Postgres", "Queue", "Policy", "Storage", "Schema", "Egress", "Workflow",
                "Jobs",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "OpenAPIRuntime", package: "swift-openapi-runtime"),
                .product(name: "OpenAPIHummingbird", package: "swift-openapi-hummingbird"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "JWTKit", package: "jwt-kit"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            path: "Services/Intake",
            plugins: [.plugin(name: "OpenAPIGenerator", package: "swift-openapi-generator")]
        ),
        .executableTarget(
            name: "ApprovalRouter",
            dependencies: [
                "ServiceKit", "Runtime", "Postgres", "Queue", "Policy", "Storage", "Workflow", "Jobs",
                .product(name: "Metrics", package: "swift-metrics"),
            ],
            path: "Services/ApprovalRouter"
        ),
        .executableTarget(
            name: "Notifier",
            dependencies: [
                "ServiceKit", "Runtime", "Postgres", "Queue", "Storage", "Policy", "Egress", "Workflow", "Jobs",
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Mustache", package: "swift-mustache"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            path: "Services/Notifier"
        ),
        .executableTarget(
            name: "ComplianceChecker",
            dependencies: [
                "ServiceKit", "Runtime", "Postgres", "Queue", "Policy", "Storage", "Workflow", "Jobs",
                .product(name: "Metrics", package: "swift-metrics"),
            ],
            path: "Services/ComplianceChecker"
        ),
        .executableTarget(
            name: "FWACtl",
            dependencies: [
                "Postgres", "Schema", "Queue", "Policy", "Storage", "Egress",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            path: "Services/FWACtl"
        ),
        .testTarget(
            name: "StorageTests",
            dependencies: ["Storage", "Policy", "Postgres", "TestSupport"],
            path: "Tests/StorageTests"
        ),
        .testTarget(
            name: "IntakeTests",
            dependencies: [
                "Intake", "Storage", "Policy", "Postgres", "Queue", "TestSupport", "Egress", "Workflow", "Jobs",
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "JWTKit", package: "jwt-kit"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
            ],
            path: "Tests/IntakeTests"
        ),
        .testTarget(
            name: "NotifierTests",
            dependencies: [
                "Notifier", "Storage", "Postgres", "Queue", "TestSupport", "Egress", "Policy", "Workflow", "Jobs",
                "Runtime",
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Hummingbird", package: "hummingbird"),
            ],
            path: "Tests/NotifierTests"
        ),
        .testTarget(
            name: "WorkflowTests",
            dependencies: [
                "ApprovalRouter", "ComplianceChecker", "Storage", "Policy", "Postgres", "Queue", "TestSupport",
                "Workflow", "Jobs",
                "Runtime",
            ],
            path: "Tests/WorkflowTests"
        ),
        .testTarget(
            name: "PolicyTests",
            dependencies: ["Policy", "Workflow"],
            path: "Tests/PolicyTests"
        ),
        // Benchmarks (scripts/bench-queue), not tests: they print measurements.
        .executableTarget(
            name: "QueueBench",
            dependencies: ["Queue", "Postgres", "Schema", .product(name: "Logging", package: "swift-log")],
            path: "Tests/Benchmarks/QueueBench"
        ),
        .executableTarget(
            name: "PolicyBench",
            dependencies: ["Policy"],
            path: "Tests/Benchmarks/PolicyBench"
        ),
        // What the integration tests share: a migrated database from DATABASE_URL or PG*.
        .target(
            name: "TestSupport",
            dependencies: ["Postgres", "Schema", "Storage", .product(name: "Logging", package: "swift-log")],
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
