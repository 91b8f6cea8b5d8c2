@testable import FlotillaAgent
import FlotillaCore
import Foundation
import Testing

/// The sandbox image is an OCI image layout archive that tar and containerd can read.
@Suite struct SandboxImageTests {
    /// Unpacks `archive` with the host's tar into a new directory; returns it.
    func unpack(_ archive: [UInt8]) throws -> String {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("flotilla-oci-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        try Data(archive).write(to: URL(fileURLWithPath: directory + ".tar"))
        defer { try? FileManager.default.removeItem(atPath: directory + ".tar") }
        let tar = Process()
        tar.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        tar.arguments = ["tar", "-xf", directory + ".tar", "-C", directory]
        try tar.run()
        tar.waitUntilExit()
        #expect(tar.terminationStatus == 0)
        return directory
    }

    func json(_ path: String) throws -> JSON {
        try JSONParser.parse(Array(try #require(FileManager.default.contents(atPath: path))))
    }

    @Test func tarArchivesReadBackWithTar() throws {
        var tar = TarWriter()
        try tar.addDirectory("a")
        try tar.addFile("a/file.txt", contents: Array("hello\n".utf8), mode: 0o600)
        let long = String(repeating: "d", count: 90) + "/" + String(repeating: "f", count: 90)
        try tar.addFile(long, contents: [1, 2, 3])
        let directory = try unpack(tar.finished())
        defer { try? FileManager.default.removeItem(atPath: directory) }
        #expect(FileManager.default.contents(atPath: directory + "/a/file.txt") == Data("hello\n".utf8))
        #expect(FileManager.default.contents(atPath: directory + "/" + long) == Data([1, 2, 3]))
        let mode = try FileManager.default.attributesOfItem(atPath: directory + "/a/file.txt")[.posixPermissions] as? Int
        #expect(mode == 0o600)
    }

    @Test func imageLayoutIsContentAddressed() throws {
        let archive = try OCIImageArchive(
            name: "localhost/flotilla/pause:1", layer: TarWriter().finished(), entrypoint: ["/bin/sleep"], environment: ["PATH=/bin"],
            architecture: "amd64"
        ).archive()
        let directory = try unpack(archive)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        #expect(try json(directory + "/oci-layout")["imageLayoutVersion"] == "1.0.0")
        let index = try json(directory + "/index.json")
        let manifestDescriptor = index["manifests"][0]
        #expect(manifestDescriptor[path: ["annotations", "io.containerd.image.name"]] == "localhost/flotilla/pause:1")
        #expect(manifestDescriptor[path: ["annotations", "org.opencontainers.image.ref.name"]] == "1")
        #expect(manifestDescriptor["platform"]["architecture"] == "amd64")
        // Every blob is stored under its own digest, with the size its descriptor gives.
        func blob(_ descriptor: JSON) throws -> [UInt8] {
            let digest = try #require(descriptor["digest"].string)
            let bytes = Array(try #require(FileManager.default.contents(atPath: directory + "/blobs/sha256/" + digest.dropFirst(7))))
            #expect(OCIImageArchive.digest(bytes) == digest)
            #expect(descriptor["size"].int == Int64(bytes.count))
            return bytes
        }
        let manifest = try JSONParser.parse(try blob(manifestDescriptor))
        let config = try JSONParser.parse(try blob(manifest["config"]))
        _ = try blob(manifest["layers"][0])
        #expect(config["config"]["Entrypoint"] == ["/bin/sleep"])
        #expect(config["rootfs"]["diff_ids"][0] == manifest["layers"][0]["digest"])
    }

    @Test func tagsOfImageNames() {
        #expect(OCIImageArchive.tag(of: "localhost/flotilla/pause:1") == "1")
        #expect(OCIImageArchive.tag(of: "localhost:5000/busybox") == "latest")
    }
}
