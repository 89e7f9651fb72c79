package sandbox

import (
	"runtime"
	"strings"
	"testing"
)

func TestParsePlatform(t *testing.T) {
	for in, want := range map[string]string{
		"linux/arm64": "linux/arm64", "arm64": "linux/arm64", "linux/aarch64": "linux/arm64",
		" linux/amd64 ": "linux/amd64", "linux/arm/v7": "linux/arm/v7",
	} {
		got, err := ParsePlatform(in)
		if err != nil || got != want {
			t.Errorf("ParsePlatform(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	for _, in := range []string{"", "windows/amd64", "linux/not-an-arch/x/y", "no such"} {
		if got, err := ParsePlatform(in); err == nil {
			t.Errorf("ParsePlatform(%q) = %q, want an error", in, got)
		}
	}
}

// A build for another platform: the frontend gets platform=, stages without --platform are
// for the target (a RUN there is refused before the build), $BUILDPLATFORM stages are not.
func TestAdmitTargetPlatform(t *testing.T) {
	if runtime.GOARCH != "amd64" {
		t.Skip("the cases name amd64 as the daemon's platform")
	}
	pol := DefaultPolicy()
	cross := string(lines(
		"FROM --platform=$BUILDPLATFORM golang:1.22 AS build",
		"ARG TARGETOS TARGETARCH",
		"RUN GOOS=$TARGETOS GOARCH=$TARGETARCH go build -o /app .",
		"FROM scratch",
		"COPY --from=build /app /app"))
	f, attrs := prepare(t, pol, Request{Dockerfile: []byte(cross), Platform: "arm64"})
	if f != nil {
		t.Fatalf("cross-compiling Dockerfile refused: %+v", f)
	}
	if attrs["platform"] != "linux/arm64" {
		t.Errorf("frontend platform %q, want linux/arm64", attrs["platform"])
	}
	if _, attrs := prepare(t, pol, Request{Dockerfile: []byte(cross)}); attrs["platform"] != "" {
		t.Errorf("no target platform asked, frontend platform %q", attrs["platform"])
	}

	for src, line := range map[string]int{
		// The build stage has no --platform: it is for the target, and its RUN needs emulation.
		string(lines("FROM golang:1.22 AS build", "RUN go build -o /app .", "FROM scratch", "COPY --from=build /app /app")): 1,
		// Built FROM a stage for the target.
		string(lines("FROM busybox AS base", "FROM base", "RUN true")): 2,
		// $TARGETPLATFORM written out.
		string(lines("FROM --platform=$TARGETPLATFORM busybox", "RUN true")): 1,
	} {
		f, _ := prepare(t, pol, Request{Dockerfile: []byte(src), Platform: "linux/arm64"})
		if f == nil || f.Kind != "platform" || f.Line != line || !strings.Contains(f.Message, "would need emulation") ||
			!strings.Contains(f.Hint, "$BUILDPLATFORM") || !strings.Contains(f.Message, "linux/arm64") {
			t.Errorf("%q: got %+v, want a platform refusal at line %d", src, f, line)
		}
	}
	f, _ = prepare(t, pol, Request{Dockerfile: lines("FROM busybox", "RUN true"), Platform: "linux/arm64"})
	if f == nil || !strings.Contains(f.Message, "target platform") {
		t.Errorf("a stage for the target: %+v, want the message to say the platform is the build's target", f)
	}
}
