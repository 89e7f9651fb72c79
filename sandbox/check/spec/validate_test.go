package spec

import (
	"strings"
	"testing"
)

func TestValidateWastedSpace(t *testing.T) {
	f := func(v float64) *float64 { return &v }
	for _, tc := range []struct {
		c    Check
		want string
	}{
		{Check{ID: "w", Kind: KindWastedSpace}, "needs max_bytes"},
		{Check{ID: "w", Kind: KindWastedSpace, MaxBytes: Quantity{Raw: "lots"}}, "max_bytes"},
		{Check{ID: "w", Kind: KindWastedSpace, MinEfficiency: f(95)}, "at most 1"},
		{Check{ID: "w", Kind: KindWastedSpace, MinEfficiency: f(0)}, "above 0"},
	} {
		err := tc.c.Validate()
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%+v: err = %v, want one mentioning %q", tc.c, err, tc.want)
		}
	}
	for _, c := range []Check{
		{ID: "w", Kind: KindWastedSpace, MaxBytes: Quantity{Raw: "0"}},
		{ID: "w", Kind: KindWastedSpace, MaxBytes: Quantity{Raw: "1MB"}, MinEfficiency: f(0.95)},
		{ID: "w", Kind: KindWastedSpace, MinEfficiency: f(1)},
	} {
		if err := c.Validate(); err != nil {
			t.Errorf("%+v: %v", c, err)
		}
	}
}

func TestValidateTargetBuilds(t *testing.T) {
	for _, tc := range []struct {
		c    Check
		want string
	}{
		{Check{ID: "t", Kind: KindTargetBuilds}, "needs target"},
		{Check{ID: "t", Kind: KindTargetBuilds, Target: "test", StdoutContains: "ok"}, "stdout_contains needs args"},
		{Check{ID: "t", Kind: KindTargetBuilds, Target: "test", Args: []string{"true"}, Timeout: "soon"}, "timeout"},
	} {
		err := tc.c.Validate()
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%+v: err = %v, want one mentioning %q", tc.c, err, tc.want)
		}
	}
	ok := Check{ID: "t", Kind: KindTargetBuilds, Target: "build", Paths: []string{"/out/app"}, Args: []string{"/out/app", "-version"}, StdoutContains: "v1"}
	if err := ok.Validate(); err != nil {
		t.Errorf("%+v: %v", ok, err)
	}
}

func TestValidateNewKinds(t *testing.T) {
	write := "package main\n"
	bad := []struct {
		spec Check
		says string
	}{
		{Check{ID: "m", Kind: KindMutation, Edit: &Edit{Path: "a"}, BuildFails: true}, "exactly one of append and write"},
		{Check{ID: "m", Kind: KindMutation, Edit: &Edit{Path: "a", Write: &write}}, "build_fails: true, or cached/rebuilt"},
		{Check{ID: "m", Kind: KindMutation, Edit: &Edit{Path: "a", Append: "x"}, BuildFails: true, Rebuilt: []string{"go"}}, "not both"},
		{Check{ID: "m", Kind: KindMutation, Edit: &Edit{Path: "a", Append: "x"}, Rebuilt: []string{"("}}, "step pattern"},
		{Check{ID: "m", Kind: KindMutation, Edit: &Edit{Path: "a", Append: "x"}, Cached: []string{"go"}, LogContains: "x"}, "log_contains goes with build_fails"},
		{Check{ID: "b", Kind: KindBaseFromArg, Arg: "V"}, "needs arg"},
		{Check{ID: "c", Kind: KindContentLeak, Value: "v", File: "f"}, "value or file"},
		{Check{ID: "s", Kind: KindService}, "port"},
		{Check{ID: "s", Kind: KindService, Port: 80}, "requests, health: true or stop_within"},
		{Check{ID: "s", Kind: KindService, Port: 80, StopWithin: "soon"}, "invalid duration"},
		{Check{ID: "s", Kind: KindService, Port: 80, Requests: []HTTPProbe{{Path: "healthz"}}}, "must start with /"},
	}
	for _, tc := range bad {
		err := tc.spec.Validate()
		if err == nil || !strings.Contains(err.Error(), tc.says) {
			t.Errorf("%+v: got %v, want an error saying %q", tc.spec, err, tc.says)
		}
	}
	good := []Check{
		{ID: "m", Kind: KindMutation, Edit: &Edit{Path: "a", Write: &write}, BuildFails: true, LogContains: "FAIL"},
		{ID: "m", Kind: KindMutation, Edit: &Edit{Path: "go.mod", Append: "\n"}, Rebuilt: []string{"go mod download"}, Cached: []string{"apk"}},
		{ID: "b", Kind: KindBaseFromArg, Arg: "V", Other: "2"},
		{ID: "c", Kind: KindContentLeak, File: ".env"},
		{ID: "s", Kind: KindService, Port: 8080, Health: true, StopWithin: "5s", Requests: []HTTPProbe{{Path: "/"}}},
	}
	for _, c := range good {
		if err := c.Validate(); err != nil {
			t.Errorf("%+v: %v", c, err)
		}
	}
}
