/// The ImageService calls.
extension CRIClient {
    /// Pulls an image, with registry credentials in `request.auth` when it needs them; returns
    /// the image's reference (its id) on the node.
    public func pullImage(_ request: Runtime_V1_PullImageRequest) async throws -> Runtime_V1_PullImageResponse {
        try await call("PullImage", timeout: options.pullTimeout) { try await $1.images.pullImage(request, options: $0) }
    }

    /// The image named `image` (a reference or an id); the response has no image when it is not on the node.
    public func imageStatus(_ image: String) async throws -> Runtime_V1_ImageStatusResponse {
        try await call("ImageStatus") { try await $1.images.imageStatus(.with { $0.image.image = image }, options: $0) }
    }

    public func listImages() async throws -> Runtime_V1_ListImagesResponse {
        try await call("ListImages") { try await $1.images.listImages(.init(), options: $0) }
    }
}
