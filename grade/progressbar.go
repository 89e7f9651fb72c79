package grade

import (
	"fmt"
	"io"
	"strings"
	"time"
)

// ProgressBar shows how far a batch is, one line redrawn in place: on a terminal only (off,
// it writes nothing).
type ProgressBar struct {
	w           io.Writer
	on          bool
	total, done int
	start       time.Time
}

// NewProgressBar draws on w when on is set, for total results.
func NewProgressBar(w io.Writer, total int, on bool) *ProgressBar {
	return &ProgressBar{w: w, on: on && total > 0, total: total, start: time.Now()}
}

// Add counts one more result and redraws the bar with it.
func (b *ProgressBar) Add(r Result) {
	b.done++
	if !b.on {
		return
	}
	const width = 30
	n := min(width*b.done/b.total, width)
	what := r.Score.String() + "/" + r.MaxScore.String()
	if r.Status == StatusNotGraded {
		what = "not graded"
	}
	fmt.Fprintf(b.w, "\r\x1b[2K[%s%s] %d/%d  %s  %s %s", strings.Repeat("█", n), strings.Repeat("░", width-n),
		b.done, b.total, time.Since(b.start).Round(time.Second), r.Student, what)
}

// Clear erases the bar's line, before other output.
func (b *ProgressBar) Clear() {
	if b.on {
		fmt.Fprint(b.w, "\r\x1b[2K")
	}
}
