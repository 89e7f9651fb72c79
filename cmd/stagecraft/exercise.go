package main

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"sort"

	"github.com/stagecraft/stagecraft/lessons"
	"github.com/stagecraft/stagecraft/sandbox/check"
)

// exercisePlan loads an exercise of the course and turns it into the sandbox's plan.
func exercisePlan(g *globalOptions, id string) (*check.Plan, error) {
	course, err := loadCourse(g)
	if err != nil {
		return nil, err
	}
	fsys := course.FS
	ex := course.Exercise(id)
	if ex == nil {
		ids := make([]string, 0, len(course.Exercises))
		for _, e := range course.Exercises {
			ids = append(ids, e.ID)
		}
		sort.Strings(ids)
		return nil, usageErr("no exercise %q; the course has: %v", id, ids)
	}
	return planFor(fsys, ex)
}

func planFor(fsys fs.FS, ex *lessons.Exercise) (*check.Plan, error) {
	checks, err := ex.Checks()
	if err != nil {
		return nil, usageErr("%v", err)
	}
	starter, err := fs.ReadFile(fsys, ex.Starter)
	if err != nil {
		return nil, usageErr("exercise %s: %v", ex.ID, err)
	}
	solution, err := fs.ReadFile(fsys, ex.Solution)
	if err != nil {
		return nil, usageErr("exercise %s: %v", ex.ID, err)
	}
	plan := &check.Plan{Exercise: ex.ID, Checks: checks, Starter: starter, Reference: solution}
	if ex.Context != "" {
		dir, err := materialize(fsys, ex.Context)
		if err != nil {
			return nil, fmt.Errorf("preparing the context of %s: %w", ex.ID, err)
		}
		plan.ContextDir = dir
	}
	return plan, nil
}

// materialize copies a folder of the course (embedded in the binary, or a --course folder)
// to the cache dir, once per content, because BuildKit reads build contexts from disk.
func materialize(fsys fs.FS, dir string) (string, error) {
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
	cache, err := cacheDir()
	if err != nil {
		return "", err
	}
	out := filepath.Join(cache, "contexts", path.Base(path.Dir(dir))+"-"+hex.EncodeToString(h.Sum(nil))[:16])
	if _, err := os.Stat(out); err == nil {
		return out, nil
	}
	tmp, err := os.MkdirTemp(filepath.Dir(out), ".tmp-")
	if err != nil {
		if err := os.MkdirAll(filepath.Dir(out), 0o755); err != nil {
			return "", err
		}
		if tmp, err = os.MkdirTemp(filepath.Dir(out), ".tmp-"); err != nil {
			return "", err
		}
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
