import FlotillaCore
import Testing

@testable import FlotillaAgent

@Suite struct LocalVolumeProvisionerTests {
    func claim(_ spec: JSON, deleting: Bool = false) -> JSON {
        var meta: JSON = ["name": "data", "namespace": "shop", "uid": "1234"]
        if deleting { meta["deletionTimestamp"] = "2026-01-01T00:00:00Z" }
        return ["metadata": meta, "spec": spec]
    }

    @Test func onlyUnboundClaimsWithoutAClassOrWithOursGetAVolume() {
        #expect(LocalVolumeProvisioner.wantsVolume(claim([:])))
        #expect(LocalVolumeProvisioner.wantsVolume(claim(["storageClassName": "local-path"])))
        #expect(!LocalVolumeProvisioner.wantsVolume(claim(["storageClassName": ""])))
        #expect(!LocalVolumeProvisioner.wantsVolume(claim(["storageClassName": "fast-ssd"])))
        #expect(!LocalVolumeProvisioner.wantsVolume(claim(["volumeName": "pv-1"])))
        #expect(!LocalVolumeProvisioner.wantsVolume(claim([:], deleting: true)))
    }

    @Test func theVolumeIsPinnedToTheNodeAndBoundToTheClaim() {
        let volume = LocalVolumeProvisioner.volume(
            for: claim(["accessModes": ["ReadWriteOnce"], "resources": ["requests": ["storage": "5Gi"]]]), node: "n1", path: "/var/lib/v/x")
        #expect(volume["metadata"]["name"] == "pvc-1234")
        #expect(volume["metadata"]["labels"]["flotilla.io/local-volume-node"] == "n1")
        #expect(volume["spec"]["capacity"] == ["storage": "5Gi"])
        #expect(volume["spec"]["accessModes"] == ["ReadWriteOnce"])
        #expect(volume["spec"]["local"] == ["path": "/var/lib/v/x"])
        #expect(volume["spec"]["persistentVolumeReclaimPolicy"] == "Delete")
        #expect(volume["spec"]["nodeAffinity"]["required"]["nodeSelectorTerms"][0]["matchExpressions"][0]
            == ["key": "kubernetes.io/hostname", "operator": "In", "values": ["n1"]])
        #expect(volume["spec"]["claimRef"] == ["apiVersion": "v1", "kind": "PersistentVolumeClaim", "namespace": "shop", "name": "data", "uid": "1234"])
        let defaults = LocalVolumeProvisioner.volume(for: claim([:]), node: "n1", path: "/p")
        #expect(defaults["spec"]["capacity"] == ["storage": "1Gi"] && defaults["spec"]["accessModes"] == ["ReadWriteOnce"])
    }
}
