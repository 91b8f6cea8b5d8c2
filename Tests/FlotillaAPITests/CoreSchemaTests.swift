import FlotillaCore
import Testing

@testable import FlotillaAPI

@Suite("Core schemas")
struct CoreSchemaTests {
    static let ownDefinitions = MetaV1Schemas.definitions + CoreV1Schemas.definitions

    static func references(_ type: SchemaType) -> [String] {
        switch type {
        case .ref(let name): return [name]
        case .array(let element), .map(let element): return references(element)
        default: return []
        }
    }

    @Test("every referenced definition exists in the catalog")
    func referencesResolve() {
        for definition in Self.ownDefinitions {
            for field in definition.fields {
                for name in Self.references(field.type) {
                    #expect(SchemaCatalog.shared.definition(name) != nil, "\(definition.name).\(field.name) → \(name)")
                }
            }
        }
    }

    @Test("field numbers and names are unique within each definition")
    func uniqueNumbers() {
        for definition in Self.ownDefinitions {
            let numbers = definition.fields.map(\.number).filter { $0 != 0 }
            #expect(Set(numbers).count == numbers.count, "\(definition.name)")
            let names = definition.fields.map(\.name)
            #expect(Set(names).count == names.count, "\(definition.name)")
            #expect(definition.fields.allSatisfy { !$0.description.isEmpty }, "\(definition.name)")
        }
    }

    @Test("definition names are unique and kinds carry their group, version and kind")
    func kinds() throws {
        let names = Self.ownDefinitions.map(\.name)
        #expect(Set(names).count == names.count)
        let pod = try #require(SchemaCatalog.shared.definition("io.k8s.api.core.v1.Pod"))
        #expect(pod.groupVersionKinds == [GroupVersionKind("", "v1", "Pod")])
        for resource in CoreV1Resources.all {
            let schema = try #require(SchemaCatalog.shared.definition(resource.schema), "\(resource.plural)")
            #expect(schema.groupVersionKinds.contains(resource.groupVersionKind))
        }
    }

    @Test("protobuf numbers and merge keys match Kubernetes")
    func facts() throws {
        let spec = try #require(SchemaCatalog.shared.definition("io.k8s.api.core.v1.PodSpec"))
        #expect(spec.field("containers")?.number == 2)
        #expect(spec.field("containers")?.patchMergeKey == "name")
        #expect(spec.field("containers")?.required == true)
        #expect(spec.field("volumes")?.patchStrategy == "merge,retainKeys")
        #expect(spec.field("initContainers")?.number == 20)
        #expect(spec.field("ephemeralContainers")?.number == 34)
        let container = try #require(SchemaCatalog.shared.definition("io.k8s.api.core.v1.Container"))
        #expect(container.field("ports")?.listMapKeys == ["containerPort", "protocol"])
        #expect(container.field("resources")?.number == 8)
        let requirements = try #require(SchemaCatalog.shared.definition("io.k8s.api.core.v1.ResourceRequirements"))
        #expect(requirements.field("limits")?.type == .map(.quantity))
        let secret = try #require(SchemaCatalog.shared.definition("io.k8s.api.core.v1.Secret"))
        #expect(secret.field("data")?.type == .map(.bytes))
        #expect(secret.field("type")?.number == 3)
        let meta = try #require(SchemaCatalog.shared.definition("io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta"))
        #expect(meta.field("creationTimestamp")?.type == .time)
        #expect(meta.field("managedFields")?.number == 17)
        let daemon = try #require(SchemaCatalog.shared.definition("io.k8s.api.core.v1.DaemonEndpoint"))
        #expect(daemon.field("Port")?.number == 1)
        let probe = try #require(SchemaCatalog.shared.definition("io.k8s.api.core.v1.Probe"))
        #expect(probe.field("httpGet")?.number == 0)
        #expect(CoreV1Schemas.embeddedMessages["io.k8s.api.core.v1.Probe"] == [.init(number: 1, definition: "io.k8s.api.core.v1.ProbeHandler")])
        for (parent, embedded) in CoreV1Schemas.embeddedMessages {
            #expect(SchemaCatalog.shared.definition(parent) != nil)
            for e in embedded { #expect(SchemaCatalog.shared.definition(e.definition) != nil) }
        }
    }
}
