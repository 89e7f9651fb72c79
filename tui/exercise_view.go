package tui

import (
	"fmt"
	"strings"
	"time"

	"charm.land/lipgloss/v2"

	"github.com/stagecraft/stagecraft/sandbox"
	"github.com/stagecraft/stagecraft/sandbox/check"
	"github.com/stagecraft/stagecraft/sandbox/check/spec"
)

// body is the scrolling part of the exercise screen and the line its results start on.
func (m exerciseModel) body() (string, int) {
	s := m.c.Styles
	w := max(m.w, 40)
	var b strings.Builder
	section := func(t string) { b.WriteString("\n " + s.Subtitle.Render(t) + "\n") }
	if m.brief != "" {
		b.WriteString(m.brief + "\n")
	}
	if m.loadErr != nil {
		b.WriteString("\n " + s.Bad.Render("Cannot prepare your workspace: ") + m.loadErr.Error() + "\n")
	}
	if m.noDaemon {
		b.WriteString(m.doctorView(w))
	}
	if m.dir != "" {
		section("Your Dockerfile  " + s.Faint.Render(m.dockerfilePath()))
		b.WriteString(m.dockerfileView(w) + "\n")
	}
	results := strings.Count(b.String(), "\n")
	if m.checking || m.report != nil || len(m.checks) > 0 {
		b.WriteString(m.resultsView(w))
	} else if m.dir != "" && !m.noDaemon {
		b.WriteString("\n " + s.Faint.Render("e: edit the Dockerfile (checked when you close the editor) · c: check now · w: watch mode") + "\n")
	}
	if m.hints > 0 {
		section("Hints")
		for i := 0; i < m.hints; i++ {
			b.WriteString(indent(s.Accent.Render(fmt.Sprintf("%d/%d ", i+1, len(m.ex.Hints)))+wrap(reflow(m.ex.Hints[i]), w-10), 2) + "\n")
		}
	}
	if m.showSolution {
		section("Reference solution, against yours  " + s.Faint.Render("(- yours only, + solution only)"))
		for _, l := range lineDiff(string(m.dockerfile), string(m.solution)) {
			switch l[0] {
			case '-':
				b.WriteString("  " + s.Bad.Render(l) + "\n")
			case '+':
				b.WriteString("  " + s.OK.Render(l) + "\n")
			default:
				b.WriteString("  " + s.Faint.Render(l) + "\n")
			}
		}
	}
	return b.String(), results
}

func (m exerciseModel) doctorView(w int) string {
	s := m.c.Styles
	var b strings.Builder
	b.WriteString("\n " + s.Warn.Render("BuildKit is not available, so exercises cannot be checked here yet.") + "\n")
	b.WriteString(" " + s.Faint.Render("Lessons and quizzes work without it. This is what `stagecraft doctor` says:") + "\n\n")
	if m.doctor == nil {
		if m.checkErr != nil {
			b.WriteString(indent(wrap(m.checkErr.Error(), w-6), 3) + "\n")
		}
		b.WriteString("   " + s.Faint.Render("asking doctor…") + "\n")
		return b.String()
	}
	for _, l := range m.doctor {
		mark := s.OK.Render("ok  ")
		if !l.OK {
			mark = s.Bad.Render("FAIL")
		}
		b.WriteString(fmt.Sprintf("   %s  %-10s %s\n", mark, l.Name, truncate(l.Detail, w-22)))
		if l.Fix != "" {
			for _, fl := range strings.Split(l.Fix, "\n") {
				b.WriteString(indent(s.Accent.Render(wrap(fl, w-22)), 19) + "\n")
			}
		}
	}
	b.WriteString("\n " + s.Faint.Render("Fix it, then press c to check again.") + "\n")
	return b.String()
}

// badLines are the Dockerfile lines the last check blames.
func (m exerciseModel) badLines() map[int]bool {
	bad := map[int]bool{}
	for _, c := range m.checks {
		if (c.Status == check.StatusFail) && c.Line > 0 {
			bad[c.Line] = true
		}
	}
	if m.report != nil && m.report.Build != nil && m.report.Build.FailedLine > 0 {
		bad[m.report.Build.FailedLine] = true
	}
	return bad
}

func (m exerciseModel) dockerfileView(w int) string {
	s := m.c.Styles
	bad := m.badLines()
	stale := m.checked != nil && !sameBytes(m.checked, m.dockerfile)
	var b strings.Builder
	lines := strings.Split(strings.TrimRight(string(m.dockerfile), "\n"), "\n")
	for i, l := range lines {
		no := s.LineNo.Render(fmt.Sprintf("%3d │ ", i+1))
		text := highlightDockerfile(s, truncate(l, w-10))
		mark := "  "
		if bad[i+1] && !stale {
			mark = s.Bad.Render("✗ ")
			text = s.LineHL.Render(truncate(l, w-10))
		}
		b.WriteString(" " + mark + no + text + "\n")
	}
	return strings.TrimRight(b.String(), "\n")
}

