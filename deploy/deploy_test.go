// Package deploy holds the deployment of stagecraft's classroom checker (Kubernetes manifests,
// a compose file, certificates); its test checks that the pieces fit together.
package deploy

import (
	"crypto/x509"
	"encoding/pem"
	"errors"
	"fmt"
	"io"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/goccy/go-yaml"
)

type doc = map[string]any

func loadDocs(t *testing.T, files ...string) []doc {
	t.Helper()
	var out []doc
	for _, f := range files {
		r, err := os.Open(f)
		if err != nil {
			t.Fatal(err)
		}
		dec := yaml.NewDecoder(r)
		for {
			var d doc
			err := dec.Decode(&d)
			if errors.Is(err, io.EOF) {
				break
			}
			if err != nil {
				t.Fatalf("%s: %v", f, err)
			}
			if d != nil {
				out = append(out, d)
			}
		}
		r.Close()
	}
	return out
}

// get walks a path of map keys and list indexes ("spec", "template", 0, …).
func get(v any, path ...any) any {
	for _, p := range path {
		switch k := p.(type) {
		case string:
			m, ok := v.(map[string]any)
			if !ok {
				return nil
			}
			v = m[k]
		case int:
			l, ok := v.([]any)
			if !ok || k >= len(l) {
				return nil
			}
			v = l[k]
		}
	}
	return v
}

func str(v any) string { s, _ := v.(string); return s }

func strs(v any) []string {
	var out []string
	for _, x := range v.([]any) {
		out = append(out, fmt.Sprint(x))
	}
	return out
}

func byKind(docs []doc, kind string) []doc {
	var out []doc
	for _, d := range docs {
		if d["kind"] == kind {
			out = append(out, d)
		}
	}
	return out
}

// flagValues lists the values of a repeated flag in an argument list.
func flagValues(args []string, flag string) []string {
	var out []string
	for i, a := range args {
		if a == flag && i+1 < len(args) {
			out = append(out, args[i+1])
		}
	}
	return out
}

var manifests = []string{"kubernetes/namespace.yaml", "kubernetes/buildkitd.yaml", "kubernetes/grade-job.yaml"}

func TestKubernetesManifestsFit(t *testing.T) {
	docs := loadDocs(t, manifests...)
	for _, d := range docs {
		if str(d["apiVersion"]) == "" || str(d["kind"]) == "" || str(get(d, "metadata", "name")) == "" {
			t.Errorf("a document without apiVersion, kind or name: %v", d)
		}
		if d["kind"] != "Namespace" && str(get(d, "metadata", "namespace")) != "stagecraft" {
			t.Errorf("%s %s is not in the stagecraft namespace", d["kind"], get(d, "metadata", "name"))
		}
	}
	sts, svc, job := byKind(docs, "StatefulSet")[0], byKind(docs, "Service")[0], byKind(docs, "Job")[0]
	if str(get(sts, "spec", "serviceName")) != str(get(svc, "metadata", "name")) || str(get(svc, "spec", "clusterIP")) != "None" {
		t.Error("the StatefulSet's serviceName must be a headless service: pods need stable DNS names")
	}
	daemon := get(sts, "spec", "template", "spec", "containers", 0)
	dargs := strs(get(daemon, "args"))
	port := fmt.Sprint(get(daemon, "ports", 0, "containerPort"))
	if !slices.Contains(dargs, "tcp://0.0.0.0:"+port) {
		t.Errorf("buildkitd does not listen on tcp port %s: %v", port, dargs)
	}
	for _, f := range []string{"--tlscacert", "--tlscert", "--tlskey"} {
		v := flagValues(dargs, f)
		if len(v) != 1 || !strings.HasPrefix(v[0], "/certs/") {
			t.Errorf("buildkitd %s: %v, want a file of the certs volume", f, v)
		}
	}
	if str(get(sts, "spec", "template", "spec", "volumes", 0, "secret", "secretName")) != "buildkit-daemon-certs" {
		t.Error("the daemon's certs volume is not the buildkit-daemon-certs secret deploy/README.md makes")
	}
	if cm := str(get(sts, "spec", "template", "spec", "volumes", 1, "configMap", "name")); cm != "buildkitd-config" {
		t.Errorf("config map %q, want buildkitd-config (kustomization.yaml generates it)", cm)
	}

	// The job dials every worker by its pod name, on the daemon's port, with mTLS.
	replicas := int(get(sts, "spec", "replicas").(uint64))
	jargs := strs(get(job, "spec", "template", "spec", "containers", 0, "args"))
	var want []string
	for i := range replicas {
		want = append(want, fmt.Sprintf("tcp://%s-%d.%s:%s", get(sts, "metadata", "name"), i, get(svc, "metadata", "name"), port))
	}
	if got := flagValues(jargs, "--buildkit"); !slices.Equal(got, want) {
		t.Errorf("the job's --buildkit %v, want every worker %v", got, want)
	}
	for _, f := range []string{"--tlscacert", "--tlscert", "--tlskey"} {
		if v := flagValues(jargs, f); len(v) != 1 || !strings.HasPrefix(v[0], "/certs/") {
			t.Errorf("the job's %s: %v", f, v)
		}
	}
	if str(get(job, "spec", "template", "spec", "volumes", 1, "secret", "secretName")) != "buildkit-client-certs" {
		t.Error("the job's certs volume is not the buildkit-client-certs secret")
	}
	// Only the grader may reach the workers.
	np := byKind(docs, "NetworkPolicy")[0]
	if get(np, "spec", "ingress", 0, "from", 0, "podSelector", "matchLabels", "app") != get(job, "spec", "template", "metadata", "labels", "app") {
		t.Error("the network policy does not let the grading job in")
	}

	k := loadDocs(t, "kubernetes/kustomization.yaml")[0]
	for _, r := range strs(k["resources"]) {
		if _, err := os.Stat(filepath.Join("kubernetes", r)); err != nil {
			t.Errorf("kustomization: %v", err)
		}
	}
	if get(k, "configMapGenerator", 0, "name") != "buildkitd-config" {
		t.Error("kustomization does not generate buildkitd-config")
	}
	cfg, err := os.ReadFile("kubernetes/buildkitd.toml")
	if err != nil || !strings.Contains(string(cfg), "[frontend.\"gateway.v0\"]\n  enabled = false") {
		t.Error("buildkitd.toml must disable the gateway frontend (no # syntax= images)")
	}
}

