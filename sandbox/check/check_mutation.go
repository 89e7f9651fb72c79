package check

import (
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"strings"

	"github.com/stagecraft/stagecraft/sandbox"
	"github.com/stagecraft/stagecraft/sandbox/check/spec"
)

// editedContext copies the context to a temporary folder and applies an edit there; the
// learner's files are never touched. The caller removes the folder.
func editedContext(src string, e *spec.Edit) (string, error) {
	tmp, err := os.MkdirTemp("", "stagecraft-edit-")
	if err != nil {
		return "", err
	}
	if src != "" {
		if err := copyTree(src, tmp); err != nil {
			os.RemoveAll(tmp)
			return "", fmt.Errorf("copying the context for the edit: %w", err)
		}
	}
	target := filepath.Join(tmp, filepath.FromSlash(path.Clean("/"+e.Path)))
	if e.Write != nil {
		err = os.MkdirAll(filepath.Dir(target), 0o755)
		if err == nil {
			err = os.WriteFile(target, []byte(*e.Write), 0o644)
		}
	} else {
		err = appendText(target, e.Append)
	}
	if err == nil {
		err = appendText(target, uniqueBlankLine())
	}
	if err != nil {
		os.RemoveAll(tmp)
		return "", fmt.Errorf("editing %s: %w", e.Path, err)
	}
	return tmp, nil
}

// uniqueBlankLine is a line of spaces and tabs spelling a random number. Every edit ends with
// one, so no two rebuilds after an edit see the same file: a step that depends on the edited
// file can never come from the cache of an earlier check's rebuild (the same wrong Dockerfile
// checked twice would otherwise find "npm ci" cached after the edit, and pass). Whitespace
// alone on a line means nothing to Go, JavaScript, Python or go.mod.
func uniqueBlankLine() string {
	n := rand.Uint64()
	b := make([]byte, 0, 66)
	b = append(b, '\n')
	for i := 0; i < 64; i++ {
		if n>>i&1 == 1 {
			b = append(b, '\t')
		} else {
			b = append(b, ' ')
		}
	}
	return string(append(b, '\n'))
}

func appendText(file, text string) error {
	f, err := os.OpenFile(file, os.O_APPEND|os.O_WRONLY, 0)
	if err != nil {
		return err
	}
	_, err = f.WriteString(text)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return err
}

// editWhat says what an edit did, for messages.
func editWhat(e *spec.Edit) string {
	if e.Write != nil {
		return "writing " + e.Path
	}
	return "editing " + e.Path
}

// rebuildAfter builds the submission again on a copy of its context with the edit applied
// (no export: only the steps matter), for the checks that judge how a build reacts to a change.
func (r *runState) rebuildAfter(ctx context.Context, e *spec.Edit, phase string) (*sandbox.Result, error) {
	tmp, err := editedContext(r.req.ContextDir, e)
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(tmp)
	req := r.req
	req.ContextDir, req.Export = tmp, false
	return r.build(ctx, phase, req)
}

// mutation edits the context, rebuilds, and requires the build to react as the lesson says:
// fail (a failing test must stop the build), run a step again (a go.mod change must re-run the
// download) or keep it cached (a source edit must not).
func (r *runState) mutation(ctx context.Context, c spec.Check) (bool, string, int, error) {
	res, err := r.rebuildAfter(ctx, c.Edit, "rebuilding after "+editWhat(c.Edit))
	if err != nil {
		return false, "", 0, err
	}
	what := editWhat(c.Edit)
	if c.BuildFails {
		if res.Failure == nil {
			return false, fmt.Sprintf("after %s the build still succeeds: nothing in the build noticed", what), 0, nil
		}
		f := res.Failure
		if c.LogContains != "" && !failureLogHas(res, c.LogContains) {
			return false, fmt.Sprintf("after %s the build failed, but not because of the edit (%s)", what, f.Message), f.Line, nil
		}
		return true, fmt.Sprintf("after %s the build fails at %s", what, orText(f.Step, "a step")), f.Line, nil
	}
	if res.Failure != nil {
		return false, fmt.Sprintf("the rebuild after %s failed: %s", what, res.Failure.Message), res.Failure.Line, nil
	}
	for _, p := range c.Rebuilt {
		st, ok := matchStep(res, p)
		if !ok {
			return false, fmt.Sprintf("no build step matches %q", p), 0, nil
		}
		if st.Cached {
			return false, fmt.Sprintf("after %s, %q still came from the cache: that step does not depend on %s, so it never sees the change", what, st.Name, c.Edit.Path), stepLine(r, st), nil
		}
	}
	for _, p := range c.Cached {
		st, ok := matchStep(res, p)
		if !ok {
			return false, fmt.Sprintf("no build step matches %q", p), 0, nil
		}
		if !st.Cached {
			return false, fmt.Sprintf("after %s, %q ran again: it comes after a step that copies %s, so its cache was invalidated — copy only what it needs before it", what, st.Name, c.Edit.Path), stepLine(r, st), nil
		}
	}
	var parts []string
	if len(c.Rebuilt) > 0 {
		parts = append(parts, strings.Join(c.Rebuilt, ", ")+" ran again")
	}
	if len(c.Cached) > 0 {
		parts = append(parts, strings.Join(c.Cached, ", ")+" came from cache")
	}
	return true, fmt.Sprintf("after %s: %s", what, strings.Join(parts, "; ")), 0, nil
}

