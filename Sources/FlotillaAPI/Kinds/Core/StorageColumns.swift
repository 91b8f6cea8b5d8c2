import FlotillaCore
import Foundation

/// The `kubectl get pv` and `kubectl get pvc` columns.
public enum StorageColumns {
    /// CAPACITY, ACCESS MODES, RECLAIM POLICY, STATUS, CLAIM, STORAGECLASS,
    /// VOLUMEATTRIBUTESCLASS, REASON, AGE and, with `-o wide`, VOLUMEMODE.
    public static let persistentVolumes: [TableColumn] = [
        TableColumn("Capacity", description: "The volume's storage capacity.") { pv, _ in
            .string(TableCells.quantity(pv["spec"]["capacity"]["storage"]))
        },
        TableColumn("Access Modes", description: "How the volume may be mounted.") { pv, _ in
            .string(TableCells.accessModes(pv["spec"]["accessModes"]))
        },
        TableColumn("Reclaim Policy", description: "What happens when the claim is released.") { pv, _ in
            TableCells.text(pv["spec"]["persistentVolumeReclaimPolicy"])
        },
        TableColumn("Status", description: "The volume's phase.") { pv, _ in .string(phase(pv)) },
        TableColumn("Claim", description: "The bound claim, as namespace/name.") { pv, _ in
            let ref = pv["spec"]["claimRef"]
            guard ref.object != nil else { return "" }
            return .string("\(ref["namespace"].string ?? "")/\(ref["name"].string ?? "")")
        },
        TableColumn("StorageClass", description: "The volume's storage class.") { pv, _ in .string(storageClass(pv)) },
        TableColumn("VolumeAttributesClass", description: "The volume's attributes class.") { pv, _ in
            TableCells.text(pv["spec"]["volumeAttributesClassName"], or: "<unset>")
        },
        TableColumn("Reason", description: "Why the volume is in its phase.") { pv, _ in TableCells.text(pv["status"]["reason"]) },
        .age,
        TableColumn("VolumeMode", description: "Filesystem or Block.", priority: 1) { pv, _ in
            TableCells.text(pv["spec"]["volumeMode"], or: "<unset>")
        },
    ]

    /// STATUS, VOLUME, CAPACITY, ACCESS MODES, STORAGECLASS, VOLUMEATTRIBUTESCLASS, AGE and,
    /// with `-o wide`, VOLUMEMODE.
    public static let persistentVolumeClaims: [TableColumn] = [
        TableColumn("Status", description: "The claim's phase.") { pvc, _ in .string(phase(pvc)) },
        TableColumn("Volume", description: "The bound volume.") { pvc, _ in TableCells.text(pvc["spec"]["volumeName"]) },
        TableColumn("Capacity", description: "The bound volume's capacity.") { pvc, _ in
            guard bound(pvc) else { return "" }
            return .string(TableCells.quantity(pvc["status"]["capacity"]["storage"]))
        },
        TableColumn("Access Modes", description: "How the bound volume may be mounted.") { pvc, _ in
            guard bound(pvc) else { return "" }
            return .string(TableCells.accessModes(pvc["status"]["accessModes"]))
        },
        TableColumn("StorageClass", description: "The claim's storage class.") { pvc, _ in .string(storageClass(pvc)) },
        TableColumn("VolumeAttributesClass", description: "The claim's attributes class.") { pvc, _ in
            TableCells.text(pvc["spec"]["volumeAttributesClassName"], or: "<unset>")
        },
        .age,
        TableColumn("VolumeMode", description: "Filesystem or Block.", priority: 1) { pvc, _ in
            TableCells.text(pvc["spec"]["volumeMode"], or: "<unset>")
        },
    ]

    static func bound(_ pvc: JSON) -> Bool { !(pvc["spec"]["volumeName"].string ?? "").isEmpty }

    /// The phase, or "Terminating" once deletion was requested.
    static func phase(_ object: JSON) -> String {
        object["metadata"]["deletionTimestamp"].isNull ? (object["status"]["phase"].string ?? "") : "Terminating"
    }

    /// The storage class from the spec, or from the older beta annotation.
    static func storageClass(_ object: JSON) -> String {
        if let name = object["spec"]["storageClassName"].string { return name }
        return object["metadata"]["annotations"]["volume.beta.kubernetes.io/storage-class"].string ?? ""
    }
}
