package main

import (
	"strings"
	"testing"

	"github.com/spf13/pflag"

	"github.com/stagecraft/stagecraft/sandbox"
)

// The limit flags reach the policy, and a bad value names its flag.
func TestLimitFlags(t *testing.T) {
	parse := func(args ...string) (sandbox.Policy, error) {
		var f sandboxFlags
		fs := pflag.NewFlagSet("check", pflag.ContinueOnError)
		f.register(fs)
		f.registerLimits(fs)
		if err := fs.Parse(args); err != nil {
			return sandbox.Policy{}, err
		}
		return f.policy()
	}
	def, err := parse()
	if err != nil {
		t.Fatal(err)
	}
	if want := sandbox.DefaultPolicy(); def.MemoryBytes != want.MemoryBytes || def.Pids != want.Pids || def.DiskBytes != want.DiskBytes || def.CPUs != want.CPUs {
		t.Errorf("defaults = %+v, want %+v", def, want)
	}
	p, err := parse("--memory", "512MiB", "--pids", "64", "--disk", "1GiB", "--cpus", "0.5")
	if err != nil {
		t.Fatal(err)
	}
	if p.MemoryBytes != 512<<20 || p.Pids != 64 || p.DiskBytes != 1<<30 || p.CPUs != 0.5 {
		t.Errorf("policy = %+v", p)
	}
	for _, bad := range [][]string{{"--memory", "lots"}, {"--memory", "1MiB"}, {"--disk", "-"}, {"--pids", "3"}, {"--pids", "-1"}} {
		_, err := parse(bad...)
		if err == nil || !strings.Contains(err.Error(), bad[0]) {
			t.Errorf("%v: error %v, want one naming %s", bad, err, bad[0])
		}
	}
}
