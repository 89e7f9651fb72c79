package progress

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"sort"
	"time"

	"github.com/stagecraft/stagecraft/progress/srs"
)

// ExportSchema names the JSON format of Export and Import.
const ExportSchema = "stagecraft.progress/v1"

// Dump is the JSON document Export writes and Import reads.
type Dump struct {
	Schema       string        `json:"schema"`
	StoreVersion int           `json:"store_version"` // schema version of the store that wrote it
	Exported     time.Time     `json:"exported"`
	Learners     []LearnerDump `json:"learners"`
	GradingRuns  []GradingDump `json:"grading_runs,omitempty"`
}

// LearnerDump is everything kept about one learner.
type LearnerDump struct {
	Name        string       `json:"name"`
	Created     time.Time    `json:"created"`
	Reads       []LessonRead `json:"reads,omitempty"`
	Completions []Completion `json:"completions,omitempty"`
	QuizRuns    []QuizRun    `json:"quiz_runs,omitempty"`
	Answers     []Answer     `json:"answers,omitempty"`
	Cards       []ReviewCard `json:"cards,omitempty"`
	Attempts    []Attempt    `json:"attempts,omitempty"`
}

// GradingDump is a grading run with its results.
type GradingDump struct {
	GradingRun
	Results []GradingResult `json:"results,omitempty"`
}

// ExportFilter chooses what Export writes.
type ExportFilter struct {
	Learners []string // nil: every learner
	Grading  bool     // include grading runs and results
}

// Export writes the chosen progress as one JSON document (ExportSchema), read in one transaction.
func (s *Store) Export(ctx context.Context, w io.Writer, f ExportFilter) error {
	d, err := s.Dump(ctx, f)
	if err != nil {
		return err
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	if err := enc.Encode(d); err != nil {
		return fmt.Errorf("writing the export: %w", err)
	}
	return nil
}

// Dump reads the chosen progress into memory, in one read transaction.
func (s *Store) Dump(ctx context.Context, f ExportFilter) (Dump, error) {
	d := Dump{Schema: ExportSchema, StoreVersion: latestVersion(), Exported: time.Now().UTC().Truncate(time.Millisecond), Learners: []LearnerDump{}}
	tx, err := s.r.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return d, fmt.Errorf("exporting progress: %w", err)
	}
	defer tx.Rollback()
	type learner struct {
		id      int64
		name    string
		created int64
	}
	rows, err := tx.QueryContext(ctx, "SELECT id, name, created_at FROM learners ORDER BY name")
	if err != nil {
		return d, fmt.Errorf("exporting progress: %w", err)
	}
	want := map[string]bool{}
	for _, n := range f.Learners {
		want[n] = true
	}
	var ls []learner
	for rows.Next() {
		var l learner
		if err := rows.Scan(&l.id, &l.name, &l.created); err != nil {
			rows.Close()
			return d, fmt.Errorf("exporting progress: %w", err)
		}
		if f.Learners == nil || want[l.name] {
			ls = append(ls, l)
		}
	}
	if err := closeRows(rows); err != nil {
		return d, fmt.Errorf("exporting progress: %w", err)
	}
	for _, l := range ls {
		ld := LearnerDump{Name: l.name, Created: fromMS(l.created)}
		var err error
		if ld.Reads, err = queryReads(ctx, tx, l.id); err != nil {
			return d, err
		}
		if ld.Completions, err = queryCompletions(ctx, tx, l.id); err != nil {
			return d, err
		}
		if ld.QuizRuns, err = queryRuns(ctx, tx, l.id, ""); err != nil {
			return d, err
		}
		if ld.Answers, err = queryAnswers(ctx, tx, l.id, ""); err != nil {
			return d, err
		}
		if ld.Cards, err = queryCards(ctx, tx, "SELECT "+cardColumns+" FROM review_cards WHERE learner_id = ? ORDER BY question_id", l.id); err != nil {
			return d, err
		}
		if ld.Attempts, err = queryAttempts(ctx, tx, l.id, ""); err != nil {
			return d, err
		}
		d.Learners = append(d.Learners, ld)
	}
	if f.Grading {
		runs, err := queryGradingRuns(ctx, tx, "")
		if err != nil {
			return d, err
		}
		for _, r := range runs {
			id, err := gradingRunID(ctx, tx, r.UID)
			if err != nil {
				return d, err
			}
			results, err := queryResults(ctx, tx, id)
			if err != nil {
				return d, err
			}
			d.GradingRuns = append(d.GradingRuns, GradingDump{GradingRun: r, Results: results})
		}
	}
	return d, nil
}

