package grade

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/stagecraft/stagecraft/sandbox"
)

// overlay prepares a student's build context: the exercise's context with the student's own
// files laid over it, in a temp folder removed by the returned func. A student who handed in
// only a Dockerfile builds on the exercise's context as it is (nothing is copied).
//
// Submissions are untrusted: symlinks are recreated as links, never followed (BuildKit sends
// them as links, so one pointing out of the context names nothing on the host), files are
// opened without following a link swapped in after the walk, and the copy stops at limit bytes
// with a *sandbox.LimitError, as the sandbox would refuse the context. Errors name files by the
// student's id and the path in their folder, never by a host path.
func overlay(exerciseCtx string, st *Student, limit int64) (string, func(), error) {
	noop := func() {}
	if st.Dir == "" || !hasOwnFiles(st.Dir) {
		return exerciseCtx, noop, nil
	}
	tmp, err := os.MkdirTemp("", "stagecraft-grade-")
	if err != nil {
		return "", noop, fmt.Errorf("creating a build context for %s: %w", st.ID, err)
	}
	cleanup := func() { os.RemoveAll(tmp) }
	// Files the context's .dockerignore (the student's, else the exercise's) leaves out are not
	// sent to BuildKit: they are not copied nor counted, so the limit is the one `check` applies
	// (after .dockerignore). A .dockerignore that does not parse is reported by the sandbox.
	skipFile := func(string) bool { return false }
	ignoreDir := exerciseCtx
	if present(filepath.Join(st.Dir, ".dockerignore")) {
		ignoreDir = st.Dir
	}
	if ignoreDir != "" {
		if pm, err := sandbox.IgnoreMatcher(ignoreDir); err == nil {
			skipFile = func(rel string) bool {
				skip, _ := pm.MatchesOrParentMatches(filepath.ToSlash(rel))
				return skip && rel != ".dockerignore"
			}
		}
	}
	var total int64
	copyTree := func(src, shown string, skipGit bool) error {
		walk := filepath.WalkDir
		if skipGit {
			walk = func(root string, fn fs.WalkDirFunc) error {
				return walkOverlay(root, func(rel string, d fs.DirEntry) error { return fn(filepath.Join(root, rel), d, nil) })
			}
		}
		return walk(src, func(p string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			rel, err := filepath.Rel(src, p)
			if err != nil || rel == "." {
				return err
			}
			dst := filepath.Join(tmp, rel)
			switch {
			case d.Type()&fs.ModeSymlink != 0:
				target, err := os.Readlink(p)
				if err != nil {
					return err
				}
				os.RemoveAll(dst)
				return os.Symlink(target, dst)
			case d.IsDir():
				if st, err := os.Lstat(dst); err == nil && !st.IsDir() {
					os.Remove(dst)
				}
				return os.MkdirAll(dst, 0o755)
			case !d.Type().IsRegular():
				return nil // devices, sockets, pipes: nothing a build context needs
			case skipFile(rel):
				return nil
			}
			room := int64(0)
			if limit > 0 {
				if room = limit - total; room <= 0 {
					return &sandbox.LimitError{What: "build context", Size: total + 1, Limit: limit, Path: st.ID, Partial: true}
				}
			}
			n, err := copyFile(p, filepath.Join(shown, rel), dst, room)
			total += n
			if err != nil {
				return err
			}
			if limit > 0 && total > limit {
				return &sandbox.LimitError{What: "build context", Size: total, Limit: limit, Path: st.ID, Partial: true}
			}
			return nil
		})
	}
	if exerciseCtx != "" {
		if err := copyTree(exerciseCtx, "context", false); err != nil {
			cleanup()
			return "", noop, fmt.Errorf("copying the exercise's context: %w", err)
		}
	}
	if err := copyTree(st.Dir, st.ID, true); err != nil {
		cleanup()
		var le *sandbox.LimitError
		var fe *sandbox.FileRefusedError
		var re *sandbox.FileReadError
		switch {
		case errors.As(err, &le):
			return "", noop, le
		case errors.As(err, &fe):
			return "", noop, fe
		case errors.As(err, &re):
			return "", noop, re
		}
		return "", noop, fmt.Errorf("copying the files of %s: %w", st.ID, err)
	}
	return tmp, cleanup, nil
}

// hasOwnFiles reports whether a student's folder holds anything besides the Dockerfile.
func hasOwnFiles(dir string) bool {
	own := false
	_ = walkOverlay(dir, func(rel string, d fs.DirEntry) error {
		if rel != DockerfileName {
			own = true
			return fs.SkipAll
		}
		return nil
	})
	return own
}

// copyFile copies one regular file (shown in errors as shown), replacing whatever is at dst (a
// student's file wins over the exercise's), reading at most room+1 bytes when room > 0.
func copyFile(src, shown, dst string, room int64) (int64, error) {
	in, _, err := sandbox.OpenRegular(src, shown)
	if err != nil {
		return 0, err
	}
	defer in.Close()
	if _, err := os.Lstat(dst); err == nil {
		os.RemoveAll(dst)
	}
	// dst is in our own temp folder, emptied of any link above: O_EXCL makes sure we create the
	// file rather than write through something put there.
	out, err := os.OpenFile(dst, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o644)
	if err != nil {
		return 0, err
	}
	var r io.Reader = in
	if room > 0 {
		r = io.LimitReader(in, room+1)
	}
	n, err := io.Copy(out, r)
	if cerr := out.Close(); err == nil {
		err = cerr
	}
	return n, err
}
