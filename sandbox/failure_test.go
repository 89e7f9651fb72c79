package sandbox

import (
	"errors"
	"strings"
	"testing"
)

// The texts are BuildKit's for a RUN that fails; the tracker has no steps, as for a build
// whose progress was not seen.
func TestSolveFailureNetworkHint(t *testing.T) {
	for _, tt := range []struct {
		err     string
		network bool
	}{
		{`process "/bin/sh -c wget -qO- http://10.1.2.3/" did not complete successfully: exit code: 139`, true},
		{`process "/bin/sh -c echo hi && nc 192.0.2.1 80" did not complete successfully: exit code: 139`, true},
		{`process "/bin/sh -c curl -fsSL https://example.com/x" did not complete successfully: exit code: 139`, true},
		{`process "/bin/sh -c ./crashes" did not complete successfully: exit code: 139`, false},
		{`process "/bin/sh -c ncdu /" did not complete successfully: exit code: 139`, false},
		{`process "/bin/sh -c wget http://example.com" did not complete successfully: exit code: 1: wget: bad address 'example.com'`, true},
		{`process "/bin/sh -c wget http://192.0.2.1" did not complete successfully: exit code: 1: wget: can't connect to remote host (192.0.2.1): Network is unreachable`, true},
		{`process "/bin/sh -c false" did not complete successfully: exit code: 1`, false},
	} {
		f := solveFailure(errors.New(tt.err), NewStepTracker())
		if got := f.Kind == "network"; got != tt.network {
			t.Errorf("%s: kind %q, want network %v", tt.err, f.Kind, tt.network)
			continue
		}
		if tt.network && !strings.Contains(f.Hint, "the sandbox has no network") {
			t.Errorf("%s: hint %q", tt.err, f.Hint)
		}
		if strings.HasSuffix(tt.err, "139") && tt.network && !strings.Contains(f.Message, "crashed (signal 11)") {
			t.Errorf("%s: message %q does not explain the crash", tt.err, f.Message)
		}
	}
}
