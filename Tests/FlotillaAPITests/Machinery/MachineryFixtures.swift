import FlotillaAPI
import FlotillaCore

/// A small test-local schema (a Deployment, a Node and what they contain) for the machinery tests.
enum MachineryFixtures {
    static let deployment = "test.Deployment"
    static let node = "test.Node"

    static let catalog = SchemaCatalog([
        Definition("test.ObjectMeta", fields: [
            Field("name", 1, .string()),
            Field("namespace", 3, .string()),
            Field("resourceVersion", 6, .string()),
            Field("creationTimestamp", 8, .time),
            Field("labels", 11, .map(.string())),
            Field("annotations", 12, .map(.string())),
            Field("finalizers", 14, .array(.string()), patchStrategy: "merge"),
            Field("managedFields", 17, .array(.ref("test.ManagedFieldsEntry"))),
        ]),
        Definition("test.ManagedFieldsEntry", fields: [
            Field("manager", 1, .string()),
            Field("operation", 2, .string()),
            Field("apiVersion", 3, .string()),
            Field("time", 4, .time),
            Field("fieldsType", 6, .string()),
            Field("fieldsV1", 7, .any),
            Field("subresource", 8, .string()),
        ]),
        Definition(deployment, gvk: [GroupVersionKind("apps", "v1", "Deployment")], fields: [
            Field("metadata", 1, .ref("test.ObjectMeta")),
            Field("spec", 2, .ref("test.DeploymentSpec")),
            Field("status", 3, .ref("test.DeploymentStatus")),
        ]),
        Definition("test.DeploymentSpec", fields: [
            Field("replicas", 1, .int32),
            Field("selector", 2, .ref("test.LabelSelector")),
            Field("template", 3, .ref("test.PodTemplateSpec")),
            Field("strategy", 4, .ref("test.DeploymentStrategy"), patchStrategy: "retainKeys"),
            Field("paused", 7, .boolean),
        ]),
        Definition("test.DeploymentStatus", fields: [
            Field("replicas", 2, .int32),
        ]),
        Definition("test.DeploymentStrategy", fields: [
            Field("type", 1, .string()),
            Field("rollingUpdate", 2, .ref("test.RollingUpdate")),
        ]),
        Definition("test.RollingUpdate", fields: [
            Field("maxUnavailable", 1, .intOrString),
            Field("maxSurge", 2, .intOrString),
        ]),
        Definition("test.LabelSelector", fields: [
            Field("matchLabels", 1, .map(.string())),
        ]),
        Definition("test.PodTemplateSpec", fields: [
            Field("metadata", 1, .ref("test.ObjectMeta")),
            Field("spec", 2, .ref("test.PodSpec")),
        ]),
        Definition("test.PodSpec", fields: [
            Field("volumes", 1, .array(.ref("test.Volume")), patchStrategy: "merge,retainKeys", patchMergeKey: "name",
                  listType: "map", listMapKeys: ["name"]),
            Field("containers", 2, .array(.ref("test.Container")), patchStrategy: "merge", patchMergeKey: "name",
                  listType: "map", listMapKeys: ["name"]),
            Field("nodeSelector", 7, .map(.string())),
            Field("tolerations", 22, .array(.ref("test.Toleration")), listType: "atomic"),
            Field("overhead", 32, .map(.quantity)),
        ]),
        Definition("test.Volume", fields: [
            Field("name", 1, .string(), required: true),
            Field("emptyDir", 2, .ref("test.EmptyDir")),
            Field("configMap", 3, .ref("test.ConfigMapSource")),
        ]),
        Definition("test.EmptyDir", fields: [Field("medium", 1, .string()), Field("sizeLimit", 2, .quantity)]),
        Definition("test.ConfigMapSource", fields: [Field("name", 1, .string())]),
        Definition("test.Container", fields: [
            Field("name", 1, .string(), required: true),
            Field("image", 2, .string()),
            Field("args", 4, .array(.string()), listType: "atomic"),
            Field("ports", 6, .array(.ref("test.ContainerPort")), patchStrategy: "merge", patchMergeKey: "containerPort",
                  listType: "map", listMapKeys: ["containerPort", "protocol"]),
            Field("env", 7, .array(.ref("test.EnvVar")), patchStrategy: "merge", patchMergeKey: "name",
                  listType: "map", listMapKeys: ["name"]),
            Field("resources", 8, .ref("test.Resources")),
        ]),
        Definition("test.Resources", fields: [
            Field("limits", 1, .map(.quantity)),
            Field("requests", 2, .map(.quantity)),
        ]),
        Definition("test.ContainerPort", fields: [
            Field("name", 1, .string()),
            Field("containerPort", 3, .int32, required: true),
            Field("protocol", 4, .string()),
        ]),
        Definition("test.EnvVar", fields: [Field("name", 1, .string()), Field("value", 2, .string())]),
        Definition("test.Toleration", fields: [Field("key", 1, .string()), Field("effect", 3, .string())]),
        Definition(node, gvk: [GroupVersionKind("", "v1", "Node")], fields: [
            Field("metadata", 1, .ref("test.ObjectMeta")),
            Field("spec", 2, .ref("test.NodeSpec")),
        ]),
        Definition("test.NodeSpec", fields: [
            Field("podCIDR", 1, .string()),
            Field("unschedulable", 4, .boolean),
            Field("taints", 5, .array(.ref("test.Toleration"))),
        ]),
    ])

    static func json(_ text: String) -> JSON {
        // Fixtures are literals written in the tests; a typo there should fail loudly.
        try! JSONParser.parse(text)
    }

    /// A deployment with two containers and a volume, as stored.
    static let liveDeployment = json("""
        {"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"web","namespace":"default","labels":{"app":"web"}},
         "spec":{"replicas":2,"selector":{"matchLabels":{"app":"web"}},
          "strategy":{"type":"RollingUpdate","rollingUpdate":{"maxSurge":"25%","maxUnavailable":"25%"}},
          "template":{"metadata":{"labels":{"app":"web"}},"spec":{
            "containers":[{"name":"web","image":"nginx:1","ports":[{"containerPort":80,"protocol":"TCP"}],"env":[{"name":"A","value":"1"}]},
                          {"name":"sidecar","image":"busybox","args":["sleep","3600"]}],
            "volumes":[{"name":"data","emptyDir":{}}]}}}}
        """)
}
