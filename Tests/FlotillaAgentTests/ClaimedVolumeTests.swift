import FlotillaAgent
import FlotillaCore
import Foundation
import Testing

/// A pod's persistentVolumeClaim volumes, resolved through the claim to the node path of its
/// bound PersistentVolume, or left waiting with why.
@Suite struct ClaimedVolumeTests {
    func pod(readOnly: Bool = false) -> JSON {
        [
            "metadata": ["name": "db", "uid": "u1", "namespace": "shop"],
            "spec": [
                "volumes": [["name": "data", "persistentVolumeClaim": ["claimName": "data", "readOnly": .bool(readOnly)]]],
                "containers": [["name": "app", "image": "busybox:1", "volumeMounts": [["name": "data", "mountPath": "/data"]]]],
            ],
        ]
    }

    func claim(volumeName: String?) -> JSON {
        var claim: JSON = ["metadata": ["name": "data", "namespace": "shop"], "spec": ["accessModes": ["ReadWriteOnce"]], "status": ["phase": "Pending"]]
        if let volumeName { claim["spec"]["volumeName"] = .string(volumeName) }
        return claim
    }

    func source(claim: JSON?, volume: JSON?, readOnly: Bool = false) throws -> PodVolume {
        var inputs = PodInputs()
        if let claim { inputs.persistentVolumeClaims["data"] = claim }
        if let volume { inputs.persistentVolumes["pv1"] = volume }
        return try #require(try PodDesign(pod: pod(readOnly: readOnly), inputs: inputs).volumes.first)
    }

    @Test func aBoundClaimIsItsVolumesNodePath() throws {
        // Bound by its volumeName alone, whatever its phase says.
        let hostPath: JSON = ["metadata": ["name": "pv1"], "spec": ["hostPath": ["path": "/srv/pv1", "type": "DirectoryOrCreate"]]]
        #expect(try source(claim: claim(volumeName: "pv1"), volume: hostPath) == PodVolume(name: "data", source: .hostPath("/srv/pv1", type: .directoryOrCreate)))
        let local: JSON = ["metadata": ["name": "pv1"], "spec": ["local": ["path": "/mnt/disk1"]]]
        let readOnly = try source(claim: claim(volumeName: "pv1"), volume: local, readOnly: true)
        #expect(readOnly == PodVolume(name: "data", source: .hostPath("/mnt/disk1", type: .directory), readOnly: true))
        #expect(readOnly.isReadOnly)
    }

    @Test func aMissingOrUnboundClaimLeavesTheVolumeUnavailable() throws {
        #expect(try source(claim: nil, volume: nil).source == .unavailable("persistentvolumeclaim \"data\" not found"))
        #expect(try source(claim: claim(volumeName: nil), volume: nil).source == .unavailable("persistentvolumeclaim \"data\" is not bound"))
        #expect(
            try source(claim: claim(volumeName: "pv1"), volume: nil).source
                == .unavailable("persistentvolume \"pv1\" bound to persistentvolumeclaim \"data\" not found"))
    }

    @Test func aVolumeOfAnotherSourceIsNamed() throws {
        let nfs: JSON = ["metadata": ["name": "pv1"], "spec": ["nfs": ["server": "10.0.0.1", "path": "/export"]]]
        #expect(
            try source(claim: claim(volumeName: "pv1"), volume: nfs).source
                == .unavailable("persistentvolume \"pv1\" bound to persistentvolumeclaim \"data\" is a nfs volume, which this agent does not provide"))
    }

    @Test func hostPathTypesAreCheckedOrMade() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("hostpath-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: directory) }
        #expect(throws: FlotillaError.self) { try HostPathType.directory.prepare(directory) }
        try HostPathType.directoryOrCreate.prepare(directory + "/made")
        try HostPathType.directory.prepare(directory + "/made")
        try HostPathType.fileOrCreate.prepare(directory + "/file")
        try HostPathType.file.prepare(directory + "/file")
        try HostPathType.unchecked.prepare(directory + "/nothing")
        let error = try #require(throws: FlotillaError.self) { try HostPathType.directory.prepare(directory + "/file") }
        #expect(error.message == "hostPath type check failed: \(directory)/file is not a directory")
    }
}
