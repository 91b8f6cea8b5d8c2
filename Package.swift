// swift-tools-version:6.1
import PackageDescription

let swiftSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
]

/// Release builds link with lld and pack the executable's relative relocations (DT_RELR,
/// glibc 2.36+): the loader no longer reads and keeps resident about 2 MB of relocation
/// entries at every start. Built with `--static-swift-stdlib` (scripts/build-release) the
/// runtime and Foundation's relocations are packed too. The functions an idle agent runs
/// (scripts/agent-code-order.txt, written by scripts/order-agent-code) come first and side by
/// side, so that the code it keeps mapped is about the code it runs; names the list holds that
/// the build no longer has are skipped.
let releaseLinkerSettings: [LinkerSetting] = [
    .unsafeFlags([
        "-use-ld=lld", "-Xlinker", "-z", "-Xlinker", "pack-relative-relocs",
        "-Xlinker", "--symbol-ordering-file=\(Context.packageDirectory)/scripts/agent-code-order.txt",
        "-Xlinker", "--no-warn-symbol-ordering",
    ], .when(platforms: [.linux], configuration: .release)),
]

/// The executable allocates through jemalloc (Debian's `libjemalloc-dev`), with the options in
/// `Sources/CAllocator`: glibc's malloc grows each thread's arena a page at a time, with an
/// `mprotect` call for each page, and a server whose caches grow by 10,000 pods made about 3,000
/// such calls a second.
let allocatorLinkerSettings: [LinkerSetting] = [.linkedLibrary("jemalloc", .when(platforms: [.linux]))]

