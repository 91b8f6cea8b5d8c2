import FlotillaCore

/// The apps/v1 defaults, as Kubernetes' `SetDefaults_Deployment`, `_ReplicaSet`, `_DaemonSet`
/// and `_StatefulSet` apply them.
enum AppsV1Defaults {
    /// replicas 1; strategy RollingUpdate with maxUnavailable and maxSurge "25%";
    /// revisionHistoryLimit 10; progressDeadlineSeconds 600.
    static func deployment(_ object: inout JSON) {
        object.fillIfAbsent(["spec", "replicas"], 1)
        object.fillIfAbsent(["spec", "strategy", "type"], "RollingUpdate")
        if object[path: ["spec", "strategy", "type"]].string == "RollingUpdate" {
            object.fillIfAbsent(["spec", "strategy", "rollingUpdate", "maxUnavailable"], "25%")
            object.fillIfAbsent(["spec", "strategy", "rollingUpdate", "maxSurge"], "25%")
        }
        object.fillIfAbsent(["spec", "revisionHistoryLimit"], 10)
        object.fillIfAbsent(["spec", "progressDeadlineSeconds"], 600)
        podTemplate(&object)
    }

    /// replicas 1.
    static func replicaSet(_ object: inout JSON) {
        object.fillIfAbsent(["spec", "replicas"], 1)
        podTemplate(&object)
    }

    /// updateStrategy RollingUpdate with maxUnavailable 1 and maxSurge 0; revisionHistoryLimit 10.
    static func daemonSet(_ object: inout JSON) {
        object.fillIfAbsent(["spec", "updateStrategy", "type"], "RollingUpdate")
        if object[path: ["spec", "updateStrategy", "type"]].string == "RollingUpdate" {
            object.fillIfAbsent(["spec", "updateStrategy", "rollingUpdate", "maxUnavailable"], 1)
            object.fillIfAbsent(["spec", "updateStrategy", "rollingUpdate", "maxSurge"], 0)
        }
        object.fillIfAbsent(["spec", "revisionHistoryLimit"], 10)
        podTemplate(&object)
    }

    /// replicas 1; podManagementPolicy OrderedReady; updateStrategy RollingUpdate with partition 0;
    /// revisionHistoryLimit 10; claim retention Retain/Retain; claim templates get
    /// `volumeMode: Filesystem`, their type fields and a Pending phase.
    static func statefulSet(_ object: inout JSON) {
        object.fillIfAbsent(["spec", "replicas"], 1)
        object.fillIfAbsent(["spec", "podManagementPolicy"], "OrderedReady")
        object.fillIfAbsent(["spec", "updateStrategy", "type"], "RollingUpdate")
        if object[path: ["spec", "updateStrategy", "type"]].string == "RollingUpdate" {
            object.fillIfAbsent(["spec", "updateStrategy", "rollingUpdate", "partition"], 0)
        }
        object.fillIfAbsent(["spec", "revisionHistoryLimit"], 10)
        object.fillIfAbsent(["spec", "persistentVolumeClaimRetentionPolicy", "whenDeleted"], "Retain")
        object.fillIfAbsent(["spec", "persistentVolumeClaimRetentionPolicy", "whenScaled"], "Retain")
        if var claims = object[path: ["spec", "volumeClaimTemplates"]].array {
            for i in claims.indices where claims[i].object != nil {
                claims[i].fillIfAbsent(["apiVersion"], "v1")
                claims[i].fillIfAbsent(["kind"], "PersistentVolumeClaim")
                claims[i].fillIfAbsent(["spec", "volumeMode"], "Filesystem")
                claims[i].fillIfAbsent(["status", "phase"], "Pending")
            }
            object[path: ["spec", "volumeClaimTemplates"]] = .array(claims)
        }
        podTemplate(&object)
    }

    /// The pod defaults applied to `spec.template`.
    private static func podTemplate(_ object: inout JSON) {
        guard object[path: ["spec", "template"]].object != nil else { return }
        PodDefaults.applyToPodTemplate(&object[path: ["spec", "template"]])
    }
}
