package main

import (
	"context"
	"fmt"
	"io"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/stagecraft/stagecraft/lessons"
	"github.com/stagecraft/stagecraft/sandbox"
	"golang.org/x/sync/errgroup"
)

// snippetVerdict is one complete lesson snippet `content check --build` built.
type snippetVerdict struct {
	Snippet lessons.Snippet
	Result  *sandbox.Result
	Problem string // "" when it builds
	Took    time.Duration
}

// snippetTenant is who a snippet's build belongs to: each snippet has its own, as each
// exercise does, so snippets built at once never share a cgroup or cache mounts.
func snippetTenant(s lessons.Snippet) string {
	return fmt.Sprintf("snippet:%s:%d", s.Lesson, s.Line)
}

// contentSnippets builds every complete snippet of the course (lessons.Snippet) on the daemon,
// jobs at once, each in an empty context or its exercise's, with the catalog, and no network.
// A snippet that does not build is a verdict; an environment fault stops everything, as in
// contentBuild.
func contentSnippets(ctx context.Context, sb *sandbox.Sandbox, course *lessons.Course, jobs int, report func(snippetVerdict)) ([]snippetVerdict, error) {
	snippets := course.Snippets()
	if jobs < 1 {
		jobs = 1
	}
	// The first environment fault cancels the others (errgroup), as in contentBuild.
	g, ctx := errgroup.WithContext(ctx)
	g.SetLimit(jobs)
	var (
		mu       sync.Mutex
		verdicts []snippetVerdict
	)
	for _, sn := range snippets {
		g.Go(func() error {
			v, err := buildSnippet(ctx, sb, course, sn)
			if err != nil {
				return err
			}
			mu.Lock()
			defer mu.Unlock()
			verdicts = append(verdicts, v)
			if report != nil {
				report(v)
			}
			return nil
		})
	}
	err := g.Wait()
	return verdicts, err
}

func buildSnippet(ctx context.Context, sb *sandbox.Sandbox, course *lessons.Course, sn lessons.Snippet) (snippetVerdict, error) {
	where := fmt.Sprintf("%s:%d", sn.File, sn.Line)
	if ctx.Err() != nil {
		return snippetVerdict{}, ctx.Err()
	}
	req := sandbox.Request{Dockerfile: sn.Dockerfile, Filename: where, Tenant: snippetTenant(sn)}
	if sn.Context != "" {
		ex := course.Exercise(sn.Context)
		if ex == nil || ex.Context == "" {
			return snippetVerdict{}, usageErr("%s: context=%s has no build context", where, sn.Context)
		}
		// The exercise's plan materialises its context as every check of it does.
		plan, err := planFor(course.FS, ex)
		if err != nil {
			return snippetVerdict{}, fmt.Errorf("%s: context=%s: %w", where, ex.ID, err)
		}
		req.ContextDir = plan.ContextDir
	}
	start := time.Now()
	// No export: a snippet only has to build, and the image is never looked at.
	res, err := sb.Build(ctx, req)
	if err != nil {
		return snippetVerdict{}, envErr(fmt.Errorf("%s: %w", where, err))
	}
	v := snippetVerdict{Snippet: sn, Result: res, Took: time.Since(start)}
	if f := res.Failure; f != nil {
		v.Problem = "snippet does not build: " + snippetFailure(sn, f)
	}
	return v, nil
}

// snippetFailure says why a snippet failed, naming the file line of the instruction at fault
// (the snippet's line n is the file's line Line+n) and the end of the step's log.
func snippetFailure(sn lessons.Snippet, f *sandbox.Failure) string {
	var b strings.Builder
	if f.Line > 0 {
		fmt.Fprintf(&b, "line %d (%s:%d): ", f.Line, filepath.Base(sn.File), sn.Line+f.Line)
	}
	b.WriteString(strings.TrimSpace(f.Message))
	if f.Step != "" && !strings.Contains(f.Message, f.Step) {
		b.WriteString(" — step " + strings.Join(strings.Fields(f.Step), " "))
	}
	if n := len(f.LogTail); n > 0 {
		last := f.LogTail[max(0, n-3):]
		b.WriteString(" — log: " + strings.Join(last, " | "))
	}
	return b.String()
}

// printSnippetVerdict writes one line per snippet: ok, or file:line: snippet does not build: …
func printSnippetVerdict(w io.Writer, shown string, v snippetVerdict) {
	file := filepath.Join(shown, filepath.FromSlash(v.Snippet.File))
	if v.Problem == "" {
		fmt.Fprintf(w, "ok    %s:%d: snippet builds (%.0fs)\n", file, v.Snippet.Line, v.Took.Seconds())
		return
	}
	fmt.Fprintf(w, "%s:%d: %s\n", file, v.Snippet.Line, v.Problem)
}

// runSnippetBuild is the snippet pass of `content check --build`: it prints a line per snippet
// and returns how many were built and how many failed.
func runSnippetBuild(ctx context.Context, o *contentCheckOptions, sb *sandbox.Sandbox, c *lessons.Course, shown string) (built, bad int, err error) {
	vs, err := contentSnippets(ctx, sb, c, o.Jobs, func(v snippetVerdict) { printSnippetVerdict(o.Out, shown, v) })
	if err != nil {
		return 0, 0, err
	}
	for _, v := range vs {
		if v.Problem != "" {
			bad++
		}
	}
	return len(vs), bad, nil
}

// snippetFlagsValid refuses --snippets where it means nothing or contradicts --exercise.
func snippetFlagsValid(o *contentCheckOptions) error {
	switch {
	case o.Snippets && !o.Build:
		return usageErr("--snippets builds the lessons' snippets: give it with --build")
	case o.Snippets && o.Exercise != "":
		return usageErr("--snippets builds only the lessons' snippets, --exercise only one exercise: give one of them")
	}
	return nil
}
