package tui

import (
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"

	"github.com/stagecraft/stagecraft/sandbox"
	"github.com/stagecraft/stagecraft/sandbox/check"
	"github.com/stagecraft/stagecraft/sandbox/check/spec"
)

// The size panel writes sizes in the unit system of the exercise's budget: beside "at most
// 20MB", 1000-based (MB), never MiB; without a budget, or one in MiB, 1024-based.
func TestSizePanelFollowsTheBudgetsUnits(t *testing.T) {
	rep := &check.Report{Passed: true,
		Image: &sandbox.ImageInfo{SizeBytes: 18_500_000, Layers: []sandbox.LayerInfo{
			{SizeBytes: 18_000_000, CreatedBy: "COPY --from=build /out/app /app"},
			{SizeBytes: 500_000, WastedBytes: 400_000, CreatedBy: "RUN rm /tmp/x"}},
			Waste: &sandbox.WasteInfo{WastedBytes: 400_000, TotalBytes: 18_500_000, Efficiency: 0.97,
				Files: []sandbox.WastedFileInfo{{Path: "/tmp/x", Size: 400_000, Layer: 0, HiddenBy: 1, How: "deleted"}}}},
		Starter:   &sandbox.ImageInfo{SizeBytes: 900_000_000},
		Reference: &sandbox.ImageInfo{SizeBytes: 9_000_000},
	}
	view := func(budget string) string {
		m := exerciseModel{c: &Common{Styles: DefaultStyles(true, true)}, plan: &check.Plan{}}
		if budget != "" {
			m.plan.Checks = []spec.Check{{ID: "small", Kind: spec.KindImageSize, Max: spec.Quantity{Raw: budget}}}
		}
		return ansi.Strip(m.sizeView(rep, 100))
	}
	got := view("20MB")
	for _, want := range []string{"900.0 MB", "18.5 MB", "9.0 MB", "400.0 kB wasted · 500.0 kB", "Wasted space: 400.0 kB"} {
		if !strings.Contains(got, want) {
			t.Errorf("with a 20MB budget the panel should show %q:\n%s", want, got)
		}
	}
	if strings.Contains(got, "iB") {
		t.Errorf("with a 20MB budget the panel mixes in binary units:\n%s", got)
	}
	for _, budget := range []string{"", "20MiB"} {
		if got := view(budget); !strings.Contains(got, "17.6 MiB") || strings.Contains(got, " MB") {
			t.Errorf("budget %q: want binary units (18.5 MB is 17.6 MiB):\n%s", budget, got)
		}
	}
}
