/// Placeholder until the policy engine lands in this target.
enum PolicyPlaceholder {}