// ErrBadExport is wrapped by Import's errors about the file itself (not JSON, another schema,
// records missing their ids or pointing nowhere), as opposed to errors of the database.
var ErrBadExport = errors.New("not a valid stagecraft progress export")

func badExport(err error) error { return fmt.Errorf("%w: %w", ErrBadExport, err) }

// ImportStats counts what an import added; records already present are not counted.
type ImportStats struct {
	Learners, Reads, Completions, QuizRuns, Answers, Cards, Attempts, GradingRuns, GradingResults int
	// CardsReplayed counts cards rebuilt from the merged answers, because both stores had answers.
	CardsReplayed int
}

// Import merges an export into the store, in one transaction: learners by name, records by uid,
// completions and grading results by their keys. Importing the same file twice adds nothing. A
// card the store did not have is copied as exported; a card both have is rebuilt by replaying all
// the learner's answers to that question once the new ones are in.
func (s *Store) Import(ctx context.Context, r io.Reader) (ImportStats, error) {
	var d Dump
	dec := json.NewDecoder(r)
	if err := dec.Decode(&d); err != nil {
		return ImportStats{}, badExport(err)
	}
	// One document and nothing after it: trailing bytes mean a damaged or concatenated file.
	end := dec.InputOffset()
	if _, err := dec.Token(); err != io.EOF {
		return ImportStats{}, badExport(fmt.Errorf("more data after the JSON document, which ends at byte %d", end))
	}
	if d.Schema != ExportSchema {
		return ImportStats{}, badExport(fmt.Errorf("schema %q, want %q", d.Schema, ExportSchema))
	}
	if err := validateDump(&d); err != nil {
		return ImportStats{}, badExport(err)
	}
	var st ImportStats
	err := s.writeTx(ctx, func(tx *sql.Tx) error {
		for _, l := range d.Learners {
			if err := s.importLearner(ctx, tx, l, &st); err != nil {
				return fmt.Errorf("learner %s: %w", l.Name, err)
			}
		}
		for _, g := range d.GradingRuns {
			if err := importGrading(ctx, tx, g, &st); err != nil {
				return fmt.Errorf("grading run %s: %w", g.UID, err)
			}
		}
		return nil
	})
	if err != nil {
		return ImportStats{}, fmt.Errorf("importing progress: %w", err)
	}
	s.mu.Lock()
	clear(s.learners) // ids are re-read; import may have created learners
	s.mu.Unlock()
	return st, nil
}

