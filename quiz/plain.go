package quiz

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"
)

// The plain line mode: a session on a text stream, for screen readers, scripts and tests. Each
// question is printed, numbered, and answered by one line of input in the syntax of ParseAnswer.
// A line that is exactly one of these is a command instead:
//
//	h   the next hint (practice and review)
//	?   show the question again
//	s   skip the question (it scores 0)
//	q   quit; the answers given so far are kept
//
// To answer a short question with one of these letters, type a backslash first (\q). An answer
// that does not fit says what is expected and asks again.

// ErrInputEnded is returned by RunPlain when the input ends before the session does. The session
// is finished at that point; every answer given was recorded.
var ErrInputEnded = errors.New("the input ended before the quiz did")

// PlainOptions are the streams and hooks of RunPlain.
type PlainOptions struct {
	In  io.Reader
	Out io.Writer
	Now func() time.Time // nil: time.Now
	// Echo writes each line read after the prompt, so that a transcript of piped input reads
	// like a terminal session (a terminal echoes by itself).
	Echo bool
	// OnPrompt is called each time the learner is asked for a line, the question on the screen.
	OnPrompt func()
	// Record is called with each answered response as it is given (not with skipped or late
	// ones); an error stops the session and is returned.
	Record func(Response) error
}

// RunPlain runs s on text streams until every question is answered or skipped, the learner
// quits, the time limit passes, the input ends (ErrInputEnded) or ctx is done (ctx.Err()). The
// session is finished when it returns; Summarize gives the score.
func RunPlain(ctx context.Context, s *Session, o PlainOptions) error {
	now := o.Now
	if now == nil {
		now = time.Now
	}
	w := bufio.NewWriter(o.Out)
	defer w.Flush()
	lines := readLines(o.In)
	hints := 0
	show := true
	for {
		q, ok := s.Current()
		if !ok {
			return nil
		}
		if show {
			if s.Expired(now()) {
				return timeUp(w, s, now())
			}
			WritePlainQuestion(w, s, now())
			s.Shown(now())
			show = false
		}
		fmt.Fprint(w, "> ")
		w.Flush()
		if o.OnPrompt != nil {
			o.OnPrompt()
		}
		line, err := nextLine(ctx, s, lines, now)
		switch {
		case errors.Is(err, errTimeUp):
			fmt.Fprintln(w)
			return timeUp(w, s, now())
		case errors.Is(err, ErrInputEnded):
			s.Finish(now())
			fmt.Fprintf(w, "\nThe input ended before the quiz did; %s.\n", savedCount(s))
			return err
		case err != nil:
			s.Finish(now())
			fmt.Fprintln(w)
			return err
		}
		if o.Echo {
			fmt.Fprintln(w, line)
		}
		cmd := strings.ToLower(strings.TrimSpace(line))
		switch cmd {
		case "q":
			s.Finish(now())
			fmt.Fprintf(w, "Quit; %s.\n", savedCount(s))
			return nil
		case "?":
			show = true
			continue
		case "s":
			s.Skip(now())
			hints, show = 0, true
			fmt.Fprintln(w, "Skipped.")
			continue
		case "h":
			if !s.Mode.HintsAllowed() {
				fmt.Fprintln(w, "No hints in an exam.")
			} else if h, ok := s.Hint(hints); ok {
				hints++
				fmt.Fprintf(w, "Hint %d of %d: %s\n", hints, len(q.Hints), indentRest(strings.TrimSpace(h), "  "))
			} else if len(q.Hints) == 0 {
				fmt.Fprintln(w, "This question has no hints.")
			} else {
				fmt.Fprintln(w, "No more hints.")
			}
			continue
		}
		line = strings.TrimPrefix(strings.TrimSpace(line), `\`)
		a, err := ParseAnswer(q, line, s.ShownOrder())
		if err != nil {
			fmt.Fprintf(w, "%s\n", upperFirst(err.Error()))
			continue
		}
		r := s.Answer(a, hints, now())
		if r.Late {
			fmt.Fprintln(w, "That answer came after the time limit and does not count.")
			return timeUp(w, s, now())
		}
		if o.Record != nil {
			if err := o.Record(r); err != nil {
				s.Finish(now())
				return fmt.Errorf("saving the answer to %s: %w", q.ID, err)
			}
		}
		if s.Mode.ShowsFeedback() {
			writeFeedback(w, q, r)
		} else {
			fmt.Fprintln(w, "Saved.")
		}
		hints, show = 0, true
	}
}

var errTimeUp = errors.New("time is up")

// nextLine waits for a line of input, the end of the time limit, or ctx.
func nextLine(ctx context.Context, s *Session, lines <-chan string, now func() time.Time) (string, error) {
	var timeout <-chan time.Time
	if s.TimeLimit > 0 {
		if s.Expired(now()) {
			return "", errTimeUp
		}
		t := time.NewTimer(s.Remaining(now()))
		defer t.Stop()
		timeout = t.C
	}
	select {
	case <-ctx.Done():
		return "", ctx.Err()
	case <-timeout:
		return "", errTimeUp
	case l, open := <-lines:
		if !open {
			return "", ErrInputEnded
		}
		return l, nil
	}
}

func timeUp(w io.Writer, s *Session, now time.Time) error {
	s.Finish(now)
	fmt.Fprintf(w, "Time is up; %s.\n", savedCount(s))
	return nil
}

func savedCount(s *Session) string {
	n := 0
	for _, r := range s.Responses {
		if !r.Skipped {
			n++
		}
	}
	switch n {
	case 0:
		return "no answer was given"
	case 1:
		return "the 1 answer given is saved"
	}
	return fmt.Sprintf("the %d answers given are saved", n)
}

// readLines delivers the input's lines on a channel, closed at the end of the input, so that
// RunPlain can wait for a line, the clock and ctx at once.
func readLines(in io.Reader) <-chan string {
	ch := make(chan string)
	go func() {
		defer close(ch)
		sc := bufio.NewScanner(in)
		sc.Buffer(make([]byte, 0, 4096), 1<<20)
		for sc.Scan() {
			ch <- sc.Text()
		}
	}()
	return ch
}

// WritePlainQuestion prints the current question of s: a header line (number, type,
// difficulty, points, time left), the prompt, the code, the choices and what to type.
func WritePlainQuestion(w io.Writer, s *Session, now time.Time) {
	q, ok := s.Current()
	if !ok {
		return
	}
	points := "1 point"
	if q.Points != 1 {
		points = fmt.Sprintf("%d points", q.Points)
	}
	header := fmt.Sprintf("Question %d of %d · %s · %s · %s", s.Index()+1, len(s.Questions), typeLabel(q.Type), q.Difficulty, points)
	if s.TimeLimit > 0 {
		header += " · " + FormatDuration(s.Remaining(now)) + " left"
	}
	fmt.Fprintf(w, "\n%s\n\n%s\n", header, strings.TrimRight(q.Prompt, "\n"))
	if lines := q.CodeLines(); len(lines) > 0 {
		fmt.Fprintln(w)
		width := len(strconv.Itoa(len(lines)))
		for i, l := range lines {
			if q.Type == TypeSpotLine {
				fmt.Fprintf(w, "  %*d | %s\n", width, i+1, l)
			} else {
				fmt.Fprintf(w, "    %s\n", l)
			}
		}
	}
	switch q.Type {
	case TypeSingle, TypeMultiple:
		fmt.Fprintln(w)
		for k, i := range s.ShownOrder() {
			fmt.Fprintf(w, "  %s) %s\n", OptionLetter(k), indentRest(q.Options[i].Text, "     "))
		}
	case TypeOrder:
		fmt.Fprintln(w)
		for k, i := range s.ShownOrder() {
			fmt.Fprintf(w, "  %d) %s\n", k+1, indentRest(q.Items[i], "     "))
		}
	}
	cmds := "? repeat, s skip, q quit"
	if s.Mode.HintsAllowed() && len(q.Hints) > 0 {
		cmds = fmt.Sprintf("h hint (%d), %s", len(q.Hints), cmds)
	}
	fmt.Fprintf(w, "\nAnswer with %s. (%s)\n", AnswerSyntax(q), cmds)
}

func typeLabel(t Type) string {
	switch t {
	case TypeSingle:
		return "one answer"
	case TypeMultiple:
		return "several answers"
	case TypeTrueFalse:
		return "true or false"
	case TypeShort:
		return "short answer"
	case TypeOrder:
		return "put in order"
	case TypeSpotLine:
		return "spot the line"
	}
	return string(t)
}

// writeFeedback tells the learner at once how the answer went (practice and review).
func writeFeedback(w io.Writer, q *Question, r Response) {
	if r.Result.Correct {
		fmt.Fprintf(w, "Right. +%d\n", r.Result.Points)
	} else {
		fmt.Fprintf(w, "Not right. The answer: %s\n", RightAnswer(q, r.Shown))
	}
	for _, f := range r.Result.Feedback {
		fmt.Fprintf(w, "  %s\n", indentRest(strings.TrimSpace(f), "  "))
	}
	if e := strings.TrimSpace(q.Explanation); e != "" {
		fmt.Fprintf(w, "Why: %s\n", indentRest(e, "     "))
	}
}

// RightAnswer says what the right answer is, in the words a learner sees: option texts (after
// the letters they were shown with, when shown, the order they were shown in, is given), true
// or false, an accepted answer, the items in order, a line number.
func RightAnswer(q *Question, shown Permutation) string {
	switch q.Type {
	case TypeSingle, TypeMultiple:
		if len(shown) != len(q.Options) {
			var parts []string
			for _, i := range q.CorrectOptions() {
				parts = append(parts, firstLine(q.Options[i].Text))
			}
			return strings.Join(parts, "; ")
		}
		var parts []string
		for pos, i := range shown { // in the order shown: A before C
			if q.Options[i].Correct {
				parts = append(parts, OptionLetter(pos)+") "+firstLine(q.Options[i].Text))
			}
		}
		return strings.Join(parts, "; ")
	case TypeTrueFalse:
		return strconv.FormatBool(q.IsTrue)
	case TypeShort:
		if len(q.Accept) > 0 {
			return q.Accept[0]
		}
		return "text matching " + q.Pattern
	case TypeOrder:
		parts := make([]string, len(q.Items))
		for i, it := range q.Items {
			parts[i] = firstLine(it)
		}
		return strings.Join(parts, " → ")
	case TypeSpotLine:
		lines := q.CodeLines()
		if q.AnswerLine >= 1 && q.AnswerLine <= len(lines) {
			return fmt.Sprintf("line %d (%s)", q.AnswerLine, strings.TrimSpace(lines[q.AnswerLine-1]))
		}
		return fmt.Sprintf("line %d", q.AnswerLine)
	}
	return ""
}

// WritePlainSummary prints the score report at the end of a session. After an exam — which
// showed no feedback — it goes through each question not answered right: what was given, the
// right answer and the explanation.
func WritePlainSummary(w io.Writer, s *Session, sum Summary) {
	verdict := "not passed"
	if sum.Passed {
		verdict = "passed"
	}
	if s.Mode == ModeReview { // a review is revision, not a test: no pass mark
		fmt.Fprintf(w, "\n%s: %d/%d points (%s).\n", orQuiz(sum.Title), sum.Score, sum.MaxScore, formatPercent(sum.Percent))
	} else {
		fmt.Fprintf(w, "\n%s: %d/%d points (%s), %s (pass mark %d%%).\n", orQuiz(sum.Title), sum.Score, sum.MaxScore, formatPercent(sum.Percent), verdict, sum.PassPercent)
	}
	fmt.Fprintf(w, "%d of %d answered, %d right. Time %s", sum.Answered, sum.Total, sum.Correct, FormatDuration(sum.TimeUsed))
	if sum.TimeLimit > 0 {
		fmt.Fprintf(w, " of %s", FormatDuration(sum.TimeLimit))
	}
	fmt.Fprintln(w, ".")
	var parts []string
	for _, d := range sortedDifficulties(sum.ByDifficulty) {
		t := sum.ByDifficulty[d]
		parts = append(parts, fmt.Sprintf("%s %d/%d", d, t.Correct, t.Total))
	}
	fmt.Fprintf(w, "By difficulty: %s.\n", strings.Join(parts, ", "))
	if s.Mode.ShowsFeedback() || len(sum.Missed) == 0 {
		if len(sum.Missed) > 0 {
			fmt.Fprintf(w, "Missed: %s.\n", strings.Join(sum.Missed, ", "))
		}
		return
	}
	fmt.Fprintln(w, "\nThe questions you missed:")
	byID := map[string]*Question{}
	for _, q := range s.Questions {
		byID[q.ID] = q
	}
	responses := map[*Question]Response{}
	for _, r := range s.Responses {
		responses[r.Question] = r
	}
	for i, o := range sum.Questions {
		if o.Status == StatusCorrect {
			continue
		}
		q := byID[o.ID]
		r := responses[q]
		given := "Not answered."
		switch o.Status {
		case StatusWrong:
			given = "You answered " + AnswerText(q, r.Answer) + "."
		case StatusSkipped:
			given = "Skipped."
		}
		fmt.Fprintf(w, "\n%d. %s\n   %s The answer: %s\n", i+1, indentRest(strings.TrimSpace(q.Prompt), "   "), given, RightAnswer(q, r.Shown))
		if e := strings.TrimSpace(q.Explanation); e != "" {
			fmt.Fprintf(w, "   %s\n", indentRest(e, "   "))
		}
	}
}

func orQuiz(title string) string {
	if title == "" {
		return "Quiz"
	}
	return title
}

func firstLine(s string) string {
	l, _, _ := strings.Cut(s, "\n")
	return l
}

// indentRest indents every line after the first, so multi-line text stays under its label.
func indentRest(s, indent string) string {
	return strings.ReplaceAll(strings.TrimRight(s, "\n"), "\n", "\n"+indent)
}

func upperFirst(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}
