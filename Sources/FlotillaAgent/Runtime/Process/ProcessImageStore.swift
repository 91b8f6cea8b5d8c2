import FlotillaCore
import Foundation
import Synchronization

/// The images of the process runtime: each pulled image unpacked once into a read-only root,
/// `<directory>/<config digest hex>/rootfs`, beside `image.json` with its names and the
/// defaults of its config. An image's id is its config digest.
final class ProcessImageStore: Sendable {
    /// One unpacked image, as `image.json` keeps it.
    struct Record: Codable, Equatable {
        var id: String
        var tags: [String]
        var digests: [String]
        var size: UInt64
        var config: ImageConfig
    }

    let directory: String
    private let insecureRegistries: [String]
    /// Serializes changes to the records (two pulls naming one image).
    private let records = Mutex<Void>(())

    init(directory: String, insecureRegistries: [String]) {
        self.directory = directory
        self.insecureRegistries = insecureRegistries
    }

    /// The root of image `id`.
    func root(of id: String) -> String { "\(directory)/\(Self.hex(id))/rootfs" }

    /// Pulls `name`: its manifest (the linux entry for this host's architecture of an index),
    /// config and layers, unpacked unless an image with that config is already; returns the id.
    func pull(_ name: String, credentials: RegistryCredentials?) async throws -> String {
        let reference = try ImageReference(name)
        let registry = RegistryClient(reference: reference, credentials: credentials, insecureRegistries: insecureRegistries)
        var (body, mediaType, digest) = try await registry.manifest(reference.manifestReference)
        var manifest = try ImageManifest(json: body, contentType: mediaType)
        if case .index(let entries) = manifest {
            let host = ImageManifest.hostArchitecture
            guard let entry = ImageManifest.select(entries, architecture: host.architecture, variant: host.variant) else {
                throw FlotillaError(.notFound, "\(name) has no image for linux/\(host.architecture)")
            }
            (body, mediaType, digest) = try await registry.manifest(entry.digest)
            manifest = try ImageManifest(json: body, contentType: mediaType)
        }
        guard case .image(let configDescriptor, let layers) = manifest else {
            throw FlotillaError(.internalError, "\(name): an image index names another index")
        }
        let id = configDescriptor.digest
        if record(id) == nil {
            let config = try ImageConfig(blob: try await registry.blob(id))
            try await unpack(layers, from: registry, as: id)
            let size = layers.reduce(UInt64(0)) { $0 + UInt64(max($1.size ?? 0, 0)) }
            try update(id) { $0 = $0 ?? Record(id: id, tags: [], digests: [], size: size, config: config) }
        }
        try update(id) { record in
            if let tagged = reference.tagged, !(record!.tags.contains(tagged)) { record!.tags.append(tagged) }
            let digested = reference.digested(digest)
            if !record!.digests.contains(digested) { record!.digests.append(digested) }
        }
        // A tag moves: no other image keeps it.
        if let tagged = reference.tagged {
            for other in all() where other.id != id && other.tags.contains(tagged) {
                try update(other.id) { $0!.tags.removeAll { $0 == tagged } }
            }
        }
        return id
    }

    /// Downloads and applies `layers` in a scratch directory, then moves the root into place.
    private func unpack(_ layers: [ImageManifest.Descriptor], from registry: RegistryClient, as id: String) async throws {
        let scratch = "\(directory)/.pull-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: scratch + "/rootfs", withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: scratch) }
        for layer in layers {
            let archive = scratch + "/layer"
            try await registry.download(layer.digest, to: archive)
            try await ImageLayerUnpacker.apply(archive, to: scratch + "/rootfs")
            try FileManager.default.removeItem(atPath: archive)
        }
        let target = "\(directory)/\(Self.hex(id))"
        try FileManager.default.createDirectory(atPath: target, withIntermediateDirectories: true)
        // Another pull of the same image may have finished first; its root serves.
        if !FileManager.default.fileExists(atPath: target + "/rootfs") {
            try FileManager.default.moveItem(atPath: scratch + "/rootfs", toPath: target + "/rootfs")
        }
    }

    /// The image `name` refers to: an id (`sha256:…`, or its hex), a tagged or a digested name.
    func find(_ name: String) -> Record? {
        if name.hasPrefix("sha256:") || (name.count == 64 && name.allSatisfy(\.isHexDigit)) { return record(name) }
        guard let reference = try? ImageReference(name) else { return nil }
        let images = all()
        if let digest = reference.digest { return images.first { $0.digests.contains(reference.digested(digest)) } }
        return images.first { reference.tagged.map($0.tags.contains) ?? false }
    }

    /// Every unpacked image.
    func all() -> [Record] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        return names.filter { !$0.hasPrefix(".") }.compactMap { record("sha256:" + $0) }
    }

    private func record(_ id: String) -> Record? {
        let path = "\(directory)/\(Self.hex(id))/image.json"
        guard let data = FileManager.default.contents(atPath: path) else { return nil }
        return try? JSONDecoder().decode(Record.self, from: data)
    }

    private func update(_ id: String, _ change: (inout Record?) -> Void) throws {
        try records.withLock { _ in
            var record = self.record(id)
            change(&record)
            guard let record else { return }
            try StateFile.write(record, to: "\(directory)/\(Self.hex(id))/image.json")
        }
    }

    static func hex(_ id: String) -> String {
        id.hasPrefix("sha256:") ? String(id.dropFirst("sha256:".count)) : id
    }
}
