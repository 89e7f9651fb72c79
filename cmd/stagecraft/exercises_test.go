package main

import (
	"context"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/stagecraft/stagecraft/content"
	"github.com/stagecraft/stagecraft/lessons"
	"github.com/stagecraft/stagecraft/sandbox"
	"github.com/stagecraft/stagecraft/sandbox/catalog"
	"github.com/stagecraft/stagecraft/sandbox/check"
	"github.com/stagecraft/stagecraft/sandbox/check/spec"
)

// The course's own content check, as rustlings' `dev check` does it: every exercise's starter
// fails its checks and its reference solution passes them all, on a real BuildKit with the
// offline catalog. The go-multistage table then pins down verdicts on typical submissions.

func embeddedCourse(t *testing.T) *lessons.Course {
	t.Helper()
	course, err := lessons.Load(content.FS())
	if err != nil {
		t.Fatalf("loading the embedded course: %v", err)
	}
	if len(course.Exercises) == 0 {
		t.Fatal("the embedded course has no exercises")
	}
	return course
}

// exerciseSandbox returns a sandbox on the test daemon (scripts/with-buildkitd.sh) with the
// catalog wired as the CLI wires it, its cache shared between test runs.
func exerciseSandbox(t *testing.T) *sandbox.Sandbox {
	t.Helper()
	addr := os.Getenv("STAGECRAFT_TEST_BUILDKIT")
	if addr == "" {
		if os.Getenv("CI") == "true" {
			t.Fatal("CI=true but STAGECRAFT_TEST_BUILDKIT is unset: run the tests through `make test`")
		}
		t.Skip("no BuildKit daemon: run `make test` (it starts a private buildkitd) to run this test")
	}
	if cache := os.Getenv("STAGECRAFT_TEST_CACHE"); cache != "" {
		t.Setenv("STAGECRAFT_CACHE", cache)
	} else {
		t.Setenv("STAGECRAFT_CACHE", t.TempDir())
	}
	g := &globalOptions{Out: io.Discard, Err: io.Discard}
	sb, err := g.sandboxOn(context.Background(), &sandbox.AddrEndpoint{Addr: addr}, sandboxFlags{})
	if err != nil {
		t.Fatalf("opening the sandbox on %s: %v", addr, err)
	}
	t.Cleanup(func() { sb.Close() })
	return sb
}

// checkSubmission runs one submission against an exercise's plan and fails the test on an environment
// fault: only a gradable report says anything about the content.
func checkSubmission(t *testing.T, sb *sandbox.Sandbox, plan *check.Plan, name string, dockerfile []byte) *check.Report {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	defer cancel()
	rep, err := check.Run(ctx, sb, *plan, check.Submission{Dockerfile: dockerfile, Filename: name}, nil)
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	if !rep.Gradable {
		t.Fatalf("%s: not gradable: %s", name, rep.Error)
	}
	return rep
}

// verdicts renders a report's verdicts for a failure message.
func verdicts(rep *check.Report) string {
	var b strings.Builder
	fmt.Fprintf(&b, "score %s/%s, passed %v", rep.Score, rep.MaxScore, rep.Passed)
	for _, c := range rep.Checks {
		fmt.Fprintf(&b, "\n  %-7s %-24s %s/%s  %s", c.Status, c.ID, c.Points, c.MaxPoints, c.Message)
	}
	if rep.Build != nil && rep.Build.FailedStep != "" {
		fmt.Fprintf(&b, "\n  build failed at %s:\n    %s", rep.Build.FailedStep, strings.Join(rep.Build.LogTail, "\n    "))
	}
	return b.String()
}

func failedIDs(rep *check.Report) []string {
	var ids []string
	for _, c := range rep.Checks {
		if c.Status == check.StatusFail || c.Status == check.StatusError {
			ids = append(ids, c.ID)
		}
	}
	slices.Sort(ids)
	return ids
}

func sizeOf(info *sandbox.ImageInfo) string {
	if info == nil {
		return "no image"
	}
	return sandbox.HumanBytes(info.SizeBytes)
}

