import FlotillaCore
import Testing

@testable import FlotillaAPI

/// The schemas of the apps, batch and other groups hang together: every reference resolves,
/// field numbers are unique, every resource's schema exists and names its kind.
@Suite struct OtherGroupSchemaTests {
    static let owned: [Definition] = AppsV1Schemas.definitions + BatchV1Schemas.definitions + OtherGroupSchemas.definitions
    static let resources: [ResourceDefinition] = AppsV1Resources.all + BatchV1Resources.all + OtherGroupResources.all

    private static func refs(_ type: SchemaType) -> [String] {
        switch type {
        case .ref(let name): return [name]
        case .array(let inner), .map(let inner): return refs(inner)
        default: return []
        }
    }

    @Test func everyReferenceResolvesInTheSharedCatalog() {
        var missing: [String] = []
        for definition in Self.owned {
            for field in definition.fields {
                for name in Self.refs(field.type) where SchemaCatalog.shared.definition(name) == nil {
                    missing.append("\(definition.name).\(field.name) → \(name)")
                }
            }
        }
        #expect(missing.isEmpty, "unresolved references: \(missing)")
    }

    @Test func fieldNumbersAndNamesAreUniquePerDefinition() {
        for definition in Self.owned {
            let numbers = definition.fields.map(\.number).filter { $0 != 0 }
            #expect(Set(numbers).count == numbers.count, "duplicate field number in \(definition.name)")
            #expect(numbers.allSatisfy { $0 > 0 }, "negative field number in \(definition.name)")
            let names = definition.fields.map(\.name)
            #expect(Set(names).count == names.count, "duplicate field name in \(definition.name)")
        }
    }

    @Test func definitionNamesAreUnique() {
        let names = Self.owned.map(\.name)
        #expect(Set(names).count == names.count)
    }

    @Test func onlyTypeFieldsGoWithoutANumber() {
        for definition in Self.owned {
            for field in definition.fields where field.number == 0 {
                #expect(["apiVersion", "kind"].contains(field.name), "\(definition.name).\(field.name) has no number")
            }
        }
    }

    @Test func everyResourceHasItsSchemaWithItsKind() {
        for resource in Self.resources {
            let definition = SchemaCatalog.shared.definition(resource.schema)
            #expect(definition != nil, "no schema \(resource.schema)")
            #expect(definition?.groupVersionKinds.contains(resource.groupVersionKind) == true, "\(resource.schema) lacks its kind")
            #expect(ResourceCatalog.shared.resource(group: resource.group, version: resource.version, plural: resource.plural) != nil)
        }
    }

    @Test func listableResourcesHaveListDefinitions() {
        for resource in Self.resources where resource.verbs.contains("list") {
            let list = SchemaCatalog.shared.definition(resource.schema + "List")
            #expect(list?.field("items")?.type == .array(.ref(resource.schema)), "no list of \(resource.schema)")
            #expect(list?.field("metadata")?.number == 1)
        }
        #expect(SchemaCatalog.shared.definition("io.k8s.api.authorization.v1.SelfSubjectAccessReviewList") == nil)
    }

    @Test func subresourceKindsHaveSchemas() {
        let scale = SchemaCatalog.shared.definition("io.k8s.api.autoscaling.v1.Scale")
        #expect(scale?.field("spec") != nil)
        #expect(SchemaCatalog.shared.definition("io.k8s.api.autoscaling.v1.ScaleStatus")?.field("selector")?.number == 2)
        #expect(SchemaCatalog.shared.definition("io.k8s.api.policy.v1.Eviction")?.field("deleteOptions")?.number == 2)
    }

    @Test func protobufNumbersOfKubectlCreatedKinds() throws {
        let spec = try #require(SchemaCatalog.shared.definition("io.k8s.api.apps.v1.DeploymentSpec"))
        #expect(spec.field(number: 4)?.name == "strategy")
        #expect(spec.field(number: 9)?.name == "progressDeadlineSeconds")
        #expect(spec.field("strategy")?.patchStrategy == "retainKeys")
        let job = try #require(SchemaCatalog.shared.definition("io.k8s.api.batch.v1.JobSpec"))
        #expect(job.field(number: 6)?.name == "template")
        #expect(job.field(number: 14)?.name == "podReplacementPolicy")
        let review = try #require(SchemaCatalog.shared.definition("io.k8s.api.authorization.v1.SubjectAccessReviewStatus"))
        #expect(review.field(number: 4)?.name == "denied")
        let lease = try #require(SchemaCatalog.shared.definition("io.k8s.api.coordination.v1.LeaseSpec"))
        #expect(lease.field("renewTime")?.type == .microTime)
    }

    @Test func conditionListsMergeByType() throws {
        let status = try #require(SchemaCatalog.shared.definition("io.k8s.api.apps.v1.DeploymentStatus"))
        let conditions = try #require(status.field("conditions"))
        #expect(conditions.patchMergeKey == "type")
        #expect(conditions.patchStrategy == "merge")
        #expect(conditions.listMapKeys == ["type"])
    }

    @Test func shortNamesAndCategories() {
        let byPlural = Dictionary(uniqueKeysWithValues: Self.resources.map { ($0.plural, $0) })
        #expect(byPlural["deployments"]?.shortNames == ["deploy"])
        #expect(byPlural["cronjobs"]?.shortNames == ["cj"])
        #expect(byPlural["horizontalpodautoscalers"]?.shortNames == ["hpa"])
        #expect(byPlural["priorityclasses"]?.namespaced == false)
        #expect(byPlural["selfsubjectaccessreviews"]?.verbs == ["create"])
        #expect(byPlural["deployments"]?.subresources.map(\.name) == ["status", "scale"])
        #expect(byPlural["daemonsets"]?.subresources.map(\.name) == ["status"])
        for plural in ["deployments", "replicasets", "daemonsets", "statefulsets", "jobs", "cronjobs"] {
            #expect(byPlural[plural]?.categories == ["all"])
        }
    }
}
