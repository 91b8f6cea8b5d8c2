import Foundation

/// Bodies captured from kubectl 1.32 (`create ...`, `auth can-i get pods`) against a loopback
/// listener, base64 of the exact request bytes.
enum CapturedKubectlBodies {
    static let namespace = "azhzAAoPCgJ2MRIJTmFtZXNwYWNlEhkKEQoBeBIAGgAiACoAMgA4AEIAEgAaAgoAGgAiAA=="
    static let configMap = "azhzAAoPCgJ2MRIJQ29uZmlnTWFwEhsKEQoBYxIAGgAiACoAMgA4AEIAEgYKAWESAWIaACIA"
    static let secret = "azhzAAoMCgJ2MRIGU2VjcmV0Eh0KEQoBcxIAGgAiACoAMgA4AEIAEgYKAWESAWIaABoAIgA="
    static let deployment =
        "azhzAAoVCgdhcHBzL3YxEgpEZXBsb3ltZW50EqMBChsKAWQSABoAIgAqADIAOABCAFoICgNhcHASAWQSdggCEgoKCAoDYXBwEgFkGl4KGgoAEgAaACIAKgAyADgAQgBaCAoDYXBwEgFkEkASIgoFbmdpbngSBW5naW54KgBCAGoAcgCAAQCIAQCQAQCiAQAaADIAQgBKAFIAWABgAGgAggEAigEAmgEAwgEAIgIKACgAOAAaDAgAEAAYACAAKAA4ABoAIgA="
    static let job =
        "azhzAAoPCghiYXRjaC92MRIDSm9iEngKEQoBahIAGgAiACoAMgA4AEIAElkyVwoQCgASABoAIgAqADIAOABCABJDEiAKAWoSB2J1c3lib3gqAEIAagByAIABAIgBAJABAKIBABoFTmV2ZXIyAEIASgBSAFgAYABoAIIBAIoBAJoBAMIBABoIIAAoADAAOgAaACIA"
    static let service =
        "azhzAAoNCgJ2MRIHU2VydmljZRJjChsKAXMSABoAIgAqADIAOABCAFoICgNhcHASAXMSQAobCgc4MC04MDgwEgNUQ1AYUCIHCAAQkD8aACgAEggKA2FwcBIBcxoAIglDbHVzdGVySVA6AEIAUgBaAGAAaAAaAgoAGgAiAA=="
    static let canI =
        "azhzAAoyChdhdXRob3JpemF0aW9uLms4cy5pby92MRIXU2VsZlN1YmplY3RBY2Nlc3NSZXZpZXcSPAoQCgASABoAIgAqADIAOABCABIeChwKB2RlZmF1bHQSA2dldBoAIgAqBHBvZHMyADoAGggIABIAGgAgABoAIgA="

