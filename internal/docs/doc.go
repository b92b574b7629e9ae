// Package docs keeps slakit's documentation honest. It holds no code, only
// tests over README.md and docs/:
//
//   - every ```go block compiles (a whole file that starts with package,
//     or declarations or statements compiled with the imports they use);
//   - every ```yaml block that is a whole policy document (it has a
//     version key) loads without errors;
//   - docs/policy.schema.json is a valid JSON Schema that accepts every
//     policy in the repository that slakit accepts, rejects unknown keys
//     and wrong types, and names exactly the keys the loader knows;
//   - relative links point at files that exist;
//   - nothing cites the internal design note.
package docs
