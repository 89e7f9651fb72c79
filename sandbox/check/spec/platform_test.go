package spec

import (
	"strings"
	"testing"
)

func TestValidateElfAndPlatformKinds(t *testing.T) {
	for _, tt := range []struct {
		spec Check
		err  string
	}{
		{Check{ID: "a", Kind: KindElfArch, Arch: "arm64"}, ""},
		{Check{ID: "a", Kind: KindElfArch, Path: "app", Arch: "arm64"}, "must be absolute"},
		{Check{ID: "a", Kind: KindElfArch, Path: "/app"}, "needs arch"},
		{Check{ID: "a", Kind: KindElfArch, Path: "/app", Arch: "aarch64"}, `arch "aarch64" is not one of`},
		{Check{ID: "a", Kind: KindElfArch, Path: "/app", Arch: "arm64"}, ""},
		{Check{ID: "b", Kind: KindImagePlatform}, "needs platform"},
		{Check{ID: "b", Kind: KindImagePlatform, Platform: "windows/arm64"}, "Linux images only"},
		{Check{ID: "b", Kind: KindImagePlatform, Platform: "linux/arm64"}, ""},
	} {
		err := tt.spec.Validate()
		if (err == nil) != (tt.err == "") || err != nil && !strings.Contains(err.Error(), tt.err) {
			t.Errorf("%+v: %v, want %q", tt.spec, err, tt.err)
		}
	}
}

func TestParsePlatform(t *testing.T) {
	for in, want := range map[string]string{"linux/arm64": "linux/arm64", "arm64": "linux/arm64", "linux/arm/v7": "linux/arm/v7"} {
		if got, err := ParsePlatform(in); err != nil || got != want {
			t.Errorf("ParsePlatform(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	for _, in := range []string{"", "windows/amd64", "no such"} {
		if got, err := ParsePlatform(in); err == nil {
			t.Errorf("ParsePlatform(%q) = %q, want an error", in, got)
		}
	}
}
