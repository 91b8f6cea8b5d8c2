/// How many feasible nodes a cycle looks for before it stops filtering and scores them, as
/// Kubernetes' `percentageOfNodesToScore` decides: every node in clusters under 100 nodes;
/// otherwise a share that shrinks from 50% by one point per 125 nodes down to 5%, and never
/// fewer than 100 nodes. A profile may fix the percentage instead.
public enum NodeSampling {
    public static let minimumNodes = 100
    public static let minimumPercentage = 5

    public static func feasibleNodesToFind(allNodes: Int, percentage fixed: Int = 0) -> Int {
        if allNodes < minimumNodes || fixed >= 100 { return allNodes }
        var percentage = fixed
        if percentage <= 0 {
            percentage = max(50 - allNodes / 125, minimumPercentage)
        }
        return max(allNodes * percentage / 100, minimumNodes)
    }
}
