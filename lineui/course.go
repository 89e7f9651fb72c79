package lineui

import (
	"fmt"
	"io"
	"strings"

	"github.com/stagecraft/stagecraft/lessons"
	"github.com/stagecraft/stagecraft/progress"
	"github.com/stagecraft/stagecraft/sandbox"
)

// WriteCourse prints the course map and how to use the CLI, for when there is no terminal
// (`stagecraft | cat`, CI). sum may be empty (no store).
func WriteCourse(w io.Writer, c *lessons.Course, sum progress.Summary) {
	fmt.Fprintf(w, "%s\n", c.Title)
	if sum.Completion.Total > 0 {
		fmt.Fprintf(w, "Progress %d%% · lessons %d/%d read · exercises %d/%d passed · reviews due %d\n",
			sum.Completion.Percent(), sum.Read.Done, sum.Read.Total, sum.Exercises.Done, sum.Exercises.Total, sum.Due.Now)
	}
	for _, m := range c.Modules {
		fmt.Fprintf(w, "\n%s\n", m.Title)
		for _, l := range m.Lessons {
			ls, _ := sum.Lesson(l.ID)
			mark := " "
			if ls.Read {
				mark = "✓"
			}
			info := ""
			if ls.Quiz != nil && ls.Quiz.Best != nil {
				info = fmt.Sprintf("  quiz %s/%s", points(ls.Quiz.Best.Score), points(ls.Quiz.Best.MaxScore))
			}
			fmt.Fprintf(w, "  %s %-40s %s%s\n", mark, l.Title, l.ID, info)
			for _, e := range c.ExercisesForLesson(l.ID) {
				status := string(progress.NotStarted)
				for _, es := range ls.Exercises {
					if es.ID == e.ID {
						status = string(es.Status)
						if es.BestImage > 0 {
							status += ", smallest image " + sandbox.HumanBytes(es.BestImage)
						}
					}
				}
				fmt.Fprintf(w, "      exercise %-28s %s\n", e.ID, status)
			}
		}
	}
	fmt.Fprint(w, "\n"+strings.TrimLeft(`
stagecraft opens this course full screen when run in a terminal. Without one:
  stagecraft quiz                      take quizzes (--exam for a timed exam)
  stagecraft check --exercise ID -f Dockerfile   build and check a Dockerfile
  stagecraft progress                  your progress; --json for scripts
  stagecraft doctor                    is BuildKit ready for the exercises?
  stagecraft --help                    every command
`, "\n"))
}

// points writes whole points without decimals: 2, 1.5.
func points(p progress.Points) string {
	return strings.TrimSuffix(strings.TrimRight(strings.TrimRight(p.String(), "0"), "."), ".")
}
