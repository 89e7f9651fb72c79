package main

import (
	"io/fs"
	"path"
	"strings"
	"testing"
)

// TestExerciseCases builds the submissions an exercise keeps in cases/: every
// pass-*.Dockerfile must get a full score (a right answer other than the reference), every
// fail-*.Dockerfile must fail (a mistake the checks must catch). Exercises without cases/ are
// left out.
func TestExerciseCases(t *testing.T) {
	course := embeddedCourse(t)
	type exCase struct{ ex, file string }
	var cases []exCase
	for _, ex := range course.Exercises {
		files, _ := fs.Glob(course.FS, path.Join(ex.Dir, "cases", "*.Dockerfile"))
		for _, f := range files {
			base := path.Base(f)
			if !strings.HasPrefix(base, "pass-") && !strings.HasPrefix(base, "fail-") {
				t.Errorf("%s: a case is named pass-*.Dockerfile or fail-*.Dockerfile", f)
				continue
			}
			cases = append(cases, exCase{ex.ID, f})
		}
	}
	if len(cases) == 0 {
		t.Fatal("no exercise has cases/")
	}
	sb := exerciseSandbox(t)
	for _, c := range cases {
		t.Run(c.ex+"/"+strings.TrimSuffix(path.Base(c.file), ".Dockerfile"), func(t *testing.T) {
			ex := course.Exercise(c.ex)
			plan, err := planFor(course.FS, ex)
			if err != nil {
				t.Fatalf("planFor: %v", err)
			}
			df, err := fs.ReadFile(course.FS, c.file)
			if err != nil {
				t.Fatal(err)
			}
			rep := checkSubmission(t, sb, plan, path.Base(c.file), df)
			if strings.HasPrefix(path.Base(c.file), "pass-") {
				if !rep.Passed || rep.Score != rep.MaxScore {
					t.Errorf("want a full score:\n%s", verdicts(rep))
				}
			} else if rep.Passed || len(failedIDs(rep)) == 0 {
				t.Errorf("want a failing report:\n%s", verdicts(rep))
			}
			t.Logf("image %s; fails %v", sizeOf(rep.Image), failedIDs(rep))
		})
	}
}
