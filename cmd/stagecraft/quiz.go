package main

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/spf13/cobra"

	"github.com/stagecraft/stagecraft/lessons"
	"github.com/stagecraft/stagecraft/lineui"
	"github.com/stagecraft/stagecraft/progress"
	"github.com/stagecraft/stagecraft/quiz"
	"github.com/stagecraft/stagecraft/quiz/yamlpos"
	"github.com/stagecraft/stagecraft/study"
	"github.com/stagecraft/stagecraft/tui"
)

// quizOptions are the flags and dependencies of `stagecraft quiz`.
type quizOptions struct {
	g *globalOptions

	Lessons, Modules, Tags, Difficulties []string
	Count                                int
	Shuffle                              bool
	Seed                                 uint64
	SeedSet                              bool
	Review, Exam                         bool
	Time                                 time.Duration
	Pass                                 int // -1: the quiz's pass_percent (one whole quiz), else 70
	Report                               string
	Plain                                bool

	Now func() time.Time
	// Interactive reports whether the terminal UI can run (stdin and stdout are terminals);
	// nil checks g.In and g.Out.
	Interactive func() bool
	// RunTUI runs the interactive question screen; nil is tui.RunQuiz.
	RunTUI func(context.Context, tui.QuizOptions) (quiz.Summary, error)
	// Ready, when set, is called once the first question is on the screen (plain mode);
	// benchmarks measure the time to it.
	Ready func()
	// CacheDir holds the question bank cache; "" is stagecraft's cache dir.
	CacheDir string
}

const (
	defaultExamCount   = 10
	defaultReviewCount = 20
	defaultExamTime    = 20 * time.Minute
)

func newQuizCmd(g *globalOptions) *cobra.Command {
	o := &quizOptions{g: g, Now: time.Now}
	cmd := &cobra.Command{
		Use:   "quiz",
		Short: "Practice, review or sit an exam on the course's questions (no BuildKit needed)",
		Long: `quiz runs the course's questions on their own: to test yourself, revise before an interview
or run a class quiz. Choose questions with --lesson, --module, --tag and --difficulty (each
repeatable or comma-separated); --count N takes N of them, --shuffle mixes them. The options
of each question and the items to order are shown in a new order each run, unless the author
pinned it (shuffle: false); --seed N replays the same orders. Every answer is saved in the
progress store (--db, --learner), naming the options as the course file lists them (A is the
first option written), whatever letters they were shown with.

Modes:
  (default)  practice: the result, feedback and explanation after each answer; hints allowed.
  --review   the questions the spaced-repetition schedule says are due, most overdue first,
             then questions never answered (default --count 20); shows how many are due
             today and tomorrow.
  --exam     --count questions (default 10) drawn across difficulties and run easy to hard,
             a time limit (--time, default 20m; 0 for none) shown as a countdown, no hints and
             no feedback until the end; then a score report by difficulty and tag against the
             pass mark (--pass, default 70). --report FILE.json or FILE.md writes it.
             Exit status 1 when the exam is not passed.

Plain mode (--plain, or whenever stdin or stdout is not a terminal): questions are printed
numbered on stdout and answered one line at a time on stdin, for screen readers, scripts and
tests. What to type:
  single      a letter or the option's number, as shown: B  or  2
  multiple    the letters or numbers of every right option: A, C  or  1 3  or  AC
  true_false  t, f, true, false, yes or no
  short       the text
  order       the shown item numbers in the right order: 3 1 2 4
  spot_line   a line number of the code: 5
A line that is just h asks for the next hint (not in an exam), ? shows the question again,
s skips it, q quits (the answers given so far are kept); type \q to answer "q" itself.
An answer that does not fit says what is expected and asks again. If the input ends before
the quiz does, the answers given are kept and the exit status is 2.

Export and import for an LMS: see "stagecraft quiz export --help" and "quiz import --help".`,
		Example: `  stagecraft quiz --lesson stages-and-copy-from
  stagecraft quiz --review
  stagecraft quiz --exam --count 15 --time 20m --pass 70 --report exam.md
  printf 'a\nt\nq\n' | stagecraft quiz --plain --tag layers --count 2`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			o.SeedSet = cmd.Flags().Changed("seed")
			if !cmd.Flags().Changed("pass") {
				o.Pass = -1
			}
			if !cmd.Flags().Changed("time") && o.Exam {
				o.Time = defaultExamTime
			}
			return runQuiz(cmd.Context(), o)
		},
	}
	f := cmd.Flags()
	f.StringSliceVar(&o.Lessons, "lesson", nil, "only questions of this lesson (repeatable)")
	f.StringSliceVar(&o.Modules, "module", nil, "only questions of this module (repeatable)")
	f.StringSliceVar(&o.Tags, "tag", nil, "only questions with this tag (repeatable)")
	f.StringSliceVar(&o.Difficulties, "difficulty", nil, "only easy, medium or hard questions (repeatable)")
	f.IntVar(&o.Count, "count", 0, "at most N questions (exam default 10, review default 20, practice: all)")
	f.BoolVar(&o.Shuffle, "shuffle", false, "mix the order of the questions")
	f.Uint64Var(&o.Seed, "seed", 0, "the seed for --shuffle, the exam draw and the order options and items are shown in (default: from the clock)")
	f.BoolVar(&o.Review, "review", false, "spaced-repetition review: due questions first, then new ones")
	f.BoolVar(&o.Exam, "exam", false, "an exam: drawn across difficulties, timed, feedback only at the end")
	f.DurationVar(&o.Time, "time", 0, "time limit, e.g. 20m (exam default 20m; 0: none)")
	f.IntVar(&o.Pass, "pass", quiz.DefaultPassPercent, "pass mark in percent (unset: the quiz's own pass_percent when one lesson's whole quiz is asked)")
	f.StringVar(&o.Report, "report", "", "write the score report to FILE.json or FILE.md")
	f.BoolVar(&o.Plain, "plain", false, "no terminal UI: questions on stdout, answers line by line on stdin")
	cmd.AddCommand(newQuizExportCmd(g), newQuizImportCmd(g))
	return cmd
}

