package tui

import (
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"
)

// A long option wraps under its box at 80 columns instead of losing its end to "…".
func TestLongOptionWraps(t *testing.T) {
	opt := "COPY --from=build copies only the named files into the final stage, so the toolchain stays behind in the build stage"
	out := ansi.Strip(listItem(DefaultStyles(true, true), "( ) b  ", opt, true, 80))
	if strings.Contains(out, "…") {
		t.Fatalf("the option is cut:\n%s", out)
	}
	lines := strings.Split(strings.TrimRight(out, "\n"), "\n")
	if len(lines) < 2 {
		t.Fatalf("a %d-character option fits one 80-column line?\n%s", len(opt), out)
	}
	for _, l := range lines {
		if ansi.StringWidth(l) > 80 {
			t.Errorf("line wider than 80: %q", l)
		}
	}
	if !strings.HasPrefix(lines[1], strings.Repeat(" ", 3+len("( ) b  "))) {
		t.Errorf("the second line does not hang under the option's text: %q", lines[1])
	}
	if got := strings.Join(strings.Fields(out), " "); !strings.Contains(got, "stays behind in the build stage") {
		t.Errorf("the end of the option is lost: %q", got)
	}
}

// Course text from YAML block scalars keeps its paragraphs and indented lines, not its
// author's line breaks.
func TestReflow(t *testing.T) {
	in := "The build stage has the compiler;\nthe final stage does not.\n\nSee:\n  FROM busybox\n- a list item\n- another"
	want := "The build stage has the compiler; the final stage does not.\n\nSee:\n  FROM busybox\n- a list item\n- another"
	if got := reflow(in); got != want {
		t.Errorf("reflow =\n%q\nwant\n%q", got, want)
	}
}
