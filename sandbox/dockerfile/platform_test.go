package dockerfile

import (
	"fmt"
	"runtime"
	"slices"
	"testing"
)

// A target platform: $TARGET* expand to it, $BUILD* stay the daemon's, a stage without
// --platform is for the target, and only its RUN is reported (a stage for the target without
// RUN is how a cross-compiled image ends).
func TestTargetPlatform(t *testing.T) {
	if runtime.GOARCH != "amd64" {
		t.Skip("the cases name amd64 as the daemon's platform")
	}
	a := mustAnalyze(t, df(
		"ARG TARGETARCH",
		"FROM --platform=$BUILDPLATFORM golang:1.22 AS build", // 2: native
		"RUN go build",                                // 3
		"FROM busybox:${TARGETARCH} AS tools",         // 4: the target, no RUN: nothing
		"FROM busybox AS runner",                      // 5: the target, RUNs: error
		"RUN true",                                    // 6
		"FROM --platform=linux/s390x busybox AS hard", // 7: another platform written out: warning
		"FROM scratch",                                // 8: the target
		"COPY --from=build /app /app",
		"COPY --from=tools / /t",
		"COPY --from=runner / /r",
		"COPY --from=hard / /h",
	), Options{Platform: "arm64"})
	for i, want := range []string{"linux/amd64", "linux/arm64", "linux/arm64", "linux/s390x", "linux/arm64"} {
		if got := a.Stages[i].ForPlatform; got != want {
			t.Errorf("stage %d platform %q, want %q", i, got, want)
		}
	}
	if got := a.Stages[1].BaseExpanded; got != "busybox:arm64" {
		t.Errorf("$TARGETARCH in FROM expanded to %q, want busybox:arm64", got)
	}
	var got []string
	for _, f := range a.Findings {
		if f.Rule == RuleForeignPlatform {
			got = append(got, fmt.Sprintf("%d %s", f.Line, f.Severity))
		}
	}
	if want := []string{"5 error", "7 warning"}; !slices.Equal(got, want) {
		t.Fatalf("ForeignPlatform findings %v, want %v", got, want)
	}
}