// quizPlan is what a run will ask, decided before anything is shown.
type quizPlan struct {
	title     string
	mode      quiz.Mode
	quizID    string // what the progress store files the run under
	lesson    string // the lesson whose whole quiz this is: passing it completes the lesson
	questions []*quiz.Question
	selected  []*quiz.Question // what the filters chose, before the mode picked from it
	pass      int
	seed      uint64
	filter    string // the filter flags, as typed, for messages
	synced    bool   // SyncQuestions already ran
	due       progress.DueCounts
	dueInRun  int // review: how many of the questions are due ones
}

func runQuiz(ctx context.Context, o *quizOptions) error {
	if err := o.validate(); err != nil {
		return err
	}
	now := o.Now()
	// Open the store while the questions load: both are on the way to the first question.
	type opened struct {
		st  *progress.Store
		err error
	}
	storeCh := make(chan opened, 1)
	go func() {
		st, err := openProgress(ctx, o.g)
		storeCh <- opened{st, err}
	}()
	bank, err := loadBank(o.g, o.CacheDir)
	s := <-storeCh
	if s.err == nil {
		defer s.st.Close()
	}
	if err != nil {
		return err
	}
	if s.err != nil {
		return s.err
	}
	st := s.st
	selected, filter, err := selectQuestions(bank, o.Lessons, o.Modules, o.Tags, o.Difficulties)
	if err != nil {
		return err
	}
	learner := learnerName(o.g)
	synced := false
	if o.Review { // the schedule must know of changed questions before it says what is due
		if _, err := st.SyncQuestions(ctx, bankHashes(bank), now); err != nil {
			return envErr(err)
		}
		synced = true
	}
	plan, err := o.plan(ctx, bank, st, learner, selected, filter, now)
	if err != nil {
		return err
	}
	plan.synced = synced
	if len(plan.questions) == 0 { // review with nothing due and nothing new
		fmt.Fprintf(o.g.Out, "Nothing to review%s: every question has been answered and none is due now. Due later today: %d; tomorrow: %d.\n",
			plan.filter, plan.due.Today-plan.due.Now, plan.due.Tomorrow)
		return nil
	}
	plain := o.Plain || !o.interactive()
	if !plain {
		return o.runTUI(ctx, bank, st, learner, plan)
	}
	return o.runPlain(ctx, st, learner, bank, plan, now)
}

// loadBank reads the course's questions: from the bank cache when the course's lessons and
// quizzes are unchanged since it was written, else by loading (and checking) the whole course
// and writing the cache. A cache that cannot be read or written is only slower.
func loadBank(g *globalOptions, dir string) (*quiz.Bank, error) {
	fsys, _, err := courseFS(g.Course)
	if err != nil {
		return nil, err
	}
	key, keyErr := bankKey(fsys)
	if dir == "" {
		dir, _ = cacheDir()
	}
	file := ""
	if keyErr == nil && dir != "" {
		file = filepath.Join(dir, "quiz-bank", key+".json")
		if data, err := os.ReadFile(file); err == nil {
			if b, err := quiz.UnmarshalBank(data); err == nil {
				return b, nil
			}
		}
	}
	course, err := loadCourse(g)
	if err != nil {
		return nil, err
	}
	b := bankOf(course)
	if file != "" {
		if data, err := json.Marshal(b); err == nil {
			writeFileAtomic(file, data)
		}
	}
	return b, nil
}