// TestExerciseContent needs no daemon: what the loader does not check about an exercise.
func TestExerciseContent(t *testing.T) {
	course := embeddedCourse(t)
	t.Setenv("STAGECRAFT_CACHE", t.TempDir()) // planFor materializes contexts there
	taught := map[string]bool{}
	for _, l := range course.Lessons {
		for _, ex := range course.ExercisesForLesson(l.ID) {
			taught[ex.ID] = true
		}
	}
	for _, ex := range course.Exercises {
		t.Run(ex.ID, func(t *testing.T) {
			checks, err := ex.Checks()
			if err != nil {
				t.Fatal(err)
			}
			var sum spec.Points
			for _, c := range checks {
				sum += c.Points
			}
			if sum != spec.Whole(int64(ex.Points)) {
				t.Errorf("points: %d, but the checks add up to %s", ex.Points, sum)
			}
			if !taught[ex.ID] {
				t.Errorf("no lesson lists %s in its exercises, and its lesson: names none", ex.ID)
			}
			if len(ex.Hints) < 2 {
				t.Errorf("%d hints; give at least two tiers", len(ex.Hints))
			}
			plan, err := planFor(course.FS, ex)
			if err != nil {
				t.Fatalf("planFor: %v", err)
			}
			// go:embed cannot hold a go.mod (the folder would be another module) or a .git
			// folder, so contexts keep them as _go.mod and _.git; the build must see the real
			// names.
			filepath.WalkDir(plan.ContextDir, func(p string, d fs.DirEntry, err error) error {
				if err == nil && (d.Name() == "_go.mod" || d.Name() == "_.git") {
					t.Errorf("the materialized context still has %s: it should be named %s", p, strings.TrimPrefix(d.Name(), "_"))
				}
				return err
			})
			if gos, _ := filepath.Glob(filepath.Join(plan.ContextDir, "*.go")); len(gos) > 0 {
				if _, err := os.Stat(filepath.Join(plan.ContextDir, "go.mod")); err != nil {
					t.Errorf("the context has Go sources and no go.mod: %v", err)
				}
			}
			// The node image's npm is offline: a lockfile may name only what its cache holds.
			if lock, err := os.ReadFile(filepath.Join(plan.ContextDir, "package-lock.json")); err == nil {
				pkgs, err := catalog.LockPackages(lock)
				if err != nil {
					t.Fatalf("package-lock.json: %v", err)
				}
				for _, p := range pkgs {
					if !slices.Contains(catalog.CachedNpmPackages(), p) {
						t.Errorf("package-lock.json names %s, which the catalog's npm cache does not hold (sandbox/catalog/files/npm): add it there", p)
					}
				}
			}
		})
	}
}

// starterFails is what each starter is written to get wrong: the checks it must fail (checks
// whose needs fail are skipped, and not listed). A starter that fails for another reason no
// longer teaches its lesson.
var starterFails = map[string][]string{
	"arg-base":          {"base-from-arg", "build-arg-reaches-binary"},
	"build-secret":      {"no-leak", "no-token-file", "secret-mount"},
	"cache-mount":       {"build-cache-mount", "module-cache-mount"},
	"cross-compile":     {"builds"},
	"distroless-static": {"cgo-off", "final-distroless", "not-root", "zones-and-certs"},
	"dockerignore":      {"no-env", "no-git", "no-notes"},
	"go-multistage":     {"build-stage", "copies-from-build", "no-toolchain", "smaller-than-starter", "two-stages", "under-20mb"},
	"healthcheck":       {"exec-form", "exposes-8080", "healthcheck-exec-form", "serves"},
	"layer-cache":       {"download-cached"},
	"libc-runtime":      {"starts"},
	"logs-to-stdout":    {"logs-to-stdout"},
	"non-root":          {"not-root", "numeric-user"},
	"pipeline-targets":  {"build-target", "release-lean", "release-target", "test-target"},
	"shrink-bloated":    {"ninety-percent-smaller", "no-sources", "no-toolchain", "not-root", "under-15mb"},
	// lint-names passes here: BuildKit's lint request stops at the image it cannot resolve
	// (biulder), so it reports no findings at all.
	"stage-names":    {"build-stage", "builds", "copies-from-build", "lint-names", "no-index-refs", "refs-valid"},
	"test-stage":     {"failing-test-fails-build", "no-sources", "test-stage", "three-stages"},
	"trim-the-waste": {"no-waste"},
	// Node.js and Python, on the catalog's node and python images.
	"node-multistage":   {"build-stage", "no-dev-deps", "no-sources", "two-stages"},
	"node-layer-order":  {"install-cached", "not-root"},
	"python-venv":       {"build-stage", "no-sources", "not-root", "two-stages", "venv-copied"},
	"python-test-stage": {"no-tests", "test-stage", "three-stages"},
}

// TestExercises is `stagecraft content check --build` on the built-in course, through the same
// code: every starter fails (with the checks starterFails names), every reference and pass-
// case gets full points, every fail- case fails what it declares. Two exercises run at once,
// as the command's default; each exercise's Dockerfiles share its build cache in turn.
func TestExercises(t *testing.T) {
	course := embeddedCourse(t)
	sb := exerciseSandbox(t)
	for _, ex := range course.Exercises {
		cases, err := ex.Cases(course.FS)
		if err != nil {
			t.Errorf("%s: %v", ex.ID, err)
		}
		pass, fail := 0, 0
		for _, c := range cases {
			if c.Pass {
				pass++
			} else {
				fail++
			}
		}
		if pass < 1 || fail < 2 {
			t.Errorf("%s has %d pass- and %d fail- cases; give at least one correct alternative and two ways to miss the point", ex.ID, pass, fail)
		}
	}
	ctx, cancel := context.WithTimeout(context.Background(), 25*time.Minute)
	defer cancel()
	start := time.Now()
	results, err := contentBuild(ctx, sb, course, "", 2, func(v caseVerdict) {
		t.Logf("%s: %s/%s in %.0fs", v.File, v.Report.Score, v.Report.MaxScore, v.Took.Seconds())
	})
	if err != nil {
		t.Fatalf("content check --build: %v", err)
	}
	t.Logf("%d Dockerfiles checked in %s", len(results), time.Since(start).Round(time.Second))
	for _, v := range results {
		if v.Problem != "" {
			t.Errorf("%s: %s\n%s", v.File, v.Problem, verdicts(v.Report))
		}
		if ex := course.Exercise(v.Exercise); ex == nil || v.File != ex.Starter {
			continue
		}
		if want, ok := starterFails[v.Exercise]; !ok {
			t.Errorf("no starterFails entry for %s: say which checks its starter is meant to fail", v.Exercise)
		} else if got := failedIDs(v.Report); !slices.Equal(got, want) {
			t.Errorf("the starter of %s fails %v, want %v:\n%s", v.Exercise, got, want, verdicts(v.Report))
		}
	}
}

