package sandbox

import (
	"strings"
	"testing"
)

func TestValidateWastedSpace(t *testing.T) {
	f := func(v float64) *float64 { return &v }
	for _, tc := range []struct {
		c    CheckSpec
		want string
	}{
		{CheckSpec{ID: "w", Kind: KindWastedSpace}, "needs max_bytes"},
		{CheckSpec{ID: "w", Kind: KindWastedSpace, MaxBytes: Quantity{"lots"}}, "max_bytes"},
		{CheckSpec{ID: "w", Kind: KindWastedSpace, MinEfficiency: f(95)}, "at most 1"},
		{CheckSpec{ID: "w", Kind: KindWastedSpace, MinEfficiency: f(0)}, "above 0"},
	} {
		err := tc.c.Validate()
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%+v: err = %v, want one mentioning %q", tc.c, err, tc.want)
		}
	}
	for _, c := range []CheckSpec{
		{ID: "w", Kind: KindWastedSpace, MaxBytes: Quantity{"0"}},
		{ID: "w", Kind: KindWastedSpace, MaxBytes: Quantity{"1MB"}, MinEfficiency: f(0.95)},
		{ID: "w", Kind: KindWastedSpace, MinEfficiency: f(1)},
	} {
		if err := c.Validate(); err != nil {
			t.Errorf("%+v: %v", c, err)
		}
	}
}

func TestValidateTargetBuilds(t *testing.T) {
	for _, tc := range []struct {
		c    CheckSpec
		want string
	}{
		{CheckSpec{ID: "t", Kind: KindTargetBuilds}, "needs target"},
		{CheckSpec{ID: "t", Kind: KindTargetBuilds, Target: "test", StdoutContains: "ok"}, "stdout_contains needs args"},
		{CheckSpec{ID: "t", Kind: KindTargetBuilds, Target: "test", Args: []string{"true"}, Timeout: "soon"}, "timeout"},
	} {
		err := tc.c.Validate()
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%+v: err = %v, want one mentioning %q", tc.c, err, tc.want)
		}
	}
	ok := CheckSpec{ID: "t", Kind: KindTargetBuilds, Target: "build", Paths: []string{"/out/app"}, Args: []string{"/out/app", "-version"}, StdoutContains: "v1"}
	if err := ok.Validate(); err != nil {
		t.Errorf("%+v: %v", ok, err)
	}
}
