package progress

import (
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/stagecraft/stagecraft/progress/srs"
)

// Limits on what an import may hold. They are far beyond anything stagecraft writes, so an
// honest export always passes; a value past them can only be a damaged or forged file, and
// stored as is it would skew schedules, scores and summaries for good.
const (
	maxIDBytes       = 256                     // names, uids, lesson/question/exercise ids, hashes
	maxGivenBytes    = 64 << 10                // an answer as given
	maxDockerfile    = 1 << 20                 // the sandbox refuses bigger Dockerfiles anyway
	maxReportBytes   = 4 << 20                 // a stored check report
	maxPoints        = Points(1_000_000 * 100) // a million points: no quiz or check comes near
	maxHints         = 1000
	maxDuration      = 7 * 24 * time.Hour // an answer or a build taking longer was not timed
	maxReps          = 1_000_000
	maxDays          = 1_000_000.0 // stability and intervals, in days (about 2,700 years)
	maxEase          = 100.0
	maxImageBytes    = 1 << 40 // 1 TiB
	maxImportProblem = 20      // problems listed before the rest are counted
	maxSubmissions   = 1_000_000
)

// Times must fit the store's Unix milliseconds and be plausible for a record of learning.
var (
	minTime = time.Date(1970, 1, 1, 0, 0, 0, 0, time.UTC)
	maxTime = time.Date(9999, 12, 31, 23, 59, 59, 0, time.UTC)
)

// importCheck collects the problems of an export, each under the JSON path of the value.
type importCheck struct {
	problems []string
	more     int
}

func (c *importCheck) add(path, format string, args ...any) {
	if len(c.problems) >= maxImportProblem {
		c.more++
		return
	}
	c.problems = append(c.problems, path+": "+fmt.Sprintf(format, args...))
}

func (c *importCheck) err() error {
	if len(c.problems) == 0 {
		return nil
	}
	msg := strings.Join(c.problems, "\n  ")
	if c.more > 0 {
		msg += fmt.Sprintf("\n  … and %d more", c.more)
	}
	if len(c.problems) > 1 {
		msg = fmt.Sprintf("%d problems:\n  %s", len(c.problems)+c.more, msg)
	}
	return errors.New(msg)
}

// id checks a name or identifier: required or not, short, valid UTF-8, no control characters
// (a NUL would cut the name short in C tools and terminals).
func (c *importCheck) id(path, v string, required bool) {
	switch {
	case v == "":
		if required {
			c.add(path, "missing")
		}
	case len(v) > maxIDBytes:
		c.add(path, "%d bytes; the limit is %d", len(v), maxIDBytes)
	case !utf8.ValidString(v):
		c.add(path, "%q is not valid UTF-8", v)
	case strings.IndexFunc(v, unicode.IsControl) >= 0:
		c.add(path, "%q holds a control character", v)
	case strings.TrimSpace(v) != v:
		c.add(path, "%q starts or ends with space", v)
	}
}

// text checks free text (an answer, a Dockerfile): valid UTF-8, no NUL, not too long.
func (c *importCheck) text(path, v string, limit int) {
	switch {
	case len(v) > limit:
		c.add(path, "%d bytes; the limit is %d", len(v), limit)
	case !utf8.ValidString(v):
		c.add(path, "not valid UTF-8")
	case strings.IndexByte(v, 0) >= 0:
		c.add(path, "holds a NUL character")
	}
}

// when checks a time; a zero time is a problem only if the time is required.
func (c *importCheck) when(path string, t time.Time, required bool) {
	if t.IsZero() {
		if required {
			c.add(path, "missing")
		}
		return
	}
	if t.Before(minTime) || t.After(maxTime) {
		c.add(path, "%s is out of range (%d to %d)", t.Format(time.RFC3339), minTime.Year(), maxTime.Year())
	}
}

