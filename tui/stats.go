package tui

import (
	"fmt"
	"sort"
	"strings"
	"time"

	"charm.land/bubbles/v2/help"
	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/viewport"
	tea "charm.land/bubbletea/v2"

	"github.com/stagecraft/stagecraft/progress"
	"github.com/stagecraft/stagecraft/quiz"
	"github.com/stagecraft/stagecraft/sandbox"
)

type statsLoadedMsg struct {
	dump progress.LearnerDump
	err  error
}

// statsModel shows accuracy, image sizes over attempts, and activity.
type statsModel struct {
	c      *Common
	sum    progress.Summary
	dump   progress.LearnerDump
	loaded bool
	err    error
	vp     viewport.Model
	w, h   int
}

// newStats is the stats screen at the window's size, on the summary the root has; Init loads
// the learner's answers and attempts.
func newStats(c *Common, sum progress.Summary) *statsModel {
	vp := viewport.New()
	vp.MouseWheelEnabled = true
	m := &statsModel{c: c, vp: vp, sum: sum}
	m.SetSize(c.Width, c.bodyHeight())
	return m
}

func (m *statsModel) SetSize(w, h int) tea.Cmd {
	m.w, m.h = w, h
	m.vp.SetWidth(w)
	m.vp.SetHeight(max(h-1, 1))
	m.refresh()
	return nil
}

func (m *statsModel) Typing() bool  { return false }
func (m *statsModel) OwnsEsc() bool { return false }
func (m *statsModel) Close()        {}

func (m *statsModel) Init() tea.Cmd {
	o, ctx := m.c.Opts, m.c.Ctx
	return func() tea.Msg {
		if !o.Study.Saves() {
			return statsLoadedMsg{}
		}
		ld, err := o.Study.History(ctx)
		return statsLoadedMsg{dump: ld, err: err}
	}
}

func (m *statsModel) Keys() help.KeyMap {
	k := m.c.Keys.Stats
	return bindings{short: []key.Binding{k.Down, k.Up}, full: [][]key.Binding{{k.Down, k.Up}}}
}

func (m *statsModel) Update(msg tea.Msg) (Screen, tea.Cmd) {
	switch msg := msg.(type) {
	case summaryMsg:
		m.sum = msg.sum
		m.refresh()
	case statsLoadedMsg:
		m.dump, m.err, m.loaded = msg.dump, msg.err, true
		m.refresh()
	case tea.KeyPressMsg:
		k := m.c.Keys.Stats
		switch {
		case key.Matches(msg, k.Down):
			m.vp.ScrollDown(1)
		case key.Matches(msg, k.Up):
			m.vp.ScrollUp(1)
		}
	case tea.MouseWheelMsg:
		var cmd tea.Cmd
		m.vp, cmd = m.vp.Update(msg)
		return m, cmd
	}
	return m, nil
}

func (m statsModel) View() string {
	return " " + m.c.Styles.Title.Render("Your stats") + "\n" + m.vp.View()
}

func (m *statsModel) refresh() {
	if m.c == nil {
		return
	}
	m.vp.SetContent(m.content())
}

