/// Placeholder until the client lands.
enum FlotillaClientPlaceholder {}
