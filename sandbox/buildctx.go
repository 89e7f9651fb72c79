package sandbox

import (
	"errors"
	"fmt"
	"io/fs"
	"path/filepath"

	"github.com/moby/patternmatcher"
	"github.com/moby/patternmatcher/ignorefile"
)

var errTooLarge = errors.New("context too large")

// ContextSize is the size of what BuildKit would send of dir, after .dockerignore, stopping as
// soon as it passes limit (so a 50 GB folder is refused quickly, not walked to the end).
func ContextSize(dir string, limit int64) (int64, error) {
	// The folder named as the context may itself be a link (BuildKit sends what it leads to);
	// below it, nothing is followed.
	named := dir
	if real, err := filepath.EvalSymlinks(dir); err == nil {
		dir = real
	}
	pm, err := IgnoreMatcher(dir)
	if err != nil {
		return 0, err
	}
	var total int64
	err = filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, path)
		if rel == "." {
			return nil
		}
		skip, err := pm.MatchesOrParentMatches(filepath.ToSlash(rel))
		if err != nil {
			return err
		}
		if skip {
			if d.IsDir() && !pm.Exclusions() {
				return filepath.SkipDir
			}
			return nil
		}
		if d.Type().IsRegular() {
			info, err := d.Info()
			if err != nil {
				return err
			}
			total += info.Size()
			if limit > 0 && total > limit {
				return errTooLarge
			}
		}
		return nil
	})
	if errors.Is(err, errTooLarge) {
		return total, &LimitError{What: "build context", Size: total, Limit: limit, Path: named, Partial: true}
	}
	return total, err
}

// IgnoreMatcher reads dir's .dockerignore as BuildKit applies it. The file is the submitter's:
// a link there is not followed (BuildKit sends it as a link, which cannot name a host file
// either), and the context counts as unfiltered.
func IgnoreMatcher(dir string) (*patternmatcher.PatternMatcher, error) {
	var excludes []string
	if f, _, err := OpenRegular(filepath.Join(dir, ".dockerignore"), ".dockerignore"); err == nil {
		excludes, err = ignorefile.ReadAll(f)
		f.Close()
		if err != nil {
			return nil, fmt.Errorf("%s: %w", filepath.Join(dir, ".dockerignore"), err)
		}
	}
	pm, err := patternmatcher.New(excludes)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", filepath.Join(dir, ".dockerignore"), err)
	}
	return pm, nil
}