// bankKey is a hash of what the questions are made of: course.yaml, the lessons and the quizzes
// (and the bank format, and this binary's version).
func bankKey(fsys fs.FS) (string, error) {
	h := sha256.New()
	fmt.Fprintf(h, "%s\x00%s\x00", quiz.BankSchema, version)
	add := func(name string) error {
		data, err := fs.ReadFile(fsys, name)
		if err != nil {
			return err
		}
		fmt.Fprintf(h, "%s\x00%d\x00", name, len(data))
		h.Write(data)
		return nil
	}
	if err := add("course.yaml"); err != nil {
		return "", err
	}
	for _, dir := range []string{"lessons", "quizzes"} {
		entries, err := fs.ReadDir(fsys, dir)
		if err != nil && !errors.Is(err, fs.ErrNotExist) {
			return "", err
		}
		for _, e := range entries {
			if !e.IsDir() {
				if err := add(path.Join(dir, e.Name())); err != nil {
					return "", err
				}
			}
		}
	}
	return hex.EncodeToString(h.Sum(nil))[:32], nil
}

func writeFileAtomic(file string, data []byte) error {
	if err := os.MkdirAll(filepath.Dir(file), 0o755); err != nil {
		return err
	}
	tmp, err := os.CreateTemp(filepath.Dir(file), ".bank-*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), file)
}

// bankOf indexes a loaded course's questions for quiz mode, quizzes in course order.
func bankOf(c *lessons.Course) *quiz.Bank {
	var modules []quiz.BankModule
	for _, m := range c.Modules {
		modules = append(modules, quiz.BankModule{ID: m.ID, Title: m.Title})
	}
	var ls []quiz.BankLesson
	var quizzes []*quiz.Quiz
	done := map[*quiz.Quiz]bool{}
	for _, l := range c.Lessons {
		ls = append(ls, quiz.BankLesson{ID: l.ID, Title: l.Title, Module: l.Module})
		if qz := c.QuizForLesson(l.ID); qz != nil && !done[qz] {
			quizzes, done[qz] = append(quizzes, qz), true
		}
	}
	for _, qz := range c.Quizzes {
		if !done[qz] {
			quizzes = append(quizzes, qz)
		}
	}
	return quiz.NewBank(modules, ls, quizzes)
}

func (o *quizOptions) validate() error {
	if o.Review && o.Exam {
		return usageErr("--review and --exam are different modes: choose one")
	}
	if o.Count < 0 {
		return usageErr("--count %d: give a number of questions, 1 or more (0 for the default)", o.Count)
	}
	if o.Time < 0 {
		return usageErr("--time %s: give a duration like 20m, or 0 for no limit", o.Time)
	}
	if o.Pass != -1 && (o.Pass < 0 || o.Pass > 100) {
		return usageErr("--pass %d: the pass mark is a percentage, 0 to 100", o.Pass)
	}
	for _, d := range o.Difficulties {
		if quiz.Difficulty(d).Rank() < 0 {
			return usageErr("--difficulty %q: use easy, medium or hard%s", d, didYouMean(d, []string{"easy", "medium", "hard"}))
		}
	}
	if o.Report != "" {
		switch strings.ToLower(filepath.Ext(o.Report)) {
		case ".json", ".md", ".markdown":
		default:
			return usageErr("--report %s: name a .json or .md file (the format follows the extension)", o.Report)
		}
		if dir := filepath.Dir(o.Report); dir != "" {
			if st, err := os.Stat(dir); err != nil || !st.IsDir() {
				return usageErr("--report %s: the folder %s does not exist", o.Report, dir)
			}
		}
	}
	return nil
}

func (o *quizOptions) interactive() bool {
	if o.Interactive != nil {
		return o.Interactive()
	}
	return isTTY(o.g.Out) && isTTY(o.g.In)
}

// selectQuestions applies the filter flags. An unknown lesson, module or tag is an error with
// the closest name; a filter that selects nothing says which filter.
func selectQuestions(b *quiz.Bank, lessonIDs, moduleIDs, tags, difficulties []string) ([]*quiz.Question, string, error) {
	all := b.Questions()
	f := quiz.Filter{Lessons: lessonIDs, Modules: moduleIDs, Tags: tags}
	for _, d := range difficulties {
		f.Difficulties = append(f.Difficulties, quiz.Difficulty(d))
	}
	var lessonIDsAll, moduleIDsAll []string
	for _, l := range b.Lessons {
		lessonIDsAll = append(lessonIDsAll, l.ID)
	}
	for _, m := range b.Modules {
		moduleIDsAll = append(moduleIDsAll, m.ID)
	}
	tagsAll := b.Tags()
	for _, id := range lessonIDs {
		if b.Lesson(id) == nil {
			hint := didYouMean(id, lessonIDsAll)
			if hint == "" {
				hint = "; the lessons are " + strings.Join(lessonIDsAll, ", ")
			}
			return nil, "", usageErr("--lesson %s: no such lesson%s", id, hint)
		}
	}
	for _, id := range moduleIDs {
		if !b.HasModule(id) {
			return nil, "", usageErr("--module %s: no such module%s; the modules are %s", id, didYouMean(id, moduleIDsAll), strings.Join(moduleIDsAll, ", "))
		}
	}
	for _, t := range tags {
		if !slices.Contains(tagsAll, t) {
			return nil, "", usageErr("--tag %s: no question has this tag%s", t, didYouMean(t, tagsAll))
		}
	}
	var desc []string
	for _, l := range lessonIDs {
		desc = append(desc, "--lesson "+l)
	}
	for _, m := range moduleIDs {
		desc = append(desc, "--module "+m)
	}
	for _, t := range tags {
		desc = append(desc, "--tag "+t)
	}
	for _, d := range difficulties {
		desc = append(desc, "--difficulty "+d)
	}
	filter := strings.Join(desc, " ")
	qs := quiz.Select(all, f)
	if len(qs) == 0 {
		// Say which filter emptied the choice: the questions the others leave, by difficulty.
		without := f
		without.Difficulties = nil
		rest := quiz.Select(all, without)
		if len(rest) > 0 && len(f.Difficulties) > 0 {
			return nil, filter, usageErr("no question matches %s: without --difficulty there are %s", filter, difficultyCounts(rest))
		}
		if len(all) == 0 {
			return nil, filter, usageErr("the course has no questions")
		}
		return nil, filter, usageErr("no question matches %s: each filter narrows the choice (a question must match all of them)", filter)
	}
	return qs, filter, nil
}

func difficultyCounts(qs []*quiz.Question) string {
	n := map[quiz.Difficulty]int{}
	for _, q := range qs {
		n[q.Difficulty]++
	}
	var parts []string
	for _, d := range quiz.Difficulties() {
		if n[d] > 0 {
			parts = append(parts, fmt.Sprintf("%d %s", n[d], d))
		}
	}
	return strings.Join(parts, ", ")
}

// didYouMean suggests the candidate within two edits of s, else those that contain s (or that
// s contains), at most three.
func didYouMean(s string, candidates []string) string {
	if c := yamlpos.Closest(s, candidates); c != "" {
		return fmt.Sprintf(" (did you mean %s?)", c)
	}
	var near []string
	for _, c := range candidates {
		if len(s) >= 3 && (strings.Contains(c, s) || strings.Contains(s, c)) && len(near) < 3 {
			near = append(near, c)
		}
	}
	if len(near) > 0 {
		return fmt.Sprintf(" (did you mean %s?)", strings.Join(near, " or "))
	}
	return ""
}

// bankHashes are the content hashes of every question, for SyncQuestions.
func bankHashes(b *quiz.Bank) map[string]string {
	h := map[string]string{}
	for _, q := range b.Questions() {
		h[q.ID] = q.ContentHash()
	}
	return h
}

// plan decides the mode, order, title and pass mark.
func (o *quizOptions) plan(ctx context.Context, b *quiz.Bank, st *progress.Store, learner string, selected []*quiz.Question, filter string, now time.Time) (*quizPlan, error) {
	p := &quizPlan{mode: quiz.ModePractice, pass: quiz.DefaultPassPercent, seed: o.Seed, filter: filter, selected: selected}
	if filter != "" {
		p.filter = " (" + filter + ")"
	}
	if !o.SeedSet {
		p.seed = uint64(now.UnixNano())
	}
	wholeQuiz := wholeQuiz(b, selected)
	if wholeQuiz != nil && o.Pass == -1 {
		p.pass = wholeQuiz.PassPercent
	}
	if o.Pass != -1 {
		p.pass = o.Pass
	}
	switch {
	case o.Exam:
		p.mode, p.title, p.quizID = quiz.ModeExam, "Exam", "session:exam"
		n := o.Count
		if n == 0 {
			n = defaultExamCount
		}
		p.questions = quiz.Draw(selected, n, p.seed)
	case o.Review:
		p.mode, p.title, p.quizID = quiz.ModeReview, "Review", "session:review"
		due, err := dueCountsFor(ctx, st, learner, selected, now)
		if err != nil {
			return nil, envErr(err)
		}
		p.due = due
		n := o.Count
		if n == 0 {
			n = defaultReviewCount
		}
		p.questions, p.dueInRun, err = reviewOrder(ctx, st, learner, selected, now, n, o.Shuffle, p.seed)
		if err != nil {
			return nil, envErr(err)
		}
	default:
		p.title, p.quizID = "Practice", "session:practice"
		qs := selected
		if o.Shuffle {
			qs = quiz.Shuffle(qs, p.seed)
		}
		if o.Count > 0 && o.Count < len(qs) {
			qs = qs[:o.Count]
		}
		p.questions = qs
		if wholeQuiz != nil && !o.Shuffle && len(qs) == len(wholeQuiz.Questions) {
			// The lesson's whole quiz, as the course runs it: the run counts as that quiz's.
			p.title, p.quizID, p.lesson = wholeQuiz.Title, wholeQuiz.ID, wholeQuiz.Lesson
		}
	}
	return p, nil
}

// wholeQuiz is the quiz whose questions are exactly the selection, or nil.
func wholeQuiz(b *quiz.Bank, selected []*quiz.Question) *quiz.Quiz {
	if len(selected) == 0 {
		return nil
	}
	qz := b.Quiz(selected[0].Quiz)
	if qz == nil || len(qz.Questions) != len(selected) {
		return nil
	}
	for i, q := range qz.Questions {
		if selected[i] != q {
			return nil
		}
	}
	return qz
}

// reviewOrder puts the due questions first (most overdue first, as the store orders them), then
// questions never answered (course order, or shuffled), at most n. Questions answered and not
// yet due are left for their day. It returns how many due ones it took.
func reviewOrder(ctx context.Context, st *progress.Store, learner string, selected []*quiz.Question, now time.Time, n int, shuffle bool, seed uint64) ([]*quiz.Question, int, error) {
	byID := make(map[string]*quiz.Question, len(selected))
	for _, q := range selected {
		byID[q.ID] = q
	}
	cards, err := st.Cards(ctx, learner)
	if err != nil {
		return nil, 0, err
	}
	hasCard := map[string]bool{}
	for _, c := range cards {
		hasCard[c.Question] = true
	}
	due, err := st.DueCards(ctx, learner, now, 0)
	if err != nil {
		return nil, 0, err
	}
	var out []*quiz.Question
	for _, c := range due {
		if q := byID[c.Question]; q != nil && len(out) < n {
			out = append(out, q)
		}
	}
	dueTaken := len(out)
	var fresh []*quiz.Question
	for _, q := range selected {
		if !hasCard[q.ID] {
			fresh = append(fresh, q)
		}
	}
	if shuffle {
		fresh = quiz.Shuffle(fresh, seed)
	}
	for _, q := range fresh {
		if len(out) < n {
			out = append(out, q)
		}
	}
	return out, dueTaken, nil
}

// dueCountsFor counts the reviews waiting among the selected questions, as DueCounts does for
// all of a learner's cards: due now, due before the end of today, due tomorrow (now's zone).
func dueCountsFor(ctx context.Context, st *progress.Store, learner string, selected []*quiz.Question, now time.Time) (progress.DueCounts, error) {
	cards, err := st.Cards(ctx, learner)
	if err != nil {
		return progress.DueCounts{}, err
	}
	in := make(map[string]bool, len(selected))
	for _, q := range selected {
		in[q.ID] = true
	}
	y, m, d := now.Date()
	endToday := time.Date(y, m, d+1, 0, 0, 0, 0, now.Location())
	endTomorrow := time.Date(y, m, d+2, 0, 0, 0, 0, now.Location())
	var c progress.DueCounts
	for _, card := range cards {
		if !in[card.Question] {
			continue
		}
		switch due := card.Due; {
		case !due.After(now):
			c.Now++
			c.Today++
		case due.Before(endToday):
			c.Today++
		case due.Before(endTomorrow):
			c.Tomorrow++
		}
	}
	return c, nil
}

func (p *quizPlan) session(now time.Time, timeLimit time.Duration) *quiz.Session {
	return quiz.NewSession(p.title, p.mode, p.questions, quiz.WithStart(now), quiz.WithPassPercent(p.pass),
		quiz.WithSeed(p.seed), quiz.WithTimeLimit(timeLimit))
}

// intro is what plain mode prints before the first question.
func (p *quizPlan) intro(w io.Writer, timeLimit time.Duration) {
	n := len(p.questions)
	qs := countOf(n, "question", "questions")
	switch p.mode {
	case quiz.ModeExam:
		limit := "no time limit"
		if timeLimit > 0 {
			limit = quiz.FormatDuration(timeLimit) + " to answer"
		}
		fmt.Fprintf(w, "Exam%s: %s drawn across difficulties (--seed %d draws them and their option order again), %s, pass mark %d%%.\n", p.filter, qs, p.seed, limit, p.pass)
		fmt.Fprintln(w, "No hints and no feedback until the end. Type each answer and press Enter; ? repeats the question, s skips it, q quits.")
	case quiz.ModeReview:
		fmt.Fprintf(w, "Review%s: %d due now, %d due today, %d due tomorrow.\n", p.filter, p.due.Now, p.due.Today, p.due.Tomorrow)
		fmt.Fprintf(w, "This session: %s, %d due and %d new. Feedback after each answer; h asks for a hint, ? repeats, s skips, q quits.\n", qs, p.dueInRun, n-p.dueInRun)
	default:
		fmt.Fprintf(w, "%s%s: %s, pass mark %d%%. Feedback after each answer; h asks for a hint, ? repeats, s skips, q quits.\n", p.title, p.filter, qs, p.pass)
	}
	if p.mode != quiz.ModeExam {
		fmt.Fprintf(w, "Options are shown in a new order each run; --seed %d shows this order again.\n", p.seed)
	}
}

func (o *quizOptions) runPlain(ctx context.Context, st *progress.Store, learner string, b *quiz.Bank, p *quizPlan, now time.Time) error {
	// The run is started in the store once the first question is on the screen, not before:
	// writing (and syncing) the file is not on the way to the first question. Saving an answer
	// waits for it.
	var (
		once     sync.Once
		runUID   string
		startErr error
	)
	bg := context.WithoutCancel(ctx)
	start := func() error {
		once.Do(func() {
			if !p.synced {
				if _, err := st.SyncQuestions(bg, bankHashes(b), now); err != nil {
					startErr = err
					return
				}
			}
			runUID, startErr = st.StartQuizRun(bg, learner, progress.QuizRun{Quiz: p.quizID, Started: now})
		})
		return startErr
	}
	s := p.session(now, o.Time)
	p.intro(o.g.Out, o.Time)
	prompts := 0
	runErr := lineui.RunQuiz(ctx, s, lineui.QuizOptions{In: o.g.In, Out: o.g.Out, Now: o.Now, Echo: !isTTY(o.g.In),
		OnPrompt: func() {
			prompts++
			if prompts == 1 {
				if o.Ready != nil {
					o.Ready()
				}
				go start()
			}
		},
		Record: func(r quiz.Response) error {
			if err := start(); err != nil {
				return err
			}
			_, err := st.RecordAnswer(ctx, learner, study.AnswerOf(r, runUID))
			return err
		}})
	end := o.Now()
	s.Finish(end)
	sum := quiz.Summarize(s, end)
	// Only a quiz that ran to its end gets a score (study.RanToEnd); one quit early keeps its
	// answers, saved as they were given, and its run stays unfinished.
	var finishErr error
	if study.RanToEnd(s, sum) {
		if finishErr = start(); finishErr == nil {
			finishErr = study.FinishQuizRun(bg, st, learner, runUID, p.lesson, sum, end)
		}
	}
	lineui.WriteSummary(o.g.Out, s, sum)
	if p.mode == quiz.ModeReview {
		if due, err := dueCountsFor(bg, st, learner, p.selected, end); err == nil {
			fmt.Fprintf(o.g.Out, "Reviews now due: %d; later today: %d; tomorrow: %d.\n", due.Now, due.Today-due.Now, due.Tomorrow)
		}
	}
	return o.finish(sum, p, errors.Join(runErr, finishErr))
}

// finish writes the report and turns the outcome into an exit status.
func (o *quizOptions) finish(sum quiz.Summary, p *quizPlan, runErr error) error {
	if o.Report != "" {
		if err := writeQuizReport(o.Report, sum); err != nil {
			return envErr(fmt.Errorf("writing the report: %w", err))
		}
		fmt.Fprintf(o.g.Out, "Report written to %s.\n", o.Report)
	}
	switch {
	case errors.Is(runErr, lineui.ErrInputEnded):
		saved := "no answer was given"
		if sum.Answered > 0 {
			saved = "the " + countOf(sum.Answered, "answer", "answers") + " given are saved"
			if sum.Answered == 1 {
				saved = "the 1 answer given is saved"
			}
		}
		return usageErr("%v: %s; give one answer per line (q quits)", runErr, saved)
	case errors.Is(runErr, context.Canceled):
		return nil // ctrl-c: like q, the answers are kept
	case runErr != nil:
		return envErr(runErr)
	case p.mode == quiz.ModeExam && !sum.Passed:
		return failed()
	}
	return nil
}

func writeQuizReport(path string, sum quiz.Summary) error {
	var data []byte
	switch strings.ToLower(filepath.Ext(path)) {
	case ".json":
		b, err := json.MarshalIndent(sum, "", "  ")
		if err != nil {
			return err
		}
		data = append(b, '\n')
	default:
		data = []byte(sum.Markdown(""))
	}
	return os.WriteFile(path, data, 0o644)
}

func (o *quizOptions) runTUI(ctx context.Context, b *quiz.Bank, st *progress.Store, learner string, p *quizPlan) error {
	run := o.RunTUI
	if run == nil {
		run = tui.RunQuiz
	}
	if !p.synced {
		if _, err := st.SyncQuestions(ctx, bankHashes(b), o.Now()); err != nil {
			return envErr(err)
		}
	}
	// The screen names the lesson of each missed question when it has the course; a course
	// that does not load in full (an exercise broken, say) still runs its quiz.
	c, _ := loadCourse(o.g)
	sum, err := run(ctx, tui.QuizOptions{
		Title: p.title, Questions: p.questions, Mode: p.mode, TimeLimit: o.Time, PassPercent: p.pass,
		Store: st, Learner: learner, QuizID: p.quizID, LessonID: p.lesson, Course: c, Seed: p.seed, SeedSet: true,
		NoColor: os.Getenv("NO_COLOR") != "", Dark: true, In: o.g.In, Out: o.g.Out,
	})
	if err != nil {
		return envErr(fmt.Errorf("running the quiz screen: %w", err))
	}
	verdict := "not passed"
	if sum.Passed {
		verdict = "passed"
	}
	fmt.Fprintf(o.g.Out, "%s: %d/%d points, %s (pass mark %d%%); %d of %d answered.\n", p.title, sum.Score, sum.MaxScore, verdict, sum.PassPercent, sum.Answered, sum.Total)
	if p.mode == quiz.ModeReview {
		if due, err := dueCountsFor(ctx, st, learner, p.selected, o.Now()); err == nil {
			fmt.Fprintf(o.g.Out, "Reviews now due: %d; later today: %d; tomorrow: %d.\n", due.Now, due.Today-due.Now, due.Tomorrow)
		}
	}
	return o.finish(sum, p, nil)
}

// --- export and import ---

type quizExportOptions struct {
	g                                    *globalOptions
	Format, Out, Category                string
	Lessons, Modules, Tags, Difficulties []string
}

func newQuizExportCmd(g *globalOptions) *cobra.Command {
	o := &quizExportOptions{g: g}
	cmd := &cobra.Command{
		Use:   "export",
		Short: "Write the course's questions as Moodle GIFT or JSON, for an LMS",
		Long: `export writes questions (all of them, or those chosen with --lesson, --module, --tag and
--difficulty) to stdout or --out FILE.

--format gift is Moodle's GIFT text format. GIFT has fewer question types than stagecraft:
  single     -> multiple choice with one right answer
  multiple   -> multiple choice with several right answers (Moodle gives partial credit;
                stagecraft scores all-or-nothing)
  true_false -> true/false
  short      -> short answer with the accepted answers; a regular-expression pattern cannot
                be written in GIFT and is dropped (a question with only a pattern is skipped)
  order      -> a matching question "Step 1 -> first item", "Step 2 -> …" (Moodle needs
                three pairs or more: two-item orders are skipped)
  spot_line  -> multiple choice over the code's lines ("Line 3: FROM golang:1.22")
Hints, points, difficulty and tags have no GIFT form; a "// stagecraft:" comment before each
question keeps them, so "stagecraft quiz import" restores the question. The explanation
becomes the general feedback. Each quiz is a $CATEGORY (--category PARENT/quiz-id).
Skipped questions are listed on stderr and as comments in the file.

--format json writes every field of each question (schema stagecraft.quiz.export/v1).`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error { return runQuizExport(o) },
	}
	f := cmd.Flags()
	f.StringVar(&o.Format, "format", "gift", "gift or json")
	f.StringVar(&o.Out, "out", "", "write to FILE instead of stdout")
	f.StringVar(&o.Category, "category", "stagecraft", "GIFT: the parent $CATEGORY of each quiz's questions")
	f.StringSliceVar(&o.Lessons, "lesson", nil, "only questions of this lesson (repeatable)")
	f.StringSliceVar(&o.Modules, "module", nil, "only questions of this module (repeatable)")
	f.StringSliceVar(&o.Tags, "tag", nil, "only questions with this tag (repeatable)")
	f.StringSliceVar(&o.Difficulties, "difficulty", nil, "only easy, medium or hard questions (repeatable)")
	return cmd
}

func runQuizExport(o *quizExportOptions) error {
	if o.Format != "gift" && o.Format != "json" {
		return usageErr("--format %q: use gift or json", o.Format)
	}
	for _, d := range o.Difficulties {
		if quiz.Difficulty(d).Rank() < 0 {
			return usageErr("--difficulty %q: use easy, medium or hard%s", d, didYouMean(d, []string{"easy", "medium", "hard"}))
		}
	}
	course, err := loadCourse(o.g)
	if err != nil {
		return err
	}
	qs, _, err := selectQuestions(bankOf(course), o.Lessons, o.Modules, o.Tags, o.Difficulties)
	if err != nil {
		return err
	}
	return writeOut(o.g.Out, o.Out, func(w io.Writer) error {
		if o.Format == "json" {
			return quiz.ExportJSON(w, qs)
		}
		skipped, err := quiz.ExportGIFT(w, qs, o.Category)
		for _, s := range skipped {
			fmt.Fprintf(o.g.Err, "stagecraft: skipped %s: %s\n", s.ID, s.Reason)
		}
		return err
	})
}

// writeOut writes to stdout, or to the file path when given (whole, or not at all).
func writeOut(stdout io.Writer, path string, write func(io.Writer) error) error {
	if path == "" {
		return write(stdout)
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*")
	if err != nil {
		return usageErr("--out %s: %v", path, err)
	}
	defer os.Remove(tmp.Name())
	if err := write(tmp); err != nil {
		tmp.Close()
		return envErr(err)
	}
	if err := tmp.Close(); err != nil {
		return envErr(err)
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return envErr(err)
	}
	return nil
}

type quizImportOptions struct {
	g                             *globalOptions
	Out, ID, Title, Lesson, Diffy string
}

func newQuizImportCmd(g *globalOptions) *cobra.Command {
	o := &quizImportOptions{g: g}
	cmd := &cobra.Command{
		Use:   "import FILE.gift",
		Short: "Read a Moodle GIFT file into a quiz file of the course format",
		Long: `import reads Moodle GIFT questions and writes them as one quiz in the course format
(docs/course-format.md), to stdout or --out FILE, for a course author to edit and add to
quizzes/. Multiple choice becomes single (one right answer) or multiple (several),
true/false true_false, short answer short, and a matching question exported from an order
question order. Numerical, essay and other matching questions have no stagecraft type: they
are errors. Partial credit is dropped (stagecraft scores all-or-nothing) with a warning.
A "// stagecraft:" comment written by "quiz export" restores id, difficulty, points, tags,
hints, pattern, code and spot_line questions. Questions without one get --difficulty.

Every error is printed as FILE:line:col: message and nothing is written (exit status 2).`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error { return runQuizImport(o, args[0]) },
	}
	f := cmd.Flags()
	f.StringVar(&o.Out, "out", "", "write the quiz to FILE instead of stdout")
	f.StringVar(&o.ID, "id", "", "the quiz id (default: from the file name)")
	f.StringVar(&o.Title, "title", "", "the quiz title (default: the GIFT category or the file name)")
	f.StringVar(&o.Lesson, "lesson", "", "the lesson the quiz belongs to (default: the quiz id)")
	f.StringVar(&o.Diffy, "difficulty", "medium", "difficulty of questions that do not say (easy, medium, hard)")
	return cmd
}

func runQuizImport(o *quizImportOptions, file string) error {
	d := quiz.Difficulty(o.Diffy)
	if d.Rank() < 0 {
		return usageErr("--difficulty %q: use easy, medium or hard%s", o.Diffy, didYouMean(o.Diffy, []string{"easy", "medium", "hard"}))
	}
	data, err := os.ReadFile(file)
	if err != nil {
		return usageErr("reading %s: %v", file, err)
	}
	base := strings.TrimSuffix(filepath.Base(file), filepath.Ext(file))
	id := o.ID
	if id == "" {
		id = slugID(base)
	}
	if !quiz.ValidID(id) {
		return usageErr("--id %q: ids are lower-case letters and digits separated by dashes (like stages-quiz)", id)
	}
	imp, err := quiz.ReadGIFT(file, data, quiz.GIFTOptions{Difficulty: d, IDPrefix: id})
	if err != nil {
		return usageErr("%s cannot be imported:\n%v", file, err)
	}
	for _, w := range imp.Warnings {
		fmt.Fprintf(o.g.Err, "stagecraft: warning: %v\n", w)
	}
	if len(imp.Questions) == 0 {
		return usageErr("%s has no questions", file)
	}
	title := o.Title
	if title == "" {
		title = base
		if c := imp.Category; c != "" {
			title = c[strings.LastIndex(c, "/")+1:]
		}
	}
	lesson := o.Lesson
	if lesson == "" {
		lesson = id
	}
	_, yaml, err := quiz.QuizFromGIFT(file, imp, id, title, lesson)
	if err != nil {
		return usageErr("%s cannot be imported:\n%v", file, err)
	}
	header := fmt.Sprintf("# Imported from %s by stagecraft quiz import.\n", filepath.Base(file))
	if o.Lesson == "" {
		header += "# Set lesson: to the id of the lesson this quiz belongs to.\n"
	}
	return writeOut(o.g.Out, o.Out, func(w io.Writer) error {
		_, err := io.WriteString(w, header+string(yaml))
		return err
	})
}

// slugID makes an id of a file name: "Docker Stages.gift" → "docker-stages".
func slugID(s string) string {
	var b strings.Builder
	dash := false
	for _, r := range strings.ToLower(s) {
		if r >= 'a' && r <= 'z' || r >= '0' && r <= '9' {
			if dash && b.Len() > 0 {
				b.WriteByte('-')
			}
			b.WriteRune(r)
			dash = false
		} else {
			dash = true
		}
	}
	if b.Len() == 0 {
		return "imported"
	}
	return b.String()
}
