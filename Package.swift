// swift-tools-version: 6.1
// ApexFlow: four services (gateway, rag, memory, scheduler) on one shared contract module
// (ApexProtocol) and one shared runtime kit (ServiceKit). See README.md and ARCHITECTURE.md.
import PackageDescription

let swiftSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("InternalImportsByDefault"),
]

let serviceKitDeps: [Target.Dependency] = [
    "ApexProtocol",
    .product(name: "Hummingbird", package: "hummingbird"),
    .product(name: "HummingbirdCore", package: "hummingbird"),
    .product(name: "PostgresNIO", package: "postgres-nio"),
    .product(name: "NIOCore", package: "swift-nio"),
    .product(name: "NIOPosix", package: "swift-nio"),
    .product(name: "NIOHTTP1", package: "swift-nio"),
    .product(name: "NIOHTTP2", package: "swift-nio-http2"),
    .product(name: "NIOHPACK", package: "swift-nio-http2"),
    .product(name: "NIOSSL", package: "swift-nio-ssl"),
    .product(name: "HTTPTypes", package: "swift-http-types"),
    .product(name: "Crypto", package: "swift-crypto"),
    .product(name: "_CryptoExtras", package: "swift-crypto"),
    .product(name: "AsyncHTTPClient", package: "async-http-client"),
    .product(name: "Logging", package: "swift-log"),
    .product(name: "Metrics", package: "swift-metrics"),
    .product(name: "Prometheus", package: "swift-prometheus"),
    .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
    .product(name: "Tracing", package: "swift-distributed-tracing"),
    .product(name: "Instrumentation", package: "swift-distributed-tracing"),
    .product(name: "OTel", package: "swift-otel"),
]

/// How release builds on Linux link each service, to keep an idle service's memory small (see
/// Benchmarks/Foundation/README.md, "Idle resident memory"):
/// - with lld, the functions a service runs while it starts and idles go first, side by side
///   (`Shared/LinkOrder/startup.order`, made by `scripts/startup-order`). The kernel maps code in
///   64 KiB windows around each page a process touches, so scattered start-up code kept most of
///   the binary's machine code resident. This needs one section per function, which
///   `scripts/build-release` turns on; a symbol the file names but a binary lacks is skipped, and
///   a function the file misses is still linked, only elsewhere. `startup.ld` puts the
///   compiler's unnamed helper functions, which no symbol file can name, in front of them. After
///   a new `startup.order`, relink (delete the binary): SwiftPM does not track the file.
/// - relative relocations packed (`DT_RELR`, glibc ≥ 2.36 as in Debian 12): the dynamic loader
///   reads 15 KB instead of 1.4 MB of them at every start.
let releaseLinking: [LinkerSetting] = [
    .unsafeFlags(
        [
            "-use-ld=lld",
            "-Xlinker", "--symbol-ordering-file=\(Context.packageDirectory)/Shared/LinkOrder/startup.order",
            "-Xlinker", "--no-warn-symbol-ordering",
            "-Xlinker", "-T", "-Xlinker", "\(Context.packageDirectory)/Shared/LinkOrder/startup.ld",
            "-Xlinker", "-z", "-Xlinker", "pack-relative-relocs",
        ],
        .when(platforms: [.linux], configuration: .release)
    )
]

/// One library target (the service, built by `buildApplication`) and one tiny executable per service.
func service(_ name: String, folder: String, executable: String, extra: [Target.Dependency] = []) -> [Target] {
    [
        .target(
            name: name,
            dependencies: ["ServiceKit", "ApexProtocol"] + extra,
            path: "Services/\(folder)/Sources/\(name)",
            resources: [.copy("Migrations")],
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: executable,
            dependencies: [.byName(name: name), "ServiceKit"],
            path: "Services/\(folder)/Sources/\(executable)",
            swiftSettings: swiftSettings,
            linkerSettings: releaseLinking
        ),
    ]
}

func tests(_ name: String, _ dependencies: [Target.Dependency]) -> Target {
    .testTarget(
        name: name,
        dependencies: dependencies + [
            "ApexTestSupport",
            .product(name: "HummingbirdTesting", package: "hummingbird"),
        ],
        path: "Tests/\(name)",
        swiftSettings: swiftSettings
    )
}

/// One benchmark executable per concern (see Benchmarks/README.md); run them in release builds.
let benchmarks: [Target] = [
    (
        "bench-service-client",
        [
            "ServiceKit", "ApexProtocol", .product(name: "NIOCore", package: "swift-nio"), .product(name: "NIOPosix", package: "swift-nio"),
            .product(name: "NIOHTTP1", package: "swift-nio"), .product(name: "NIOHTTP2", package: "swift-nio-http2"),
        ]
    ),
    ("bench-rag", ["Rag", "ServiceKit", "SemanticSearch", "Embeddings"]),
    ("bench-memory", ["Memory", "ServiceKit", "SemanticSearch", "Embeddings"]),
    ("bench-scheduler", ["Scheduler", "ServiceKit"]),
    (
        "bench-gateway",
        [
            "Gateway", "ServiceKit", "ApexTestSupport", .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "NIOPosix", package: "swift-nio"), .product(name: "NIOHPACK", package: "swift-nio-http2"),
            .product(name: "NIOHTTP1", package: "swift-nio"), .product(name: "NIOHTTP2", package: "swift-nio-http2"),
        ]
    ),
    ("bench-embeddings", ["Embeddings"]),
].map { (name: String, dependencies: [Target.Dependency]) in
    .executableTarget(name: name, dependencies: dependencies, path: "Benchmarks/Sources/\(name)", swiftSettings: swiftSettings)
}