// score checks a score and its maximum, both in [0, maxPoints], the score not above the maximum.
func (c *importCheck) score(path, scoreKey, maxKey string, score, max Points) {
	switch {
	case max < 0 || max > maxPoints:
		c.add(path+"."+maxKey, "%s is out of range (0 to %s)", max, maxPoints)
	case score < 0 || score > maxPoints:
		c.add(path+"."+scoreKey, "%s is out of range (0 to %s)", score, maxPoints)
	case score > max:
		c.add(path+"."+scoreKey, "%s is more than %s %s", score, maxKey, max)
	}
}

func (c *importCheck) intRange(path string, v, lo, hi int64) {
	if v < lo || v > hi {
		c.add(path, "%d is out of range (%d to %d)", v, lo, hi)
	}
}

func (c *importCheck) floatRange(path string, v, lo, hi float64) {
	if math.IsNaN(v) || v < lo || v > hi {
		c.add(path, "%s is out of range (%s to %s)", fmtFloat(v), fmtFloat(lo), fmtFloat(hi))
	}
}

func (c *importCheck) duration(path string, d time.Duration) {
	c.intRange(path, int64(d), 0, int64(maxDuration))
}

func (c *importCheck) report(path string, raw json.RawMessage) {
	switch {
	case len(raw) > maxReportBytes:
		c.add(path, "%d bytes; the limit is %d", len(raw), maxReportBytes)
	case len(raw) > 0 && !json.Valid(raw):
		c.add(path, "not valid JSON")
	}
}

func fmtFloat(v float64) string { return strconv.FormatFloat(v, 'g', -1, 64) }

// validateDump checks every field of an export before anything is written: one impossible value
// refuses the whole file, with the JSON path of each problem.
func validateDump(d *Dump) error {
	c := &importCheck{}
	if d.StoreVersion < 0 {
		c.add("store_version", "%d is negative", d.StoreVersion)
	}
	c.when("exported", d.Exported, false)
	for i, l := range d.Learners {
		validateLearner(c, fmt.Sprintf("learners[%d]", i), l)
	}
	for i, g := range d.GradingRuns {
		p := fmt.Sprintf("grading_runs[%d]", i)
		c.id(p+".uid", g.UID, true)
		c.id(p+".exercise", g.Exercise, true)
		c.id(p+".content_hash", g.ContentHash, false)
		c.when(p+".started", g.Started, true)
		c.when(p+".finished", g.Finished, false)
		if !g.Finished.IsZero() && g.Finished.Before(g.Started) {
			c.add(p+".finished", "%s is before started", g.Finished.Format(time.RFC3339))
		}
		c.report(p+".options", g.Options)
		switch g.Status {
		case "", RunRunning, RunComplete, RunInterrupted:
		default:
			c.add(p+".status", "%q is not a run status (%s, %s or %s)", g.Status, RunRunning, RunComplete, RunInterrupted)
		}
		c.intRange(p+".submissions", int64(g.Submissions), 0, maxSubmissions)
		for j, r := range g.Results {
			q := fmt.Sprintf("%s.results[%d]", p, j)
			c.id(q+".student", r.Student, true)
			c.score(q, "score", "max_score", r.Score, r.MaxScore)
			c.report(q+".report", r.Report)
			c.id(q+".dockerfile_hash", r.DockerfileHash, false)
			c.when(q+".at", r.At, true)
		}
	}
	return c.err()
}

