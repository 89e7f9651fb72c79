package grade

import (
	"bytes"
	"strings"
	"testing"

	"github.com/stagecraft/stagecraft/sandbox/check/spec"
)

func TestProgressBar(t *testing.T) {
	var b bytes.Buffer
	bar := NewProgressBar(&b, 4, true)
	bar.Add(Result{Student: "ann", Status: StatusGraded, Score: spec.Whole(90), MaxScore: spec.Whole(100)})
	bar.Add(Result{Student: "ben", Status: StatusNotGraded, MaxScore: spec.Whole(100)})
	out := b.String()
	if !strings.Contains(out, "1/4") || !strings.Contains(out, "ann 90/100") || !strings.Contains(out, "2/4") ||
		!strings.Contains(out, "ben not graded") || strings.Count(out, "█") != 7+15 {
		t.Errorf("progress bar output %q", out)
	}
	bar.Clear()
	if !strings.HasSuffix(b.String(), "\r\x1b[2K") {
		t.Error("clear does not erase the line")
	}
	var quiet bytes.Buffer
	off := NewProgressBar(&quiet, 4, false) // stderr is not a terminal
	off.Add(Result{Student: "ann"})
	off.Clear()
	if quiet.Len() != 0 {
		t.Errorf("a progress bar off a terminal wrote %q", quiet.String())
	}
}
