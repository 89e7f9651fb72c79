package lineui

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/stagecraft/stagecraft/quiz"
)

// The quiz in line mode: a session on a text stream, for screen readers, scripts and tests. Each
// question is printed, numbered, and answered by one line of input in the syntax of quiz.ParseAnswer.
// A line that is exactly one of these is a command instead:
//
//	h   the next hint (practice and review)
//	?   show the question again
//	s   skip the question (it scores 0)
//	q   quit; the answers given so far are kept
//
// To answer a short question with one of these letters, type a backslash first (\q). An answer
// that does not fit says what is expected and asks again.

// ErrInputEnded is returned by RunQuiz when the input ends before the session does. The session
// is finished at that point; every answer given was recorded.
var ErrInputEnded = errors.New("the input ended before the quiz did")

// QuizOptions are the streams and hooks of RunQuiz.
type QuizOptions struct {
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
	Record func(quiz.Response) error
}

// RunQuiz runs s on text streams until every question is answered or skipped, the learner
// quits, the time limit passes, the input ends (ErrInputEnded) or ctx is done (ctx.Err()). The
// session is finished when it returns; quiz.Summarize gives the score.
func RunQuiz(ctx context.Context, s *quiz.Session, o QuizOptions) error {
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
			WriteQuestion(w, s, now())
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
		a, err := quiz.ParseAnswer(q, line, s.ShownOrder())
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
func nextLine(ctx context.Context, s *quiz.Session, lines <-chan string, now func() time.Time) (string, error) {
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

func timeUp(w io.Writer, s *quiz.Session, now time.Time) error {
	s.Finish(now)
	fmt.Fprintf(w, "Time is up; %s.\n", savedCount(s))
	return nil
}

func savedCount(s *quiz.Session) string {
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
// RunQuiz can wait for a line, the clock and ctx at once.
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

// WriteQuestion prints the current question of s: a header line (number, type,
// difficulty, points, time left), the prompt, the code, the choices and what to type.
func WriteQuestion(w io.Writer, s *quiz.Session, now time.Time) {
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
		header += " · " + quiz.FormatDuration(s.Remaining(now)) + " left"
	}
	fmt.Fprintf(w, "\n%s\n\n%s\n", header, strings.TrimRight(q.Prompt, "\n"))
	if lines := q.CodeLines(); len(lines) > 0 {
		fmt.Fprintln(w)
		width := len(strconv.Itoa(len(lines)))
		for i, l := range lines {
			if q.Type == quiz.TypeSpotLine {
				fmt.Fprintf(w, "  %*d | %s\n", width, i+1, l)
			} else {
				fmt.Fprintf(w, "    %s\n", l)
			}
		}
	}
	switch q.Type {
	case quiz.TypeSingle, quiz.TypeMultiple:
		fmt.Fprintln(w)
		for k, i := range s.ShownOrder() {
			fmt.Fprintf(w, "  %s) %s\n", quiz.OptionLetter(k), indentRest(q.Options[i].Text, "     "))
		}
	case quiz.TypeOrder:
		fmt.Fprintln(w)
		for k, i := range s.ShownOrder() {
			fmt.Fprintf(w, "  %d) %s\n", k+1, indentRest(q.Items[i], "     "))
		}
	}
	cmds := "? repeat, s skip, q quit"
	if s.Mode.HintsAllowed() && len(q.Hints) > 0 {
		cmds = fmt.Sprintf("h hint (%d), %s", len(q.Hints), cmds)
	}
	fmt.Fprintf(w, "\nAnswer with %s. (%s)\n", quiz.AnswerSyntax(q), cmds)
}

func typeLabel(t quiz.Type) string {
	switch t {
	case quiz.TypeSingle:
		return "one answer"
	case quiz.TypeMultiple:
		return "several answers"
	case quiz.TypeTrueFalse:
		return "true or false"
	case quiz.TypeShort:
		return "short answer"
	case quiz.TypeOrder:
		return "put in order"
	case quiz.TypeSpotLine:
		return "spot the line"
	}
	return string(t)
}

// writeFeedback tells the learner at once how the answer went (practice and review).
func writeFeedback(w io.Writer, q *quiz.Question, r quiz.Response) {
	if r.Result.Correct {
		fmt.Fprintf(w, "Right. +%d\n", r.Result.Points)
	} else {
		fmt.Fprintf(w, "Not right. The answer: %s\n", quiz.RightAnswer(q, r.Shown))
	}
	for _, f := range r.Result.Feedback {
		fmt.Fprintf(w, "  %s\n", indentRest(strings.TrimSpace(f), "  "))
	}
	if e := strings.TrimSpace(q.Explanation); e != "" {
		fmt.Fprintf(w, "Why: %s\n", indentRest(e, "     "))
	}
}

// WriteSummary prints the score report at the end of a session. After an exam — which
// showed no feedback — it goes through each question not answered right: what was given, the
// right answer and the explanation.
func WriteSummary(w io.Writer, s *quiz.Session, sum quiz.Summary) {
	verdict := "not passed"
	if sum.Passed {
		verdict = "passed"
	}
	if s.Mode == quiz.ModeReview { // a review is revision, not a test: no pass mark
		fmt.Fprintf(w, "\n%s: %d/%d points (%s).\n", orQuiz(sum.Title), sum.Score, sum.MaxScore, quiz.FormatPercent(sum.Percent))
	} else {
		fmt.Fprintf(w, "\n%s: %d/%d points (%s), %s (pass mark %d%%).\n", orQuiz(sum.Title), sum.Score, sum.MaxScore, quiz.FormatPercent(sum.Percent), verdict, sum.PassPercent)
	}
	fmt.Fprintf(w, "%d of %d answered, %d right. Time %s", sum.Answered, sum.Total, sum.Correct, quiz.FormatDuration(sum.TimeUsed))
	if sum.TimeLimit > 0 {
		fmt.Fprintf(w, " of %s", quiz.FormatDuration(sum.TimeLimit))
	}
	fmt.Fprintln(w, ".")
	var parts []string
	for _, d := range quiz.DifficultiesIn(sum.ByDifficulty) {
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
	byID := map[string]*quiz.Question{}
	for _, q := range s.Questions {
		byID[q.ID] = q
	}
	responses := map[*quiz.Question]quiz.Response{}
	for _, r := range s.Responses {
		responses[r.Question] = r
	}
	for i, o := range sum.Questions {
		if o.Status == quiz.StatusCorrect {
			continue
		}
		q := byID[o.ID]
		r := responses[q]
		given := "Not answered."
		switch o.Status {
		case quiz.StatusWrong:
			given = "You answered " + quiz.AnswerText(q, r.Answer) + "."
		case quiz.StatusSkipped:
			given = "Skipped."
		}
		fmt.Fprintf(w, "\n%d. %s\n   %s The answer: %s\n", i+1, indentRest(strings.TrimSpace(q.Prompt), "   "), given, quiz.RightAnswer(q, r.Shown))
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
