// Package sandbox builds untrusted Dockerfiles on a real BuildKit daemon and reports what came
// out. It owns the ways to reach a daemon (an address, or the managed daemon it starts itself),
// the sandbox policy applied to every solve (no network, limits, timeout, lint forced on), the
// build itself with per-step progress, and the inspection of the final image.
//
// It knows nothing of lessons or the UI: it takes a Dockerfile, a context and options, and
// returns a result. Static analysis lives in sandbox/dockerfile, the offline base images in
// sandbox/catalog and OCI image reading in sandbox/image. Checking a submission against an
// exercise is sandbox/check, which drives this package; this package never imports it.
package sandbox