// matchStep finds the build step whose name ("[build 3/5] RUN go mod download") matches a
// pattern; of several, a step that ran wins, so a copy of the step elsewhere cannot hide it.
func matchStep(res *sandbox.Result, pattern string) (sandbox.Step, bool) {
	re, err := regexp.Compile("(?i)" + pattern)
	if err != nil {
		re = regexp.MustCompile("(?i)" + regexp.QuoteMeta(pattern))
	}
	var found sandbox.Step
	ok := false
	for _, st := range res.Steps {
		if st.Internal || !re.MatchString(st.Name) {
			continue
		}
		if !ok || !st.Cached {
			found, ok = st, true
		}
	}
	return found, ok
}

// stepLine finds the Dockerfile line of a step from its instruction text.
func stepLine(r *runState, st sandbox.Step) int {
	_, text, ok := strings.Cut(st.Name, "] ")
	if !ok {
		return 0
	}
	for _, s := range r.a.Stages {
		for _, ins := range s.Instructions {
			if strings.Join(strings.Fields(ins.Original), " ") == strings.Join(strings.Fields(text), " ") {
				return ins.Line
			}
		}
	}
	return 0
}

func failureLogHas(res *sandbox.Result, s string) bool {
	if f := res.Failure; f != nil {
		if strings.Contains(f.Message, s) || strings.Contains(strings.Join(f.LogTail, "\n"), s) {
			return true
		}
	}
	for _, st := range res.Steps {
		if strings.Contains(strings.Join(st.Log, "\n"), s) {
			return true
		}
	}
	return false
}

func orText(s, alt string) string {
	if s == "" {
		return alt
	}
	return s
}

// contentLeak searches every layer, the config and the history of the final image for a value
// or a context file's bytes: naming paths is not enough, a file copied anywhere still ships.
func (r *runState) contentLeak(ctx context.Context, c spec.Check) (bool, string, int, error) {
	value, what := []byte(c.Value), "the value"
	if c.File != "" {
		// The exercise's own copy is what must not ship; a learner's context may have dropped
		// or changed the file.
		rel := filepath.FromSlash(strings.TrimPrefix(path.Clean("/"+c.File), "/"))
		var b []byte
		err := fmt.Errorf("no build context holds it")
		for _, dir := range []string{r.plan.ContextDir, r.req.ContextDir} {
			if dir != "" && err != nil {
				b, err = os.ReadFile(filepath.Join(dir, rel))
			}
		}
		if err != nil {
			return false, "", 0, fmt.Errorf("content_leak: reading %s from the context: %w", c.File, err)
		}
		value, what = b, "the contents of "+c.File
		if len(value) == 0 {
			return false, "", 0, fmt.Errorf("content_leak: %s is empty, so there is nothing to look for", c.File)
		}
	}
	ms, err := r.img.GrepContext(ctx, value)
	if err != nil {
		return false, "", 0, err
	}
	if len(ms) == 0 {
		return true, what + " is in no layer, config or history of the final image", 0, nil
	}
	where := make([]string, 0, 3)
	for i, m := range ms {
		if i == 3 {
			where = append(where, fmt.Sprintf("and %d more", len(ms)-3))
			break
		}
		where = append(where, m.String())
	}
	return false, what + " is in the final image: " + strings.Join(where, "; "), 0, nil
}