let package = Package(
    name: "flotilla",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "flotilla", targets: ["flotilla"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.6.0"),
        .package(url: "https://github.com/apple/swift-collections.git", from: "1.1.0"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.80.0"),
        .package(url: "https://github.com/apple/swift-nio-http2.git", from: "1.38.0"),
        .package(url: "https://github.com/apple/swift-nio-ssl.git", from: "2.29.0"),
        .package(url: "https://github.com/apple/swift-certificates.git", from: "1.21.0"),
        .package(url: "https://github.com/apple/swift-crypto.git", "3.12.0"..<"5.0.0"),
        .package(url: "https://github.com/apple/swift-metrics.git", from: "2.5.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird-websocket.git", from: "2.8.1"),
        .package(url: "https://github.com/swift-server/async-http-client.git", from: "1.37.0"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.4.0"),
        .package(url: "https://github.com/jpsim/Yams.git", from: "6.0.0"),
        .package(url: "https://github.com/grpc/grpc-swift-2.git", from: "2.4.0"),
        .package(url: "https://github.com/grpc/grpc-swift-nio-transport.git", from: "2.9.0"),
        .package(url: "https://github.com/grpc/grpc-swift-protobuf.git", from: "2.4.0"),
        .package(url: "https://github.com/apple/swift-protobuf.git", from: "1.39.0"),
    ],
    targets: [
        .executableTarget(
            name: "flotilla",
            dependencies: ["FlotillaCommands", "CAllocator"],
            swiftSettings: swiftSettings,
            linkerSettings: releaseLinkerSettings + allocatorLinkerSettings
        ),
        .target(
            name: "FlotillaCommands",
            dependencies: [
                "FlotillaCore", "FlotillaAPI", "FlotillaStore", "FlotillaAPIServer", "FlotillaClient", "FlotillaScheduler", "FlotillaControllers",
                "FlotillaAgent",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "FlotillaCore",
            dependencies: [
                .product(name: "OrderedCollections", package: "swift-collections"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "FlotillaAPI",
            dependencies: [
                "FlotillaCore",
                .product(name: "Yams", package: "Yams"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(name: "CAllocator"),
        .systemLibrary(
            name: "CSQLite",
            pkgConfig: "sqlite3",
            providers: [.apt(["libsqlite3-dev"])]
        ),
        .target(
            name: "FlotillaStore",
            dependencies: [
                "FlotillaCore", "CSQLite", "FlotillaEtcdRPC",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP2", package: "swift-nio-http2"),
                .product(name: "NIOHPACK", package: "swift-nio-http2"),
                .product(name: "SwiftProtobuf", package: "swift-protobuf"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "FlotillaEtcdRPC",
            dependencies: [.product(name: "SwiftProtobuf", package: "swift-protobuf")],
            exclude: ["Protos"],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "FlotillaAPIServer",
            dependencies: [
                "FlotillaCore", "FlotillaAPI", "FlotillaStore", "FlotillaClient",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTLS", package: "hummingbird"),
                .product(name: "HummingbirdWebSocket", package: "hummingbird-websocket"),
                .product(name: "HummingbirdWSClient", package: "hummingbird-websocket"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "X509", package: "swift-certificates"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "FlotillaNetwork",
            dependencies: [
                "FlotillaCore", "FlotillaAPI",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "FlotillaClient",
            dependencies: [
                "FlotillaCore", "FlotillaAPI",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "FlotillaScheduler",
            dependencies: [
                "FlotillaCore", "FlotillaAPI", "FlotillaClient",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "FlotillaControllers",
            dependencies: [
                "FlotillaCore", "FlotillaAPI", "FlotillaClient", "FlotillaScheduler",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "FlotillaCRI",
            dependencies: [
                "FlotillaCore",
                .product(name: "GRPCCore", package: "grpc-swift-2"),
                .product(name: "GRPCNIOTransportHTTP2", package: "grpc-swift-nio-transport"),
                .product(name: "GRPCProtobuf", package: "grpc-swift-protobuf"),
                .product(name: "SwiftProtobuf", package: "swift-protobuf"),
            ],
            exclude: ["Protos"],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "FlotillaAgent",
            dependencies: [
                "FlotillaCore", "FlotillaAPI", "FlotillaClient", "FlotillaCRI", "FlotillaNetwork",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "flotilla-bench",
            dependencies: [
                "FlotillaCore", "FlotillaScheduler", "FlotillaCRI",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
            ],
            path: "bench/Sources/flotilla-bench",
            swiftSettings: swiftSettings
        ),
        .testTarget(name: "FlotillaCoreTests", dependencies: ["FlotillaCore"], swiftSettings: swiftSettings),
        .testTarget(name: "FlotillaAPITests", dependencies: ["FlotillaCore", "FlotillaAPI"], swiftSettings: swiftSettings),
        .testTarget(name: "FlotillaNetworkTests", dependencies: ["FlotillaCore", "FlotillaAPI", "FlotillaNetwork"], swiftSettings: swiftSettings),
        .testTarget(
            name: "FlotillaStoreTests",
            dependencies: [
                "FlotillaCore", "FlotillaStore", "FlotillaEtcdRPC",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOEmbedded", package: "swift-nio"),
                .product(name: "NIOHPACK", package: "swift-nio-http2"),
                .product(name: "NIOHTTP2", package: "swift-nio-http2"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "FlotillaAPIServerTests",
            dependencies: [
                "FlotillaCore", "FlotillaAPI", "FlotillaStore", "FlotillaAPIServer", .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "FlotillaClientTests",
            dependencies: ["FlotillaCore", "FlotillaAPI", "FlotillaStore", "FlotillaAPIServer", "FlotillaClient"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "FlotillaSchedulerTests",
            dependencies: ["FlotillaCore", "FlotillaAPI", "FlotillaStore", "FlotillaAPIServer", "FlotillaClient", "FlotillaScheduler"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "FlotillaControllersTests",
            dependencies: ["FlotillaCore", "FlotillaAPI", "FlotillaStore", "FlotillaAPIServer", "FlotillaClient", "FlotillaControllers"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "FlotillaAgentTests",
            dependencies: ["FlotillaCore", "FlotillaStore", "FlotillaAPIServer", "FlotillaClient", "FlotillaCRI", "FlotillaAgent"],
            swiftSettings: swiftSettings
        ),
    ]
)