// submissionCase is a Dockerfile under testdata/go-multistage and the checks it fails.
type submissionCase struct {
	file string
	fail []string // none means a full score
}

// TestGoMultistageSubmissions checks typical go-multistage submissions, right and wrong, and
// which checks each one fails.
func TestGoMultistageSubmissions(t *testing.T) {
	course := embeddedCourse(t)
	ex := course.Exercise("go-multistage")
	if ex == nil {
		t.Fatal("no go-multistage exercise")
	}
	tests := []submissionCase{
		{file: "ok-scratch.Dockerfile"},
		{file: "ok-distroless.Dockerfile"},
		{file: "ok-busybox-cmd.Dockerfile"},
		{file: "ok-index-ref.Dockerfile"},
		{file: "ok-three-stages.Dockerfile"},
		{file: "ok-target-test-stage.Dockerfile"},
		// One stage: the image is the toolchain.
		{file: "bad-single-stage.Dockerfile", fail: []string{"build-stage", "copies-from-build", "no-toolchain", "smaller-than-starter", "two-stages", "under-20mb"}},
		// --from=builder names no stage: BuildKit reads it as an image to pull.
		{file: "bad-from-builder.Dockerfile", fail: []string{"builds", "copies-from-build", "refs-valid"}},
		// AS Build works (BuildKit lower-cases names) but is not the name asked for.
		{file: "bad-casing.Dockerfile", fail: []string{"build-stage"}},
		// Two stages, and the final one is golang again.
		{file: "bad-final-golang.Dockerfile", fail: []string{"no-toolchain", "smaller-than-starter", "under-20mb"}},
		// The binary lands at /usr/local/bin/hello; ENTRYPOINT runs /hello.
		{file: "bad-wrong-path.Dockerfile", fail: []string{"runs-version"}},
		// A PIE binary asks for a dynamic loader that scratch does not have.
		{file: "bad-pie.Dockerfile", fail: []string{"runs-version"}},
		// COPY --chmod=0644 leaves the binary without its execute bit.
		{file: "bad-not-executable.Dockerfile", fail: []string{"runs-version"}},
		// cgo without a C compiler: the build fails.
		{file: "bad-cgo.Dockerfile", fail: []string{"builds"}},
		// COPPY: nothing is built, every check is skipped.
		{file: "bad-parse-error.Dockerfile", fail: []string{"dockerfile-parses"}},
	}
	// Every file in testdata has a row, so a new case cannot be forgotten.
	files, _ := filepath.Glob(filepath.Join("testdata", "go-multistage", "*.Dockerfile"))
	for _, f := range files {
		if !slices.ContainsFunc(tests, func(tc submissionCase) bool { return tc.file == filepath.Base(f) }) {
			t.Errorf("%s has no row in the table", f)
		}
	}

	sb := exerciseSandbox(t)
	plan, err := planFor(course.FS, ex)
	if err != nil {
		t.Fatalf("planFor: %v", err)
	}
	for _, tc := range tests {
		t.Run(strings.TrimSuffix(tc.file, ".Dockerfile"), func(t *testing.T) {
			df, err := os.ReadFile(filepath.Join("testdata", "go-multistage", tc.file))
			if err != nil {
				t.Fatal(err)
			}
			rep := checkSubmission(t, sb, plan, tc.file, df)
			want := slices.Clone(tc.fail)
			slices.Sort(want)
			if got := failedIDs(rep); !slices.Equal(got, want) {
				t.Errorf("failed checks %v, want %v:\n%s", got, want, verdicts(rep))
			}
			if len(tc.fail) == 0 && (!rep.Passed || rep.Score != rep.MaxScore) {
				t.Errorf("want a full score:\n%s", verdicts(rep))
			}
			if len(tc.fail) > 0 && rep.Passed {
				t.Errorf("want a failing report:\n%s", verdicts(rep))
			}
			t.Logf("image %s; %s", sizeOf(rep.Image), verdicts(rep))
		})
	}
}
