/// Placeholder until the API server lands.
enum FlotillaAPIServerPlaceholder {}