func (m statsModel) content() string {
	s := m.c.Styles
	w := max(m.w, 40)
	var b strings.Builder
	section := func(t string) { b.WriteString("\n " + s.Subtitle.Render(t) + "\n") }
	if m.err != nil {
		b.WriteString(" " + s.Bad.Render(m.err.Error()) + "\n")
	}
	course := m.c.Opts.Course
	// Quiz accuracy.
	byDiff := map[quiz.Difficulty]*quiz.Tally{}
	byTag := map[string]*quiz.Tally{}
	for _, a := range m.dump.Answers {
		q := course.Question(a.Question)
		if q == nil {
			continue
		}
		add := func(t *quiz.Tally) {
			t.Total++
			if a.Correct {
				t.Correct++
			}
		}
		if byDiff[q.Difficulty] == nil {
			byDiff[q.Difficulty] = &quiz.Tally{}
		}
		add(byDiff[q.Difficulty])
		for _, tag := range q.Tags {
			if byTag[tag] == nil {
				byTag[tag] = &quiz.Tally{}
			}
			add(byTag[tag])
		}
	}
	section("Quiz accuracy by difficulty")
	if len(byDiff) == 0 {
		b.WriteString("  " + s.Faint.Render("no answers yet: take a lesson's quiz with t") + "\n")
	}
	for _, d := range quiz.Difficulties() {
		if t := byDiff[d]; t != nil {
			pct := t.Correct * 100 / t.Total
			b.WriteString(fmt.Sprintf("  %-8s %s %3d%%  %d/%d\n", d, progressBar(s, pct, 24), pct, t.Correct, t.Total))
		}
	}
	if len(byTag) > 0 {
		section("By tag")
		tags := make([]string, 0, len(byTag))
		for t := range byTag {
			tags = append(tags, t)
		}
		sort.Strings(tags)
		for _, tag := range tags {
			t := byTag[tag]
			pct := t.Correct * 100 / t.Total
			b.WriteString(fmt.Sprintf("  %-18s %s %3d%%  %d/%d\n", truncate(tag, 18), progressBar(s, pct, 16), pct, t.Correct, t.Total))
		}
	}
	// Image size across attempts.
	section("Image size across attempts")
	byEx := map[string][]progress.Attempt{}
	var exIDs []string
	for _, a := range m.dump.Attempts {
		if a.ImageSize <= 0 {
			continue
		}
		if byEx[a.Exercise] == nil {
			exIDs = append(exIDs, a.Exercise)
		}
		byEx[a.Exercise] = append(byEx[a.Exercise], a)
	}
	if len(exIDs) == 0 {
		b.WriteString("  " + s.Faint.Render("no built images yet: check an exercise with c") + "\n")
	}
	sort.Strings(exIDs)
	for _, id := range exIDs {
		atts := byEx[id]
		sort.Slice(atts, func(i, j int) bool { return atts[i].At.Before(atts[j].At) })
		var top int64
		for _, a := range atts {
			top = max(top, a.ImageSize)
		}
		b.WriteString("  " + s.Bold.Render(id) + "\n")
		barW := max(w-34, 8)
		for i, a := range lastAttempts(atts, 8) {
			fill := max(int(a.ImageSize*int64(barW)/top), 1)
			st := s.Warn
			mark := "✗"
			if a.Passed {
				st, mark = s.OK, "✓"
			}
			b.WriteString(fmt.Sprintf("   #%-2d %s %s %s\n", len(atts)-len(lastAttempts(atts, 8))+i+1, st.Render(mark),
				st.Render(strings.Repeat("█", fill))+strings.Repeat(" ", barW-fill), sandbox.HumanBytes(a.ImageSize)))
		}
	}
	// Activity.
	section("Activity")
	b.WriteString(m.heatmap(w) + "\n")
	st := m.sum.Streak
	b.WriteString(fmt.Sprintf("  streak %d day%s · longest %d", st.Current, plural(st.Current), st.Longest))
	if !st.LastActive.IsZero() {
		b.WriteString(" · last active " + st.LastActive.Local().Format("2 Jan"))
	}
	b.WriteString("\n")
	return b.String()
}

func lastAttempts(a []progress.Attempt, n int) []progress.Attempt {
	if len(a) > n {
		return a[len(a)-n:]
	}
	return a
}

// heatmap draws the last weeks of activity, a column per week and a row per weekday.
func (m statsModel) heatmap(w int) string {
	s := m.c.Styles
	now := m.c.Opts.now()
	count := map[string]int{}
	day := func(t time.Time) string { return t.In(now.Location()).Format("2006-01-02") }
	for _, r := range m.dump.Reads {
		count[day(r.At)]++
	}
	for _, a := range m.dump.Answers {
		count[day(a.At)]++
	}
	for _, a := range m.dump.Attempts {
		count[day(a.At)]++
	}
	weeks := min(max((w-10)/2, 4), 26)
	today := time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, now.Location())
	start := today.AddDate(0, 0, -int(today.Weekday())-7*(weeks-1))
	names := []string{"Sun", "   ", "Tue", "   ", "Thu", "   ", "Sat"}
	var b strings.Builder
	for d := 0; d < 7; d++ {
		b.WriteString("  " + s.Faint.Render(names[d]) + " ")
		for wk := 0; wk < weeks; wk++ {
			t := start.AddDate(0, 0, wk*7+d)
			if t.After(today) {
				b.WriteString("  ")
				continue
			}
			n := count[day(t)]
			lvl := 0
			switch {
			case n >= 20:
				lvl = 4
			case n >= 10:
				lvl = 3
			case n >= 4:
				lvl = 2
			case n >= 1:
				lvl = 1
			}
			glyph := []string{"·", "▪", "■", "■", "█"}[lvl]
			b.WriteString(s.Heat[lvl].Render(glyph) + " ")
		}
		b.WriteString("\n")
	}
	b.WriteString("  " + s.Faint.Render("    less · ▪ ■ █ more"))
	return b.String()
}
