import ArgumentParser
import FlotillaAPIServer

/// `flotilla kubeconfig`: prints the admin kubeconfig that `flotilla server` wrote.
struct KubeconfigCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "kubeconfig", abstract: "Print the admin kubeconfig.")

    @Option(help: "The server's data directory (default /var/lib/flotilla, or ~/.flotilla when not root; env FLOTILLA_DATA_DIR).")
    var dataDir: String?

    func run() throws {
        let directory = EnvironmentDefaults.dataDirectory(dataDir)
        let path = directory + "/" + AdminCredentials.kubeconfigFileName
        guard let bytes = try SecureFile.read(path) else {
            throw CommandFailure("no admin kubeconfig at \(path); start `flotilla server --data-dir \(directory)` first")
        }
        print(String(decoding: bytes, as: UTF8.self), terminator: "")
    }
}
