package tui

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/stagecraft/stagecraft/content"
	"github.com/stagecraft/stagecraft/lessons"
	"github.com/stagecraft/stagecraft/progress"
	"github.com/stagecraft/stagecraft/study"
)

// BenchmarkFirstFrame: from nothing to the first full frame of the course map — load the
// embedded course, open the store, summarise, draw — the work between process start and the
// first paint.
func BenchmarkFirstFrame(b *testing.B) {
	db := filepath.Join(b.TempDir(), "p.db")
	for b.Loop() {
		course, err := lessons.Load(content.FS())
		if err != nil {
			b.Fatal(err)
		}
		st, err := progress.Open(context.Background(), db, progress.Options{})
		if err != nil {
			b.Fatal(err)
		}
		svc := study.New(study.Config{Course: course, Store: st, Learner: "ada", Now: func() time.Time { return testNow }})
		m := New(context.Background(), Options{Study: svc})
		sum, _ := svc.Summary(context.Background())
		var tm tea.Model = m
		tm, _ = tm.Update(tea.WindowSizeMsg{Width: 120, Height: 40})
		tm, _ = tm.Update(summaryMsg{sum: sum})
		if tm.(Model).Render() == "" {
			b.Fatal("empty frame")
		}
		st.Close()
	}
}

// BenchmarkLessonKey: a key press in the lesson viewport to the next frame.
func BenchmarkLessonKey(b *testing.B) {
	course, err := lessons.Load(content.FS())
	if err != nil {
		b.Fatal(err)
	}
	m := New(context.Background(), Options{Course: course})
	var tm tea.Model = m
	tm, _ = tm.Update(tea.WindowSizeMsg{Width: 120, Height: 40})
	tm, cmd := tm.Update(openLessonMsg{ID: course.Lessons[0].ID})
	for _, c := range flatten(cmd) {
		if msg, ok := c().(lessonRenderedMsg); ok {
			tm, _ = tm.Update(msg)
		}
	}
	down := tea.KeyPressMsg{Code: 'j', Text: "j"}
	up := tea.KeyPressMsg{Code: 'k', Text: "k"}
	i := 0
	for b.Loop() {
		k := down
		if i%40 >= 20 {
			k = up
		}
		i++
		tm, _ = tm.Update(k)
		_ = tm.View()
	}
}

func flatten(cmd tea.Cmd) []tea.Cmd {
	if cmd == nil {
		return nil
	}
	return []tea.Cmd{func() tea.Msg {
		msg := cmd()
		if batch, ok := msg.(tea.BatchMsg); ok {
			for _, c := range batch {
				if c == nil {
					continue
				}
				if r, ok := c().(lessonRenderedMsg); ok {
					return r
				}
			}
		}
		return msg
	}}
}