func (s *Store) importLearner(ctx context.Context, tx *sql.Tx, l LearnerDump, st *ImportStats) error {
	if l.Name == "" {
		return badExport(errors.New("a learner without a name"))
	}
	var id int64
	err := tx.QueryRowContext(ctx, "SELECT id FROM learners WHERE name = ?", l.Name).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		created := l.Created
		if created.IsZero() {
			created = time.Now()
		}
		err = tx.QueryRowContext(ctx, "INSERT INTO learners(name, created_at) VALUES (?, ?) RETURNING id", l.Name, ms(created)).Scan(&id)
		st.Learners++
	}
	if err != nil {
		return err
	}
	count := func(n *int, q string, args ...any) error {
		var c int
		if err := tx.QueryRowContext(ctx, q, args...).Scan(&c); err != nil {
			return err
		}
		*n += c
		return nil
	}
	for _, r := range l.Reads {
		if r.UID == "" {
			return badExport(fmt.Errorf("a read of %s without a uid", r.Lesson))
		}
		before := 0
		if err := count(&before, "SELECT count(*) FROM lesson_reads WHERE uid = ?", r.UID); err != nil {
			return err
		}
		if err := insertRead(ctx, tx, id, r); err != nil {
			return err
		}
		st.Reads += 1 - before
	}
	for _, c := range l.Completions {
		before := 0
		if err := count(&before, "SELECT count(*) FROM lesson_completions WHERE learner_id = ? AND lesson_id = ?", id, c.Lesson); err != nil {
			return err
		}
		if err := upsertCompletion(ctx, tx, id, c); err != nil {
			return err
		}
		st.Completions += 1 - before
	}
	for _, r := range l.QuizRuns {
		if r.UID == "" {
			return badExport(fmt.Errorf("a run of %s without a uid", r.Quiz))
		}
		before := 0
		if err := count(&before, "SELECT count(*) FROM quiz_runs WHERE uid = ?", r.UID); err != nil {
			return err
		}
		if err := insertRun(ctx, tx, id, r); err != nil {
			return err
		}
		st.QuizRuns += 1 - before
	}
	touched := map[string]bool{} // questions that got new answers
	for _, a := range l.Answers {
		if a.UID == "" {
			return badExport(fmt.Errorf("an answer to %s without a uid", a.Question))
		}
		if !a.Rating.Valid() {
			a.Rating = srs.RatingFor(a.Correct, a.HintsUsed, a.Took, a.QuestionType)
		}
		inserted, err := insertAnswer(ctx, tx, id, a)
		if errors.Is(err, errNoQuizRun) {
			return badExport(err)
		}
		if err != nil {
			return err
		}
		if inserted {
			st.Answers++
			touched[a.Question] = true
		}
	}
	imported := map[string]bool{}
	for _, c := range l.Cards {
		_, found, err := loadCard(ctx, tx, id, c.Question)
		if err != nil {
			return err
		}
		if found {
			continue
		}
		if err := saveCard(ctx, tx, id, c, c.Updated); err != nil {
			return err
		}
		imported[c.Question] = true
		st.Cards++
	}
	var replay []string
	for q := range touched {
		if !imported[q] {
			replay = append(replay, q)
		}
	}
	sort.Strings(replay)
	for _, q := range replay {
		if err := s.replayCard(ctx, tx, id, q); err != nil {
			return err
		}
		st.CardsReplayed++
	}
	for _, a := range l.Attempts {
		if a.UID == "" {
			return badExport(fmt.Errorf("an attempt at %s without a uid", a.Exercise))
		}
		if len(a.Report) > 0 && !json.Valid(a.Report) {
			return badExport(fmt.Errorf("the report of attempt %s is not valid JSON", a.UID))
		}
		before := 0
		if err := count(&before, "SELECT count(*) FROM exercise_attempts WHERE uid = ?", a.UID); err != nil {
			return err
		}
		if err := insertAttempt(ctx, tx, id, a); err != nil {
			return err
		}
		st.Attempts += 1 - before
	}
	return nil
}

// replayCard rebuilds a card from all the learner's answers to the question, oldest first.
func (s *Store) replayCard(ctx context.Context, tx *sql.Tx, learner int64, question string) error {
	answers, err := queryAnswers(ctx, tx, learner, question)
	if err != nil {
		return err
	}
	var card ReviewCard
	for i, a := range answers {
		if i == 0 {
			card = ReviewCard{Question: question, ContentHash: a.ContentHash}
		}
		if a.ContentHash != card.ContentHash && a.ContentHash != "" {
			if card.ContentHash != "" {
				card.Card, card.Changed = srs.Card{}, a.At
			}
			card.ContentHash = a.ContentHash
		}
		card.Card = s.sched.Next(card.Card, a.Rating, a.At)
	}
	if len(answers) == 0 {
		return nil
	}
	card.Scheduler = s.sched.Name()
	return saveCard(ctx, tx, learner, card, card.LastReview)
}

func importGrading(ctx context.Context, tx *sql.Tx, g GradingDump, st *ImportStats) error {
	if g.UID == "" || g.Exercise == "" {
		return badExport(errors.New("a grading run without a uid or exercise"))
	}
	if len(g.Options) > 0 && !json.Valid(g.Options) {
		return badExport(errors.New("options are not valid JSON"))
	}
	var before int
	if err := tx.QueryRowContext(ctx, "SELECT count(*) FROM grading_runs WHERE uid = ?", g.UID).Scan(&before); err != nil {
		return err
	}
	// No process of this store is grading an imported run: one exported while running (or by a
	// stagecraft older than run states, without a finish time) was stopped part way as far as
	// this store knows.
	run := g.GradingRun
	switch {
	case !run.Finished.IsZero() && run.Status != RunInterrupted:
		run.Status = RunComplete
	case run.Finished.IsZero():
		run.Status = RunInterrupted
	}
	if err := insertGradingRun(ctx, tx, run); err != nil {
		return err
	}
	st.GradingRuns += 1 - before
	runID, err := gradingRunID(ctx, tx, g.UID)
	if err != nil {
		return err
	}
	for _, r := range g.Results {
		var n int
		if err := tx.QueryRowContext(ctx, "SELECT count(*) FROM grading_results WHERE run_id = ? AND student_id = ?", runID, r.Student).Scan(&n); err != nil {
			return err
		}
		if err := insertResult(ctx, tx, runID, r); err != nil {
			return err
		}
		st.GradingResults += 1 - n
	}
	return nil
}