func validateLearner(c *importCheck, p string, l LearnerDump) {
	c.id(p+".name", l.Name, true)
	c.when(p+".created", l.Created, false)
	for i, r := range l.Reads {
		q := fmt.Sprintf("%s.reads[%d]", p, i)
		c.id(q+".uid", r.UID, true)
		c.id(q+".lesson", r.Lesson, true)
		c.id(q+".content_hash", r.ContentHash, false)
		c.when(q+".at", r.At, true)
	}
	for i, r := range l.Completions {
		q := fmt.Sprintf("%s.completions[%d]", p, i)
		c.id(q+".lesson", r.Lesson, true)
		c.id(q+".content_hash", r.ContentHash, false)
		c.when(q+".at", r.At, true)
	}
	for i, r := range l.QuizRuns {
		q := fmt.Sprintf("%s.quiz_runs[%d]", p, i)
		c.id(q+".uid", r.UID, true)
		c.id(q+".quiz", r.Quiz, true)
		c.id(q+".content_hash", r.ContentHash, false)
		c.when(q+".started", r.Started, true)
		c.when(q+".finished", r.Finished, false)
		if !r.Finished.IsZero() && r.Finished.Before(r.Started) {
			c.add(q+".finished", "%s is before started", r.Finished.Format(time.RFC3339))
		}
		c.score(q, "score", "max_score", r.Score, r.MaxScore)
	}
	for i, a := range l.Answers {
		q := fmt.Sprintf("%s.answers[%d]", p, i)
		c.id(q+".uid", a.UID, true)
		c.id(q+".run", a.RunUID, false)
		c.id(q+".question", a.Question, true)
		c.id(q+".type", a.QuestionType, false)
		c.id(q+".content_hash", a.ContentHash, false)
		c.text(q+".given", a.Given, maxGivenBytes)
		c.score(q, "points", "max_points", a.Points, a.MaxPoints)
		c.intRange(q+".hints_used", int64(a.HintsUsed), 0, maxHints)
		c.duration(q+".took_ns", a.Took)
		if a.Rating != 0 && !a.Rating.Valid() {
			c.add(q+".rating", "%d is not a rating (1 again, 2 hard, 3 good, 4 easy; 0 to derive it)", int(a.Rating))
		}
		c.when(q+".at", a.At, true)
	}
	for i, k := range l.Cards {
		validateCard(c, fmt.Sprintf("%s.cards[%d]", p, i), k)
	}
	for i, a := range l.Attempts {
		q := fmt.Sprintf("%s.attempts[%d]", p, i)
		c.id(q+".uid", a.UID, true)
		c.id(q+".exercise", a.Exercise, true)
		c.id(q+".content_hash", a.ContentHash, false)
		c.text(q+".dockerfile", a.Dockerfile, maxDockerfile)
		c.score(q, "score", "max_score", a.Score, a.MaxScore)
		c.intRange(q+".image_size", a.ImageSize, 0, maxImageBytes)
		c.report(q+".report", a.Report)
		c.duration(q+".duration_ns", a.Duration)
		c.when(q+".at", a.At, true)
	}
}

// validateCard checks a review card. Its scheduler fields are written under their Go names
// (State, Stability, …), so the paths use those.
func validateCard(c *importCheck, q string, k ReviewCard) {
	c.id(q+".question", k.Question, true)
	c.id(q+".content_hash", k.ContentHash, false)
	c.id(q+".scheduler", k.Scheduler, false)
	if k.State < srs.New || k.State > srs.Relearning {
		c.add(q+".State", "%d is not a card state (0 new, 1 learning, 2 review, 3 relearning)", int(k.State))
	}
	c.when(q+".Due", k.Due, false)
	c.when(q+".LastReview", k.LastReview, false)
	c.intRange(q+".Reps", int64(k.Reps), 0, maxReps)
	c.intRange(q+".Lapses", int64(k.Lapses), 0, int64(max(k.Reps, 0)))
	c.floatRange(q+".Stability", k.Stability, 0, maxDays)
	if k.Difficulty != 0 {
		c.floatRange(q+".Difficulty", k.Difficulty, 1, 10)
	}
	if k.Ease != 0 {
		c.floatRange(q+".Ease", k.Ease, 1.3, maxEase) // SM-2 never goes below 1.3
	}
	c.floatRange(q+".Interval", k.Interval, 0, maxDays)
	c.intRange(q+".Streak", int64(k.Streak), 0, int64(max(k.Reps, 0)))
	c.when(q+".changed", k.Changed, false)
	c.when(q+".updated", k.Updated, false)
}
