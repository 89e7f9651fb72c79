package check

import (
	"os"
	"runtime"
	"strings"
	"testing"
)

// elfVerdict reads real binaries: the test binary itself is an ELF for this machine.
func TestElfVerdict(t *testing.T) {
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(exe)
	if err != nil {
		t.Fatal(err)
	}
	if ok, detail := elfVerdict("/app", data, runtime.GOARCH); !ok || !strings.Contains(detail, "for "+runtime.GOARCH) {
		t.Errorf("this machine's binary for %s: %v %q", runtime.GOARCH, ok, detail)
	}
	other := "arm64"
	if runtime.GOARCH == "arm64" {
		other = "amd64"
	}
	ok, detail := elfVerdict("/app", data, other)
	if ok || !strings.Contains(detail, "wanted "+other) || !strings.Contains(detail, "/app is an ELF") {
		t.Errorf("this machine's binary for %s: %v %q", other, ok, detail)
	}
	if ok, detail := elfVerdict("/run.sh", []byte("#!/bin/sh\necho hi\n"), "amd64"); ok || !strings.Contains(detail, "not an ELF") {
		t.Errorf("a script: %v %q", ok, detail)
	}
}