func (m exerciseModel) resultsView(w int) string {
	s := m.c.Styles
	var b strings.Builder
	// Build steps of the learner's image.
	if m.tracker != nil {
		var stages []string
		if m.static != nil {
			for _, st := range m.static.Stages {
				stages = append(stages, st.Name)
			}
		}
		var steps []sandbox.Step
		for _, st := range sandbox.InDockerfileOrder(m.tracker.Steps(), stages) {
			if !st.Internal {
				steps = append(steps, st)
			}
		}
		if len(steps) > 0 {
			b.WriteString("\n " + s.Subtitle.Render("Build") + "\n")
			for _, st := range steps {
				icon, tail := s.Faint.Render("·"), ""
				switch {
				case st.Error != "":
					icon, tail = s.Bad.Render("✗"), s.Bad.Render("failed")
				case st.Cached:
					icon, tail = s.OK.Render("✓"), s.Faint.Render("cached")
				case st.Completed != nil:
					icon, tail = s.OK.Render("✓"), s.Faint.Render(fmtDur(st.Duration()))
				case st.Running():
					icon, tail = s.Accent.Render("●"), s.Accent.Render("running "+fmtDur(st.Duration().Truncate(time.Second)))
				}
				b.WriteString("  " + icon + " " + spread(truncate(st.Name, w-20), tail, w-6) + "\n")
				if st.Error != "" {
					for _, l := range lastN(st.Log, 4) {
						b.WriteString("      " + s.Faint.Render(truncate(l, w-8)) + "\n")
					}
				}
			}
		}
	}
	// Checks.
	if len(m.checks) > 0 {
		b.WriteString("\n " + s.Subtitle.Render("Checks") + "\n")
		for _, c := range groupSkipped(m.checks) {
			icon := s.Faint.Render("–")
			switch c.Status {
			case check.StatusPass:
				icon = s.OK.Render("✓")
			case check.StatusFail:
				icon = s.Bad.Render("✗")
			case check.StatusError:
				icon = s.Warn.Render("!")
			}
			pts := s.Faint.Render(fmt.Sprintf("%s/%s", c.Points, c.MaxPoints))
			lines := strings.Split(wrap(withLine(c.Message, c.Line), w-16), "\n")
			b.WriteString("  " + icon + " " + spread(lines[0], pts, w-5) + "\n")
			for _, l := range lines[1:] {
				b.WriteString("    " + l + "\n")
			}
		}
	}
	if rep := m.report; rep != nil && !m.checking {
		verdict := s.Bad.Render(fmt.Sprintf("✗ Not yet: %s/%s points", rep.Score, rep.MaxScore))
		if rep.Passed {
			verdict = s.OK.Render(fmt.Sprintf("✓ Passed: %s/%s points", rep.Score, rep.MaxScore))
		}
		b.WriteString("\n  " + verdict)
		if !rep.Passed && m.failures >= 3 {
			b.WriteString(s.Faint.Render("  · s shows the solution"))
		} else if !rep.Passed {
			b.WriteString(s.Faint.Render("  · h for a hint"))
		}
		b.WriteString("\n")
		if rep.Build != nil && rep.Build.Failure != nil && rep.Build.Failure.Message != "" {
			b.WriteString(indent(s.Bad.Render(wrap(rep.Build.Failure.Message, w-6)), 2) + "\n")
		}
		b.WriteString(m.sizeView(rep, w))
	}
	return b.String()
}

// withLine adds the line a check blames unless its message already names it.
func withLine(msg string, line int) string {
	if line <= 0 || strings.Contains(msg, fmt.Sprintf("line %d", line)) {
		return msg
	}
	return msg + fmt.Sprintf(" (line %d)", line)
}

// groupSkipped folds a run of skipped checks that share one reason (every check after a
// Dockerfile that does not parse) into one row, so the reason is read once, not nine times.
func groupSkipped(cs []check.CheckResult) []check.CheckResult {
	var out []check.CheckResult
	n, reason := 0, ""
	for _, c := range cs {
		if c.Status == check.StatusSkipped && n > 0 && c.Message == reason {
			n++
			g := &out[len(out)-1]
			g.MaxPoints += c.MaxPoints
			g.Line = 0
			g.Message = fmt.Sprintf("%d checks not run: %s", n, strings.TrimPrefix(strings.TrimPrefix(reason, "not checked: "), "skipped: "))
			continue
		}
		n, reason = 0, ""
		if c.Status == check.StatusSkipped {
			n, reason = 1, c.Message
		}
		out = append(out, c)
	}
	return out
}

