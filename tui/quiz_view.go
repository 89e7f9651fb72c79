package tui

import (
	"fmt"
	"strings"
	"time"

	"charm.land/lipgloss/v2"

	"github.com/stagecraft/stagecraft/quiz"
)

// View is the question with its answer input, hints or feedback; at the end, the results.
func (m *quizModel) View() string {
	if m.summary != nil {
		return m.summaryView()
	}
	s := m.c.Styles
	w := max(m.w, 40)
	var b strings.Builder
	q, ok := m.sess.Current()
	if m.last != nil {
		q = m.last.Question
	}
	if !ok && m.last == nil {
		return ""
	}
	idx := m.sess.Index()
	if m.last != nil {
		idx--
	}
	right := fmt.Sprintf("%d/%d · %s · %s", idx+1, len(m.sess.Questions), q.Difficulty, plural1(q.Points, "pt"))
	if m.cfg.TimeLimit > 0 {
		rem := m.sess.Remaining(m.c.Opts.now())
		st := s.Faint
		if rem < time.Minute {
			st = s.Warn
		}
		right = st.Render("⏱ "+quiz.FormatDuration(rem.Truncate(time.Second))) + "  " + right
	}
	title := m.cfg.Title
	if m.cfg.Mode == quiz.ModeExam {
		title += " — exam"
	}
	b.WriteString(" " + spread(s.Title.Render(title), s.Faint.Render(right), w-2) + "\n\n")
	b.WriteString(indent(wrap(q.Prompt, w-4), 2) + "\n")
	codeLines := q.CodeLines()
	if len(codeLines) > 0 && q.Type != quiz.TypeSpotLine {
		b.WriteString("\n" + codeBlock(s, codeLines, -1, -1) + "\n")
	}
	b.WriteString("\n")
	if m.last != nil {
		b.WriteString(m.feedbackView(q, *m.last, w))
		return b.String()
	}
	if m.input != nil {
		b.WriteString(m.input.View(w))
	}
	if m.hints > 0 {
		b.WriteString("\n")
		for i := 0; i < m.hints; i++ {
			b.WriteString(indent(s.Accent.Render(fmt.Sprintf("hint %d/%d: ", i+1, len(q.Hints)))+wrap(reflow(q.Hints[i]), w-16), 2) + "\n")
		}
	}
	return b.String()
}

func plural1(n int, w string) string { return fmt.Sprintf("%d %s%s", n, w, plural(n)) }

func (m *quizModel) feedbackView(q *quiz.Question, r quiz.Response, w int) string {
	s := m.c.Styles
	var b strings.Builder
	if q.Type == quiz.TypeSpotLine {
		mark := int(r.Answer.(quiz.Line)) - 1
		if r.Result.Correct {
			mark = -1
		}
		b.WriteString(codeBlock(s, q.CodeLines(), q.AnswerLine-1, mark) + "\n\n")
	}
	if r.Result.Correct {
		b.WriteString("  " + s.OK.Render("✓ Right") + s.Faint.Render(fmt.Sprintf("  +%d", r.Result.Points)) + "\n")
	} else {
		b.WriteString("  " + s.Bad.Render("✗ Not quite") + "\n")
		b.WriteString(hang(s.Faint.Render("  your answer:  "), quiz.AnswerText(q, r.Answer), w) + "\n")
		b.WriteString(hang(s.Faint.Render("  right answer: "), correctAnswer(q, r.Shown), w) + "\n")
	}
	for _, fb := range r.Result.Feedback {
		b.WriteString("\n" + indent(s.Accent.Render("› ")+wrap(reflow(fb), w-8), 2) + "\n")
	}
	if q.Explanation != "" {
		b.WriteString("\n" + indent(wrap(reflow(q.Explanation), w-4), 2) + "\n")
	}
	return b.String()
}

// correctAnswer writes the right answer for the feedback line: options with the letters they
// were shown with (shown, the order on the screen; nil: the texts alone).
func correctAnswer(q *quiz.Question, shown quiz.Permutation) string {
	switch q.Type {
	case quiz.TypeSingle, quiz.TypeMultiple:
		var parts []string
		if len(shown) != len(q.Options) {
			for _, i := range q.CorrectOptions() {
				parts = append(parts, q.Options[i].Text)
			}
			return strings.Join(parts, "; ")
		}
		for pos, i := range shown { // in the order shown: A before C
			if q.Options[i].Correct {
				parts = append(parts, quiz.OptionLetter(pos)+" "+q.Options[i].Text)
			}
		}
		return strings.Join(parts, "; ")
	case quiz.TypeTrueFalse:
		if q.IsTrue {
			return "true"
		}
		return "false"
	case quiz.TypeShort:
		if len(q.Accept) > 0 {
			return q.Accept[0]
		}
		return "/" + q.Pattern + "/"
	case quiz.TypeOrder:
		return strings.Join(q.Items, " → ")
	case quiz.TypeSpotLine:
		return fmt.Sprintf("line %d", q.AnswerLine)
	}
	return ""
}

func (m *quizModel) summaryView() string {
	s := m.c.Styles
	sum := *m.summary
	w := max(m.w, 40)
	var b strings.Builder
	verdict := s.Bad.Render("not passed")
	if sum.Passed {
		verdict = s.OK.Render("passed")
	}
	b.WriteString(" " + s.Title.Render(m.cfg.Title+" — results") + "\n\n")
	b.WriteString(fmt.Sprintf("  Score %d/%d (%.0f%%) · %s · pass mark %d%%", sum.Score, sum.MaxScore, sum.Percent, verdict, sum.PassPercent))
	if sum.TimedOut {
		b.WriteString(" · " + s.Warn.Render("time ran out"))
	}
	b.WriteString("\n\n")
	b.WriteString(s.Subtitle.Render("  By difficulty") + "\n")
	for _, d := range quiz.Difficulties() {
		t, ok := sum.ByDifficulty[d]
		if !ok || t.Total == 0 {
			continue
		}
		pct := t.Correct * 100 / t.Total
		b.WriteString(fmt.Sprintf("  %-7s %s %d/%d\n", d, progressBar(s, pct, 20), t.Correct, t.Total))
	}
	if len(sum.Missed) > 0 {
		b.WriteString("\n" + s.Subtitle.Render("  To review") + "\n")
		course := m.c.Opts.Course
		for _, o := range sum.Questions {
			if o.Status == quiz.StatusCorrect {
				continue
			}
			var q *quiz.Question
			for _, qq := range m.sess.Questions {
				if qq.ID == o.ID {
					q = qq
				}
			}
			if q == nil {
				continue
			}
			where := ""
			if course != nil {
				if l := course.Lesson(q.Lesson); l != nil {
					where = s.Faint.Render("  (" + l.Title + ")")
				}
			}
			b.WriteString("  " + s.Bad.Render("✗ ") + truncateStyled(firstLine(q.Prompt), w-10-lipgloss.Width(where)) + where + "\n")
			if m.cfg.Mode == quiz.ModeExam {
				b.WriteString(hang(s.Faint.Render("    right answer: "), correctAnswer(q, shownFor(m.sess, q)), w) + "\n")
			}
		}
	} else {
		b.WriteString("\n  " + s.OK.Render("Every question right.") + "\n")
	}
	if m.offersNext() {
		what := "r: take it again"
		if p := m.nextPlace(); p.id != "" {
			what = "n: next — " + p.title + " · " + what
		}
		b.WriteString("\n  " + s.Faint.Render(truncate(what, w-4)) + "\n")
	}
	return b.String()
}

func firstLine(s string) string {
	s = strings.TrimSpace(s)
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		return s[:i]
	}
	return s
}
