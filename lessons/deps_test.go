package lessons

import (
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

// The course model loads and validates exercises without the build engine: it reaches the
// check specs through sandbox/check/spec alone, so neither BuildKit nor the engine is linked
// into what only reads a course.
func TestLessonsImportNoBuildEngine(t *testing.T) {
	goTool := filepath.Join(runtime.GOROOT(), "bin", "go")
	if _, err := os.Stat(goTool); err != nil {
		if goTool, err = exec.LookPath("go"); err != nil {
			t.Skip("no go tool to list the package's imports with")
		}
	}
	out, err := exec.Command(goTool, "list", "-deps", ".").CombinedOutput()
	if err != nil {
		t.Fatalf("go list -deps: %v\n%s", err, out)
	}
	deps := strings.Fields(string(out))
	const specPkg = "github.com/stagecraft/stagecraft/sandbox/check/spec"
	found := false
	for _, d := range deps {
		switch {
		case d == specPkg:
			found = true
		case strings.HasPrefix(d, "github.com/moby/buildkit"):
			t.Errorf("lessons depends on %s (BuildKit)", d)
		case d == "github.com/stagecraft/stagecraft/sandbox", d == "github.com/stagecraft/stagecraft/sandbox/check":
			t.Errorf("lessons depends on %s: the course model needs only %s", d, specPkg)
		}
	}
	if !found {
		t.Errorf("%s is not among lessons' dependencies: did go list list them?\n%s", specPkg, out)
	}
}
