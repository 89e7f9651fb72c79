package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	"github.com/stagecraft/stagecraft/progress"
	"github.com/stagecraft/stagecraft/sandbox"
)

// summaryJSON is the --json document.
type summaryJSON struct {
	Schema string `json:"schema"`
	DB     string `json:"db"`
	progress.Summary
}

func runProgress(ctx context.Context, o *progressOptions) error {
	outline, err := o.Outline()
	if err != nil {
		return err
	}
	st, err := o.Store(ctx)
	if err != nil {
		return err
	}
	sum, err := st.Summary(ctx, o.Learner(), outline, o.Now())
	if err != nil {
		return envErr(err)
	}
	if o.JSON {
		enc := json.NewEncoder(o.Out)
		enc.SetIndent("", "  ")
		return enc.Encode(summaryJSON{Schema: "stagecraft.progress.summary/v1", DB: st.Path(), Summary: sum})
	}
	writeSummary(o.Out, sum)
	return nil
}

func writeSummary(w io.Writer, s progress.Summary) {
	fmt.Fprintf(w, "Progress of %s\n", s.Learner)
	fmt.Fprintf(w, "Overall %d%% (%d of %d done): lessons %d/%d completed, %d/%d read; exercises %d/%d passed\n",
		s.Completion.Percent(), s.Completion.Done, s.Completion.Total, s.Lessons.Done, s.Lessons.Total,
		s.Read.Done, s.Read.Total, s.Exercises.Done, s.Exercises.Total)
	streak := "no streak yet"
	if s.Streak.Current > 0 {
		streak = fmt.Sprintf("streak %s", progressPlural(s.Streak.Current, "day"))
	}
	if s.Streak.Longest > s.Streak.Current {
		streak += fmt.Sprintf(" (longest %d)", s.Streak.Longest)
	}
	fmt.Fprintf(w, "%s; reviews due: %d now, %d today, %d tomorrow\n", capitalize(streak), s.Due.Now, s.Due.Today, s.Due.Tomorrow)

	for _, m := range s.Modules {
		fmt.Fprintf(w, "\n%s  (%d of %d done)\n", m.Title, m.Completion.Done, m.Completion.Total)
		tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
		for _, l := range m.Lessons {
			mark := "[ ]"
			switch {
			case l.Completed:
				mark = "[x]"
			case l.Read:
				mark = "[~]"
			}
			var cols []string
			if l.Read {
				cols = append(cols, "read")
			} else {
				cols = append(cols, "not read")
			}
			if q := l.Quiz; q != nil {
				switch {
				case q.Best != nil:
					cols = append(cols, fmt.Sprintf("quiz best %s, last %s", scoreText(*q.Best), scoreText(*q.Last)))
				default:
					cols = append(cols, "quiz not taken")
				}
				if q.Outdated > 0 {
					cols[len(cols)-1] += fmt.Sprintf(" (%s on an earlier version)", progressPlural(q.Outdated, "run"))
				}
				if l.Mastery.Seen > 0 {
					cols = append(cols, fmt.Sprintf("recall %.0f%% (%d of %d questions seen)", l.Mastery.Recall*100, l.Mastery.Seen, l.Mastery.Total))
				}
			}
			fmt.Fprintf(tw, "  %s %s\t%s\n", mark, l.Title, strings.Join(cols, "; "))
			for _, e := range l.Exercises {
				fmt.Fprintf(tw, "        %s\t%s\n", e.ID, exerciseText(e))
			}
		}
		tw.Flush()
	}
	if len(s.Untracked) > 0 {
		fmt.Fprintf(w, "\nProgress kept for ids no longer in the course: %s\n", strings.Join(s.Untracked, ", "))
	}
}

func exerciseText(e progress.ExerciseSummary) string {
	t := string(e.Status)
	if e.Attempts > 0 {
		t += fmt.Sprintf("; %s, best %s", progressPlural(e.Attempts, "attempt"), scoreText(*e.Best))
	}
	if e.BestImage > 0 {
		t += "; smallest image " + sandbox.HumanBytes(e.BestImage)
	}
	if e.Outdated > 0 {
		t += fmt.Sprintf(" (%s on an earlier version)", progressPlural(e.Outdated, "attempt"))
	}
	return t
}

func scoreText(s progress.Score) string { return s.Score.String() + "/" + s.MaxScore.String() }

func progressPlural(n int, word string) string {
	if n == 1 {
		return "1 " + word
	}
	return fmt.Sprintf("%d %ss", n, word)
}

func capitalize(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}