    /// `kubectl create token default`
    static let tokenRequest =
        "azhzAAooChhhdXRoZW50aWNhdGlvbi5rOHMuaW8vdjESDFRva2VuUmVxdWVzdBIaChAKABIAGgAiACoAMgA4AEIAEgAaBAoAEgAaACIA"
    /// `kubectl auth can-i --list`
    static let selfSubjectRulesReview =
        "azhzAAoxChdhdXRob3JpemF0aW9uLms4cy5pby92MRIWU2VsZlN1YmplY3RSdWxlc1JldmlldxIjChAKABIAGgAiACoAMgA4AEIAEgkKB2RlZmF1bHQaBBgAIgAaACIA"
    /// `kubectl auth whoami`
    static let selfSubjectReview =
        "azhzAAotChhhdXRoZW50aWNhdGlvbi5rOHMuaW8vdjESEVNlbGZTdWJqZWN0UmV2aWV3EhoKEAoAEgAaACIAKgAyADgAQgASBgoECgASABoAIgA="
    /// `kubectl create cronjob cj --image=busybox --schedule="*/5 * * * *" -- echo hi`
    static let cronJob =
        "azhzAAoTCghiYXRjaC92MRIHQ3JvbkpvYhKoAQoSCgJjahIAGgAiACoAMgA4AEIAEo8BCgsqLzUgKiAqICogKhoAKn4KEgoCY2oSABoAIgAqADIAOABCABJoMmYKEAoAEgAaACIAKgAyADgAQgASUhIrCgJjahIHYnVzeWJveBoEZWNobxoCaGkqAEIAagByAIABAIgBAJABAKIBABoJT25GYWlsdXJlMgBCAEoAUgBYAGAAaACCAQCKAQCaAQDCAQAaABoAIgA="
    /// `kubectl create role r --verb=get,list --resource=pods,deployments.apps`
    static let role =
        "azhzAAokChxyYmFjLmF1dGhvcml6YXRpb24uazhzLmlvL3YxEgRSb2xlEkgKEQoBchIAGgAiACoAMgA4AEIAEhMKA2dldAoEbGlzdBIAGgRwb2RzEh4KA2dldAoEbGlzdBIEYXBwcxoLZGVwbG95bWVudHMaACIA"
    /// `kubectl create clusterrole cr --verb=get --resource=pods --non-resource-url=/healthz`
    static let clusterRole =
        "azhzAAorChxyYmFjLmF1dGhvcml6YXRpb24uazhzLmlvL3YxEgtDbHVzdGVyUm9sZRI0ChIKAmNyEgAaACIAKgAyADgAQgASDQoDZ2V0EgAaBHBvZHMSDwoDZ2V0KggvaGVhbHRoehoAIgA="
    /// `kubectl create rolebinding rb --role=r --user=alice --serviceaccount=default:default`
    static let roleBinding =
        "azhzAAorChxyYmFjLmF1dGhvcml6YXRpb24uazhzLmlvL3YxEgtSb2xlQmluZGluZxKMAQoSCgJyYhIAGgAiACoAMgA4AEIAEioKBFVzZXISGXJiYWMuYXV0aG9yaXphdGlvbi5rOHMuaW8aBWFsaWNlIgASJAoOU2VydmljZUFjY291bnQSABoHZGVmYXVsdCIHZGVmYXVsdBokChlyYmFjLmF1dGhvcml6YXRpb24uazhzLmlvEgRSb2xlGgFyGgAiAA=="
    /// `kubectl create poddisruptionbudget p --selector=app=x --min-available=50%`
    static let podDisruptionBudget =
        "azhzAAogCglwb2xpY3kvdjESE1BvZERpc3J1cHRpb25CdWRnZXQSOAoRCgFwEgAaACIAKgAyADgAQgASFwoJCAEQABoDNTAlEgoKCAoDYXBwEgF4GgoIABgAIAAoADAAGgAiAA=="
    /// `kubectl create priorityclass hi --value=1000 --description=important`
    static let priorityClass =
        "azhzAAolChRzY2hlZHVsaW5nLms4cy5pby92MRINUHJpb3JpdHlDbGFzcxI6ChIKAmhpEgAaACIAKgAyADgAQgAQ6AcYACIJaW1wb3J0YW50KhRQcmVlbXB0TG93ZXJQcmlvcml0eRoAIgA="
    /// `kubectl create quota q --hard=cpu=2,memory=1Gi,pods=10`
    static let resourceQuota =
        "azhzAAoTCgJ2MRINUmVzb3VyY2VRdW90YRJCChEKAXESABoAIgAqADIAOABCABIrCgoKA2NwdRIDCgEyCg8KBm1lbW9yeRIFCgMxR2kKDAoEcG9kcxIECgIxMBoAGgAiAA=="
    /// `kubectl create serviceaccount robot`
    static let serviceAccount =
        "azhzAAoUCgJ2MRIOU2VydmljZUFjY291bnQSFwoVCgVyb2JvdBIAGgAiACoAMgA4AEIAGgAiAA=="
    /// `kubectl create deployment d2 --image=nginx --replicas=0 --port=8080`
    static let deploymentWithZeroReplicas =
        "azhzAAoVCgdhcHBzL3YxEgpEZXBsb3ltZW50ErUBCh0KAmQyEgAaACIAKgAyADgAQgBaCQoDYXBwEgJkMhKFAQgAEgsKCQoDYXBwEgJkMhpsChsKABIAGgAiACoAMgA4AEIAWgkKA2FwcBICZDISTRIvCgVuZ2lueBIFbmdpbngqADILCgAQABiQPyIAKgBCAGoAcgCAAQCIAQCQAQCiAQAaADIAQgBKAFIAWABgAGgAggEAigEAmgEAwgEAIgIKACgAOAAaDAgAEAAYACAAKAA4ABoAIgA="

    static func bytes(_ base64: String) -> [UInt8] { Array(Data(base64Encoded: base64)!) }

    /// Every captured body with a name, for parameterised tests.
    static let all: [(String, String)] = [
        ("namespace", namespace), ("configmap", configMap), ("secret", secret), ("deployment", deployment),
        ("job", job), ("service", service), ("can-i", canI), ("tokenRequest", tokenRequest),
        ("selfSubjectRulesReview", selfSubjectRulesReview), ("selfSubjectReview", selfSubjectReview),
        ("cronJob", cronJob), ("role", role), ("clusterRole", clusterRole), ("roleBinding", roleBinding),
        ("podDisruptionBudget", podDisruptionBudget), ("priorityClass", priorityClass),
        ("resourceQuota", resourceQuota), ("serviceAccount", serviceAccount),
        ("deploymentWithZeroReplicas", deploymentWithZeroReplicas),
    ]
}
