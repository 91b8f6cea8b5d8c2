import FlotillaCore
import FlotillaEtcdRPC
import Foundation

/// The etcd KV requests the store sends, built from its keys and revisions, and the decoding of
/// etcd's key/value pairs.
enum EtcdMessages {
    /// A range over the whole key space that only counts: the cheapest read of a revision, at
    /// `revision` (0 = current), used to read the current revision or probe for compaction.
    static func revisionProbe(at revision: Int64 = 0) -> Etcdserverpb_RangeRequest {
        var request = Etcdserverpb_RangeRequest()
        request.key = Data([0])
        request.countOnly = true
        request.revision = revision
        return request
    }

    /// A range reading the single key `key`, or only whether it exists when `keysOnly`.
    static func range(_ key: String, keysOnly: Bool = false) -> Etcdserverpb_RangeRequest {
        var request = Etcdserverpb_RangeRequest()
        request.key = Data(key.utf8)
        request.keysOnly = keysOnly
        return request
    }

    /// A range over the keys from `start` up to `end` (nil = the end of the key space), at most
    /// `limit` of them (0 = all), read at `revision` (0 = current).
    static func range(from start: [UInt8], to end: [UInt8]?, limit: Int, revision: Int64) -> Etcdserverpb_RangeRequest {
        var request = Etcdserverpb_RangeRequest()
        request.key = Data(start)
        // etcd reads "\0" as "to the end of the key space".
        request.rangeEnd = Data(end ?? [0])
        request.limit = Int64(max(0, limit))
        request.revision = max(0, revision)
        return request
    }

    static func rangeOp(_ key: String, keysOnly: Bool) -> Etcdserverpb_RequestOp {
        var op = Etcdserverpb_RequestOp()
        op.requestRange = range(key, keysOnly: keysOnly)
        return op
    }

    static func putOp(_ key: String, value: [UInt8]) -> Etcdserverpb_RequestOp {
        var put = Etcdserverpb_PutRequest()
        put.key = Data(key.utf8)
        put.value = Data(value)
        var op = Etcdserverpb_RequestOp()
        op.requestPut = put
        return op
    }

    /// Deletes `key`, returning its last value.
    static func deleteOp(_ key: String) -> Etcdserverpb_RequestOp {
        var delete = Etcdserverpb_DeleteRangeRequest()
        delete.key = Data(key.utf8)
        delete.prevKv = true
        var op = Etcdserverpb_RequestOp()
        op.requestDeleteRange = delete
        return op
    }

    /// "`key` does not exist": its create revision is 0.
    static func absent(_ key: String) -> Etcdserverpb_Compare {
        var compare = Etcdserverpb_Compare()
        compare.key = Data(key.utf8)
        compare.target = .create
        compare.result = .equal
        compare.createRevision = 0
        return compare
    }

    /// "`key` exists" (nil) or "`key` is at `expectedRevision`".
    static func precondition(_ key: String, expectedRevision: Int64?) -> Etcdserverpb_Compare {
        var compare = Etcdserverpb_Compare()
        compare.key = Data(key.utf8)
        if let expectedRevision {
            compare.target = .mod
            compare.result = .equal
            compare.modRevision = expectedRevision
        } else {
            compare.target = .create
            compare.result = .greater
            compare.createRevision = 0
        }
        return compare
    }

    static func txn(
        _ compare: Etcdserverpb_Compare, success: Etcdserverpb_RequestOp, failure: Etcdserverpb_RequestOp? = nil
    ) -> Etcdserverpb_TxnRequest {
        var request = Etcdserverpb_TxnRequest()
        request.compare = [compare]
        request.success = [success]
        if let failure { request.failure = [failure] }
        return request
    }

    /// Compacts history before `revision`, answering once it is physically removed.
    static func compaction(at revision: Int64) -> Etcdserverpb_CompactionRequest {
        var request = Etcdserverpb_CompactionRequest()
        request.revision = revision
        request.physical = true
        return request
    }

    static func keyValue(_ kv: Mvccpb_KeyValue) -> KeyValue {
        KeyValue(
            key: String(decoding: kv.key, as: UTF8.self), value: Array(kv.value),
            createRevision: kv.createRevision, modRevision: kv.modRevision)
    }
}