let package = Package(
    name: "apexflow",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "apex-gateway", targets: ["apex-gateway"]),
        .executable(name: "apex-rag", targets: ["apex-rag"]),
        .executable(name: "apex-memory", targets: ["apex-memory"]),
        .executable(name: "apex-scheduler", targets: ["apex-scheduler"]),
    ],
    dependencies: [
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1"),
        .package(url: "https://github.com/vapor/postgres-nio.git", from: "1.33.2"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-nio-http2.git", from: "1.46.0"),
        .package(url: "https://github.com/apple/swift-nio-ssl.git", from: "2.37.6"),
        .package(url: "https://github.com/apple/swift-http-types.git", from: "1.8.0"),
        .package(url: "https://github.com/apple/swift-crypto.git", from: "3.12.3"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-metrics.git", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.4.1"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/async-http-client.git", from: "1.37.0"),
        .package(url: "https://github.com/apple/swift-distributed-tracing.git", from: "1.7.3"),
        // Traces over OTLP/HTTP only: the gRPC exporter would add grpc-swift to every build.
        .package(url: "https://github.com/swift-otel/swift-otel.git", from: "1.6.0", traits: ["OTLPHTTP"]),
    ],
    targets: [
        .target(name: "ApexProtocol", path: "Shared/Protocol", swiftSettings: swiftSettings),
        .systemLibrary(name: "COpenBLAS", path: "Shared/COpenBLAS", pkgConfig: "openblas", providers: [.apt(["libopenblas-dev"])]),
        .target(name: "Embeddings", dependencies: ["COpenBLAS"], path: "Shared/Embeddings", swiftSettings: swiftSettings),
        .target(name: "ServiceKit", dependencies: serviceKitDeps, path: "Shared/ServiceKit", swiftSettings: swiftSettings),
    ]
        + [
            .target(
                name: "SemanticSearch",
                dependencies: [
                    "ServiceKit", "ApexProtocol", "Embeddings",
                    .product(name: "PostgresNIO", package: "postgres-nio"),
                    .product(name: "AsyncHTTPClient", package: "async-http-client"),
                ],
                path: "Shared/SemanticSearch",
                swiftSettings: swiftSettings
            )
        ]
        + service(
            "Gateway", folder: "gateway", executable: "apex-gateway",
            extra: [
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "_CryptoExtras", package: "swift-crypto"),
            ])
        + service(
            "Rag", folder: "rag", executable: "apex-rag",
            extra: ["SemanticSearch", "Embeddings", .product(name: "Crypto", package: "swift-crypto")])
        + service("Memory", folder: "memory", executable: "apex-memory", extra: ["SemanticSearch", "Embeddings"])
        + service(
            "Scheduler", folder: "scheduler", executable: "apex-scheduler",
            extra: [
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "_CryptoExtras", package: "swift-crypto"),
            ])
        + [
            .target(
                name: "ApexTestSupport",
                dependencies: [
                    "ServiceKit",
                    .product(name: "PostgresNIO", package: "postgres-nio"),
                    .product(name: "Crypto", package: "swift-crypto"),
                    .product(name: "_CryptoExtras", package: "swift-crypto"),
                    .product(name: "NIOCore", package: "swift-nio"),
                    .product(name: "NIOPosix", package: "swift-nio"),
                ],
                path: "Tests/ApexTestSupport",
                swiftSettings: swiftSettings
            ),
            tests("ApexProtocolTests", ["ApexProtocol"]),
            .testTarget(
                name: "EmbeddingsTests",
                dependencies: ["Embeddings"],
                path: "Tests/EmbeddingsTests",
                resources: [.copy("Fixtures")],
                swiftSettings: swiftSettings
            ),
            tests(
                "ServiceKitTests",
                [
                    "ServiceKit", "ApexProtocol", .product(name: "Crypto", package: "swift-crypto"),
                    .product(name: "NIOEmbedded", package: "swift-nio"), .product(name: "NIOPosix", package: "swift-nio"),
                    .product(name: "NIOHTTP2", package: "swift-nio-http2"), .product(name: "NIOHPACK", package: "swift-nio-http2"),
                ]),
            tests("SemanticSearchTests", ["SemanticSearch", "Embeddings", "ServiceKit"]),
            tests(
                "GatewayTests",
                [
                    "Gateway", "ServiceKit", .product(name: "Crypto", package: "swift-crypto"),
                    .product(name: "_CryptoExtras", package: "swift-crypto"), .product(name: "NIOEmbedded", package: "swift-nio"),
                    .product(name: "NIOPosix", package: "swift-nio"),
                ]),
            tests("RagTests", ["Rag", "ServiceKit", "SemanticSearch", "Embeddings"]),
            tests("MemoryTests", ["Memory", "ServiceKit", "SemanticSearch", "Embeddings"]),
            tests("SchedulerTests", ["Scheduler", "ServiceKit"]),
            tests("EndToEndTests", ["Gateway", "Rag", "Memory", "Scheduler", "ServiceKit"]),
        ]
        + benchmarks
)
