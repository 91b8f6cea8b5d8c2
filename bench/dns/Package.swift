// swift-tools-version:6.1
// The DNS benchmark's own package: it compiles the cluster DNS sources of FlotillaNetwork
// (and FlotillaCore, which they use) through the symbolic links under Sources/, so that the
// benchmark runs the server code as it is without adding a target to the main package.
import PackageDescription

let package = Package(
    name: "dns-bench",
    platforms: [.macOS(.v14)],
    dependencies: [
        .package(url: "https://github.com/apple/swift-log.git", from: "1.6.0"),
        .package(url: "https://github.com/apple/swift-collections.git", from: "1.1.0"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.80.0"),
    ],
    targets: [
        .target(
            name: "FlotillaCore",
            dependencies: [.product(name: "OrderedCollections", package: "swift-collections")]
        ),
        .target(
            name: "FlotillaNetwork",
            dependencies: [
                "FlotillaCore",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ]
        ),
        .executableTarget(
            name: "dns-bench",
            dependencies: [
                "FlotillaCore", "FlotillaNetwork",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ]
        ),
    ]
)
