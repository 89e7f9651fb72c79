package check

import (
	"context"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stagecraft/stagecraft/sandbox"
	"github.com/stagecraft/stagecraft/sandbox/check/spec"
	"github.com/stagecraft/stagecraft/sandbox/internal/sbtest"
)

// A server on the host's loopback holds a secret. buildkitd fetches ADD URLs on the host's
// network, so without the sandbox's refusal it would read it; the refusal must come before
// anything reaches the daemon, even when the policy allows the URL.
func TestAdmitAddFromLoopbackNeverFetched(t *testing.T) {
	sb := sbtest.CatalogSandbox(t)
	secret := fmt.Sprintf("stagecraft-secret-%d", time.Now().UnixNano())
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	var hits atomic.Int32
	srv := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		fmt.Fprintln(w, secret)
	})}
	go srv.Serve(ln)
	defer srv.Close()
	url := fmt.Sprintf("http://%s/secret", ln.Addr())

	for name, allow := range map[string][]string{"no allow-list": nil, "allow-listed": {url}} {
		sb.Policy.AllowFetch = allow
		for df, line := range map[string]int{
			fmt.Sprintf("FROM busybox\nADD %s /secret\nRUN cat /secret\n", url):                            2,
			fmt.Sprintf("FROM busybox\nARG SRC=%s\nADD ${SRC} /secret\n", url):                             3,
			fmt.Sprintf("FROM busybox AS base\nONBUILD ADD %s /secret\nFROM base\nRUN cat /secret\n", url): 2,
		} {
			res, err := sb.Build(context.Background(), sandbox.Request{Dockerfile: []byte(df), Export: true})
			if err != nil {
				t.Fatalf("%s: %v", name, err)
			}
			if res.Failure == nil || res.Failure.Kind != "network" || res.Failure.Line != line {
				t.Fatalf("%s: %q built or failed otherwise: %+v", name, df, res.Failure)
			}
			out, _ := json.Marshal(res)
			if strings.Contains(string(out), secret) {
				t.Fatalf("%s: the secret is in the result: %s", name, out)
			}
			// Check reports the same refusal as a failed build, gradable: the learner's fault.
			rep, err := Run(context.Background(), sb, Plan{Checks: []spec.Check{{ID: "builds", Kind: spec.KindBuilds, Points: 1}}},
				Submission{Dockerfile: []byte(df)}, nil)
			if err != nil || !rep.Gradable || rep.Passed {
				t.Fatalf("%s: check: %v, gradable %v passed %v", name, err, rep.Gradable, rep.Passed)
			}
			out, _ = json.Marshal(rep)
			if strings.Contains(string(out), secret) {
				t.Fatalf("%s: the secret is in the report", name)
			}
		}
	}
	if n := hits.Load(); n != 0 {
		t.Fatalf("the loopback server was asked %d times", n)
	}
}