// sizeView: bars for the starter, the learner's and the reference image, then the layers.
func (m exerciseModel) sizeView(rep *check.Report, w int) string {
	s := m.c.Styles
	type bar struct {
		name string
		info *sandbox.ImageInfo
	}
	bars := []bar{{"starter", rep.Starter}, {"yours", rep.Image}, {"reference", rep.Reference}}
	var largest int64
	n := 0
	for _, b := range bars {
		if b.info != nil {
			largest = max(largest, b.info.SizeBytes)
			n++
		}
	}
	if n == 0 || largest == 0 {
		return ""
	}
	// One unit system on the screen: the one the exercise's size budget is written in.
	budget := m.sizeBudget()
	size := func(n int64) string { return check.SizeLike(n, budget) }
	var b strings.Builder
	b.WriteString("\n " + s.Subtitle.Render("Image size") + "\n")
	barW := max(w-30, 10)
	for _, br := range bars {
		if br.info == nil {
			continue
		}
		fill := int(br.info.SizeBytes * int64(barW) / largest)
		if fill == 0 && br.info.SizeBytes > 0 {
			fill = 1
		}
		st := s.BarFull
		if br.name == "yours" {
			st = s.Accent
			if rep.Passed {
				st = s.OK
			}
		}
		b.WriteString(fmt.Sprintf("  %-9s %s %s\n", br.name, st.Render(strings.Repeat("█", fill))+s.BarEmpty.Render(strings.Repeat("░", barW-fill)),
			size(br.info.SizeBytes)))
	}
	if img := rep.Image; img != nil && len(img.Layers) > 0 {
		b.WriteString("\n " + s.Subtitle.Render(fmt.Sprintf("Layers of your image (%d)", len(img.Layers))) + "\n")
		for _, l := range img.Layers {
			by := strings.TrimSpace(strings.TrimPrefix(l.CreatedBy, "/bin/sh -c"))
			if by == "" {
				by = "(base)"
			}
			sz := size(l.SizeBytes)
			if l.WastedBytes > 0 {
				sz = size(l.WastedBytes) + " wasted · " + sz
			}
			b.WriteString("  " + spread(s.Faint.Render(truncate(by, w-len(sz)-8)), sz, w-4) + "\n")
		}
		b.WriteString(wasteView(m.c.Styles, img, w, size))
	}
	return b.String()
}

// sizeBudget is the exercise's image_size budget ("20MB"), whose unit system (1000- or
// 1024-based) the size panel follows, as the check's own message does; none means binary units.
func (m exerciseModel) sizeBudget() spec.Quantity {
	if m.plan == nil {
		return spec.Quantity{}
	}
	for _, c := range m.plan.Checks {
		if c.Kind != spec.KindImageSize {
			continue
		}
		if c.Max.Raw != "" {
			return c.Max
		}
		return c.MaxCompressed
	}
	return spec.Quantity{}
}

// wasteView says how much of the image's content later layers hide, and the largest such files
// with the layer that hid each: the bytes a learner pays for without seeing them.
func wasteView(s Styles, img *sandbox.ImageInfo, w int, size func(int64) string) string {
	ws := img.Waste
	if ws == nil || ws.WastedBytes == 0 {
		return ""
	}
	var b strings.Builder
	b.WriteString(fmt.Sprintf("\n %s\n", s.Subtitle.Render(fmt.Sprintf("Wasted space: %s (efficiency %.1f%%)", size(ws.WastedBytes), 100*ws.Efficiency))))
	for i, f := range ws.Files {
		if i == 3 {
			break
		}
		by := "a later layer"
		if f.HiddenBy < len(img.Layers) {
			by = strings.TrimSpace(strings.TrimPrefix(img.Layers[f.HiddenBy].CreatedBy, "/bin/sh -c"))
		}
		line := fmt.Sprintf("%s %s by %s", f.Path, f.How, by)
		b.WriteString("  " + spread(s.Faint.Render(truncate(line, w-18)), size(f.Size), w-4) + "\n")
	}
	return b.String()
}

func fmtDur(d time.Duration) string {
	if d < time.Second {
		return fmt.Sprintf("%dms", d.Milliseconds())
	}
	return fmt.Sprintf("%.1fs", d.Seconds())
}

func lastN(l []string, n int) []string {
	if len(l) > n {
		return l[len(l)-n:]
	}
	return l
}

var _ = lipgloss.Width

func (m exerciseModel) View() string {
	s := m.c.Styles
	head := s.Title.Render(m.ex.Title)
	right := s.Faint.Render(fmt.Sprintf("%s · %d pts", m.ex.Difficulty, m.ex.Points))
	line := " " + spread(truncateStyled(head, m.w-20), right, m.w-2)
	status := ""
	switch {
	case m.confirmReset:
		status = s.Warn.Render("Reset the Dockerfile to the starter? Your version is lost. y/n")
	case m.checking:
		status = s.Accent.Render("● "+m.phase+"…") + s.Faint.Render("  esc cancels")
	case m.notice != "":
		status = s.Faint.Render(m.notice)
	case m.passed && !m.showSolution && m.next().id != "":
		status = s.OK.Render("✓ passed") + s.Faint.Render(" · n: next — "+m.next().title)
	case m.watcher != nil:
		status = s.Accent.Render("◉ watching " + m.dir)
	case m.dir != "":
		status = s.Faint.Render("your files: " + m.dir)
	}
	return line + "\n" + m.vp.View() + "\n " + truncateStyled(status, m.w-2)
}

// refresh rebuilds the viewport content from the state.
func (m *exerciseModel) refresh() {
	content, results := m.body()
	off := m.vp.YOffset()
	m.vp.SetContent(content)
	m.vp.SetYOffset(off)
	m.resultsLine = results
}