func composeArgs(t *testing.T) (grade []string, daemons map[string][]string) {
	t.Helper()
	c := loadDocs(t, "compose.yaml")[0]
	services := c["services"].(map[string]any)
	daemons = map[string][]string{}
	for name, s := range services {
		if strings.HasPrefix(name, "buildkitd-") {
			daemons[name] = strs(get(s, "command"))
		}
	}
	for _, a := range strs(get(services["grade"], "command")) {
		grade = append(grade, os.Expand(a, func(v string) string {
			if v == "EXERCISE:-go-multistage" {
				return "go-multistage"
			}
			return "$" + v
		}))
	}
	return grade, daemons
}

func TestComposeFits(t *testing.T) {
	grade, daemons := composeArgs(t)
	if len(daemons) < 2 {
		t.Fatalf("%d buildkitd services, want at least two", len(daemons))
	}
	var want []string
	for name, args := range daemons {
		want = append(want, "tcp://"+name+":1234")
		if !slices.Contains(args, "tcp://0.0.0.0:1234") || len(flagValues(args, "--tlscacert")) != 1 || len(flagValues(args, "--tlscert")) != 1 {
			t.Errorf("%s does not serve mTLS on 1234: %v", name, args)
		}
	}
	got := flagValues(grade, "--buildkit")
	slices.Sort(got)
	slices.Sort(want)
	if !slices.Equal(got, want) {
		t.Errorf("the grader's --buildkit %v, want %v", got, want)
	}
}

// TestCertificatesCoverTheWorkers makes the default certificates and checks them as a client
// would: every worker name the job and the compose file dial is in the daemon certificate, and
// both certificates chain to the CA with the right usage.
func TestCertificatesCoverTheWorkers(t *testing.T) {
	if _, err := exec.LookPath("openssl"); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal("openssl is not installed: make deps installs it")
		}
		t.Skip("no openssl: apt-get install openssl (make deps does) to run this test")
	}
	dir := t.TempDir()
	if out, err := exec.Command("certs/gen-certs.sh", dir).CombinedOutput(); err != nil {
		t.Fatalf("gen-certs.sh: %v\n%s", err, out)
	}
	read := func(p string) *x509.Certificate {
		b, err := os.ReadFile(filepath.Join(dir, p))
		if err != nil {
			t.Fatal(err)
		}
		blk, _ := pem.Decode(b)
		c, err := x509.ParseCertificate(blk.Bytes)
		if err != nil {
			t.Fatal(err)
		}
		return c
	}
	pool := x509.NewCertPool()
	pool.AddCert(read("ca.pem"))
	server, client := read("daemon/cert.pem"), read("client/cert.pem")
	jargs := strs(get(byKind(loadDocs(t, manifests...), "Job")[0], "spec", "template", "spec", "containers", 0, "args"))
	grade, _ := composeArgs(t)
	for _, addr := range append(flagValues(jargs, "--buildkit"), flagValues(grade, "--buildkit")...) {
		u, err := url.Parse(addr)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := server.Verify(x509.VerifyOptions{DNSName: u.Hostname(), Roots: pool, KeyUsages: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth}}); err != nil {
			t.Errorf("the daemon certificate does not serve %s: %v", u.Hostname(), err)
		}
	}
	if _, err := client.Verify(x509.VerifyOptions{Roots: pool, KeyUsages: []x509.ExtKeyUsage{x509.ExtKeyUsageClientAuth}}); err != nil {
		t.Errorf("the client certificate: %v", err)
	}
	if st, err := os.Stat(filepath.Join(dir, "daemon", "key.pem")); err != nil || st.Mode().Perm() != 0o600 {
		t.Errorf("the daemon key must be private: %v %v", st.Mode(), err)
	}
}

// TestCLIAcceptsTheArgs runs stagecraft with the job's and the compose file's arguments (and
// --help, so nothing is graded): an unknown or misplaced flag fails.
func TestCLIAcceptsTheArgs(t *testing.T) {
	if testing.Short() {
		t.Skip("builds stagecraft")
	}
	bin := filepath.Join(t.TempDir(), "stagecraft")
	if out, err := exec.Command("go", "build", "-o", bin, "../cmd/stagecraft").CombinedOutput(); err != nil {
		t.Fatalf("building stagecraft: %v\n%s", err, out)
	}
	jargs := strs(get(byKind(loadDocs(t, manifests...), "Job")[0], "spec", "template", "spec", "containers", 0, "args"))
	grade, _ := composeArgs(t)
	for name, args := range map[string][]string{"grade-job.yaml": jargs, "compose.yaml": grade} {
		out, err := exec.Command(bin, append(args, "--help")...).CombinedOutput()
		if err != nil || !strings.Contains(string(out), "stagecraft grade") {
			t.Errorf("%s: stagecraft does not take its arguments: %v\n%s", name, err, out)
		}
	}
}
