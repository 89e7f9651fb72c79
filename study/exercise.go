package study

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"sort"
	"time"

	"github.com/stagecraft/stagecraft/lessons"
	"github.com/stagecraft/stagecraft/progress"
	"github.com/stagecraft/stagecraft/sandbox/check"
)

// InputError is a request the course cannot answer (an unknown exercise, an exercise whose
// files are missing): the learner's or the author's input is wrong, not the machine.
type InputError struct{ Err error }

func (e *InputError) Error() string { return e.Err.Error() }
func (e *InputError) Unwrap() error { return e.Err }

// ExercisePlan is the check plan of the course's exercise id (PlanExercise).
func (s *Service) ExercisePlan(id string) (*check.Plan, error) {
	c, err := s.Course()
	if err != nil {
		return nil, err
	}
	ex := c.Exercise(id)
	if ex == nil {
		ids := make([]string, 0, len(c.Exercises))
		for _, e := range c.Exercises {
			ids = append(ids, e.ID)
		}
		sort.Strings(ids)
		return nil, &InputError{fmt.Errorf("no exercise %q; the course has: %v", id, ids)}
	}
	return s.PlanExercise(ex)
}

// PlanExercise is what a check of the exercise is given: its checks, starter and reference, and
// its build context materialised on disk, because BuildKit reads contexts from disk.
func (s *Service) PlanExercise(ex *lessons.Exercise) (*check.Plan, error) {
	c, err := s.Course()
	if err != nil {
		return nil, err
	}
	return PlanExercise(c.FS, ex, s.cfg.CacheDir)
}

// PlanExercise plans a check of an exercise of the course files fsys, its context materialised
// under cacheDir ("": the system's temporary folder), for callers that check many exercises
// without a learner (the class grader, the course author's checks).
func PlanExercise(fsys fs.FS, ex *lessons.Exercise, cacheDir string) (*check.Plan, error) {
	checks, err := ex.Checks()
	if err != nil {
		return nil, &InputError{err}
	}
	starter, err := fs.ReadFile(fsys, ex.Starter)
	if err != nil {
		return nil, &InputError{fmt.Errorf("exercise %s: %w", ex.ID, err)}
	}
	solution, err := fs.ReadFile(fsys, ex.Solution)
	if err != nil {
		return nil, &InputError{fmt.Errorf("exercise %s: %w", ex.ID, err)}
	}
	plan := &check.Plan{Exercise: ex.ID, Checks: checks, Starter: starter, Reference: solution}
	if ex.Context != "" {
		dir, err := materialize(fsys, ex.Context, contextsDir(cacheDir))
		if err != nil {
			return nil, fmt.Errorf("preparing the context of %s: %w", ex.ID, err)
		}
		plan.ContextDir = dir
	}
	return plan, nil
}

func contextsDir(cacheDir string) string {
	if cacheDir != "" {
		return filepath.Join(cacheDir, "contexts")
	}
	return filepath.Join(os.TempDir(), "stagecraft-contexts")
}

// materialize copies a folder of the course (embedded in the binary, or a course folder) under
// into, once per content.
func materialize(fsys fs.FS, dir, into string) (string, error) {
	h := sha256.New()
	h.Write([]byte("context-v3\x00")) // v3: _go.mod and _.git get their real names
	err := fs.WalkDir(fsys, dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		fmt.Fprintf(h, "%s\x00%v\x00", p, d.IsDir())
		if !d.IsDir() {
			b, err := fs.ReadFile(fsys, p)
			if err != nil {
				return err
			}
			h.Write(b)
		}
		return nil
	})
	if err != nil {
		return "", err
	}
	out := filepath.Join(into, path.Base(path.Dir(dir))+"-"+hex.EncodeToString(h.Sum(nil))[:16])
	if _, err := os.Stat(out); err == nil {
		return out, nil
	}
	if err := os.MkdirAll(into, 0o755); err != nil {
		return "", err
	}
	tmp, err := os.MkdirTemp(into, ".tmp-")
	if err != nil {
		return "", err
	}
	err = fs.WalkDir(fsys, dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		target := filepath.Join(tmp, filepath.FromSlash(lessons.ContextPath(filepath.ToSlash(rel))))
		if d.IsDir() {
			return os.MkdirAll(target, 0o755)
		}
		b, err := fs.ReadFile(fsys, p)
		if err != nil {
			return err
		}
		return os.WriteFile(target, b, 0o644)
	})
	if err != nil {
		os.RemoveAll(tmp)
		return "", err
	}
	if err := os.Rename(tmp, out); err != nil {
		os.RemoveAll(tmp)
		if _, serr := os.Stat(out); serr == nil {
			return out, nil // another process made it first
		}
		return "", err
	}
	return out, nil
}

// AttemptOf is how a checked Dockerfile is kept: the report as the checker wrote it, gradable
// as the report says (an environment fault is kept for the record and never scored), and the
// duration of its build as the report measured it, so both faces record the same attempt.
func AttemptOf(dockerfile []byte, rep *check.Report, at time.Time) progress.Attempt {
	a := progress.Attempt{Exercise: rep.Exercise, Dockerfile: string(dockerfile), Passed: rep.Passed, Gradable: rep.Gradable,
		Score: progress.Points(rep.Score), MaxScore: progress.Points(rep.MaxScore), At: at}
	if rep.Image != nil {
		a.ImageSize = rep.Image.SizeBytes
	}
	if rep.Build != nil {
		a.Duration = time.Duration(rep.Build.DurationMS) * time.Millisecond
	}
	if b, err := json.Marshal(rep); err == nil {
		a.Report = b
	}
	return a
}

// RecordAttempt keeps a check of the learner's Dockerfile for an exercise (AttemptOf), at the
// service's now. Without a store it does nothing.
func (s *Service) RecordAttempt(ctx context.Context, dockerfile []byte, rep *check.Report) error {
	if s.cfg.Store == nil || rep == nil || rep.Exercise == "" {
		return nil
	}
	_, err := s.cfg.Store.RecordAttempt(ctx, s.cfg.Learner, AttemptOf(dockerfile, rep, s.Now()))
	return err
}

// LastReport is the learner's last gradable attempt at an exercise: its report, when it was
// made and the Dockerfile it checked, shown again when the exercise is reopened.
func (s *Service) LastReport(ctx context.Context, exercise string) (*check.Report, time.Time, []byte, bool) {
	if s.cfg.Store == nil {
		return nil, time.Time{}, nil, false
	}
	atts, err := s.cfg.Store.Attempts(ctx, s.cfg.Learner, exercise)
	if err != nil {
		return nil, time.Time{}, nil, false
	}
	for i := len(atts) - 1; i >= 0; i-- {
		a := atts[i]
		if !a.Gradable || len(a.Report) == 0 {
			continue
		}
		var rep check.Report
		if json.Unmarshal(a.Report, &rep) != nil {
			continue
		}
		return &rep, a.At, []byte(a.Dockerfile), true
	}
	return nil, time.Time{}, nil, false
}
