import FlotillaCore
import Testing

@testable import FlotillaAPI

@Suite("Name validation")
struct NameValidationTests {
    @Test("DNS labels")
    func dnsLabels() {
        #expect(NameValidation.dnsLabel("my-name").isEmpty)
        #expect(NameValidation.dnsLabel("123-abc").isEmpty)
        #expect(
            NameValidation.dnsLabel("My_Name") == [
                "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')"
            ])
        #expect(NameValidation.dnsLabel("a.b") == ["must not contain dots"])
        #expect(NameValidation.dnsLabel(String(repeating: "a", count: 64)) == ["must be no more than 63 characters"])
        #expect(NameValidation.dnsLabel("").count == 1)
        #expect(NameValidation.dnsLabel("-a").count == 1)
    }

    @Test("DNS subdomains and RFC 1035 labels")
    func subdomains() {
        #expect(NameValidation.dnsSubdomain("example.com").isEmpty)
        #expect(NameValidation.dnsSubdomain("a..b").count == 1)
        #expect(
            NameValidation.dnsSubdomain("Example")[0].hasSuffix(
                "(e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')"))
        #expect(NameValidation.dnsSubdomain(String(repeating: "a", count: 254)).contains("must be no more than 253 characters"))
        #expect(NameValidation.dns1035Label("abc-1").isEmpty)
        #expect(NameValidation.dns1035Label("1abc")[0].hasPrefix("a DNS-1035 label must consist of lower case alphanumeric characters"))
    }

    @Test("qualified names and label values")
    func qualifiedNames() {
        #expect(NameValidation.qualifiedName("example.com/MyName").isEmpty)
        #expect(NameValidation.qualifiedName("app.kubernetes.io/name").isEmpty)
        #expect(NameValidation.qualifiedName("/a") == ["prefix part must be non-empty"])
        #expect(NameValidation.qualifiedName("a/") == ["name part must be non-empty", NameValidation.qualifiedName("-")[0]])
        #expect(NameValidation.qualifiedName("a/b/c")[0].hasPrefix("a qualified name must consist of alphanumeric characters"))
        #expect(NameValidation.qualifiedName("Bad_Prefix/x")[0].hasPrefix("prefix part a lowercase RFC 1123 subdomain"))
        #expect(NameValidation.labelValue("").isEmpty)
        #expect(NameValidation.labelValue("my_value").isEmpty)
        #expect(NameValidation.labelValue("-bad")[0].hasPrefix("a valid label must be an empty string or consist of"))
        #expect(NameValidation.labelValue(String(repeating: "a", count: 64)).first == "must be no more than 63 characters")
    }

    @Test(
        "a qualified name is judged valid without building messages exactly when it has no problem",
        arguments: [
            ("a", true), ("a_b.C-9", true), (String(repeating: "a", count: 63), true), (String(repeating: "a", count: 64), false),
            ("a.b/c", true), ("example.com/MyName", true), (String(repeating: "a", count: 63) + "." + String(repeating: "b", count: 189) + "/x", true),
            (String(repeating: "a", count: 63) + "." + String(repeating: "b", count: 190) + "/x", false), ("A.b/c", false),
            ("a..b/c", false), ("a/b/c", false), ("-a", false), ("a_", false), ("", false), ("/", false), (".a/b", false),
            ("a-/b", false), ("a/", false), ("é", false), ("node.kubernetes.io/not-ready", true),
        ])
    func qualifiedNameFastPath(value: String, valid: Bool) {
        #expect(NameValidation.isQualifiedName(value) == valid)
        #expect(NameValidation.qualifiedName(value).isEmpty == valid)
    }

    @Test("config keys, path segments, environment variables and port names")
    func otherNames() {
        #expect(NameValidation.configMapKey("key.name").isEmpty)
        #expect(NameValidation.configMapKey("..") == ["must not be '..'"])
        #expect(NameValidation.configMapKey("..a") == ["must not start with '..'"])
        #expect(NameValidation.configMapKey("a b")[0].hasPrefix("a valid config key must consist of alphanumeric characters"))
        #expect(NameValidation.pathSegmentName("a/b") == ["may not contain '/'"])
        #expect(NameValidation.pathSegmentName("..") == ["may not be '..'"])
        #expect(NameValidation.cIdentifier("MY_VAR").isEmpty)
        #expect(NameValidation.cIdentifier("my.var-1").isEmpty)
        #expect(
            NameValidation.cIdentifier("A=B") == [
                "a valid environment variable name must consist only of printable ASCII characters other than '='"
            ])
        #expect(NameValidation.cIdentifier("").first == "environment variable name must be non-empty")
        #expect(NameValidation.portName("http").isEmpty)
        #expect(NameValidation.portName("123") == ["must contain at least one letter (a-z)"])
        #expect(NameValidation.portName("a--b") == ["must not contain consecutive hyphens"])
        #expect(NameValidation.portName("HTTP").contains("must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)"))
    }

    @Test("generateName prefixes may end with a dash")
    func prefixes() {
        #expect(NameValidation.validate("web-", rule: .dnsSubdomain, prefix: true).isEmpty)
        #expect(NameValidation.validate("web-", rule: .dnsLabel, prefix: false).count == 1)
    }

    @Test("field error causes are worded as Kubernetes words them")
    func causes() {
        let invalid = FlotillaError.Cause.invalid("metadata.name", "Bad", "must be lower case")
        #expect(invalid == .init(reason: "FieldValueInvalid", message: "Invalid value: \"Bad\": must be lower case", field: "metadata.name"))
        #expect(FlotillaError.Cause.required("spec.containers").message == "Required value")
        #expect(FlotillaError.Cause.duplicate("spec.ports[1].name", "http").message == "Duplicate value: \"http\"")
        #expect(
            FlotillaError.Cause.notSupported("spec.type", "Foo", ["ClusterIP", "NodePort"]).message
                == "Unsupported value: \"Foo\": supported values: \"ClusterIP\", \"NodePort\"")
        #expect(FlotillaError.Cause.forbidden("spec", "nope").message == "Forbidden: nope")
        #expect(FlotillaError.Cause.tooLong("metadata.annotations", maxBytes: 262144).message == "Too long: may not be more than 262144 bytes")
        #expect(FlotillaError.Cause.tooMany("spec.items", actual: 5, max: 3).message == "Too many: 5: must have at most 3 items")
        #expect(FlotillaError.Cause.invalid("spec.replicas", .int(-1), "must be greater than or equal to 0").message == "Invalid value: -1: must be greater than or equal to 0")
    }

    @Test("object metadata")
    func objectMeta() {
        let missing = ObjectMetaValidation.validate(["namespace": "default"], nameRule: .dnsSubdomain, namespaced: true)
        #expect(missing == [.required("metadata.name", "name or generateName is required")])
        let noNamespace = ObjectMetaValidation.validate(["name": "a"], nameRule: .dnsSubdomain, namespaced: true)
        #expect(noNamespace.map(\.field) == ["metadata.namespace"])
        let clusterScoped = ObjectMetaValidation.validate(["name": "a", "namespace": "x"], nameRule: .dnsLabel, namespaced: false)
        #expect(clusterScoped.map(\.reason) == ["FieldValueForbidden"])
        let labels = ObjectMetaValidation.validate(
            ["name": "a", "namespace": "d", "labels": ["bad key!": "v", "ok": "-bad"]], nameRule: .dnsSubdomain, namespaced: true)
        #expect(labels.count == 2)
        #expect(labels.allSatisfy { $0.field == "metadata.labels" })
        let big = JSON.string(String(repeating: "x", count: 300 * 1024))
        let annotations = ObjectMetaValidation.validate(
            ["name": "a", "namespace": "d", "annotations": ["a": big]], nameRule: .dnsSubdomain, namespaced: true)
        #expect(annotations.map(\.reason) == ["FieldValueTooLong"])
        #expect(ObjectMetaValidation.validate(["generateName": "web-", "namespace": "d"], nameRule: .dnsSubdomain, namespaced: true).isEmpty)
    }

    @Test("label selectors")
    func selectors() {
        let selector: JSON = [
            "matchLabels": ["app": "web"],
            "matchExpressions": [
                ["key": "tier", "operator": "In", "values": []],
                ["key": "env", "operator": "Exists", "values": ["x"]],
                ["key": "zone", "operator": "Near", "values": ["a"]],
                ["key": "ok", "operator": "NotIn", "values": ["a", "b"]],
            ],
        ]
        let causes = ObjectMetaValidation.validateLabelSelector(selector, path: "spec.selector")
        #expect(
            causes.map(\.field) == [
                "spec.selector.matchExpressions[0].values", "spec.selector.matchExpressions[1].values",
                "spec.selector.matchExpressions[2].operator",
            ])
        #expect(causes.map(\.reason) == ["FieldValueRequired", "FieldValueForbidden", "FieldValueInvalid"])
    }
}
