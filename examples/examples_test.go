// Package examples holds CI configurations that run stagecraft on a student's repository; its
// test checks that every stagecraft command in them is one stagecraft accepts.
package examples

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/goccy/go-yaml"
)

// commands finds the stagecraft command lines in a CI file's strings.
func commands(t *testing.T, file string) [][]string {
	t.Helper()
	b, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	var tree any
	if err := yaml.Unmarshal(b, &tree); err != nil {
		t.Fatalf("%s: %v", file, err)
	}
	var out [][]string
	var walk func(v any)
	walk = func(v any) {
		switch x := v.(type) {
		case map[string]any:
			for _, e := range x {
				walk(e)
			}
		case []any:
			for _, e := range x {
				walk(e)
			}
		case string:
			for _, line := range strings.Split(x, "\n") {
				line = strings.TrimSpace(line)
				if !strings.HasPrefix(line, "stagecraft ") {
					continue
				}
				for _, cut := range []string{" >", " ||", " |"} {
					line, _, _ = strings.Cut(line, cut)
				}
				out = append(out, strings.Fields(line)[1:])
			}
		}
	}
	walk(tree)
	return out
}

func TestCommandsAreStagecrafts(t *testing.T) {
	if testing.Short() {
		t.Skip("builds stagecraft")
	}
	bin := filepath.Join(t.TempDir(), "stagecraft")
	if out, err := exec.Command("go", "build", "-o", bin, "../cmd/stagecraft").CombinedOutput(); err != nil {
		t.Fatalf("building stagecraft: %v\n%s", err, out)
	}
	for _, file := range []string{"github-classroom/.github/workflows/classroom.yml", "gitlab-ci/.gitlab-ci.yml"} {
		cmds := commands(t, file)
		if len(cmds) < 3 {
			t.Errorf("%s: %d stagecraft commands found, want the check and its reports", file, len(cmds))
		}
		checks := 0
		for _, args := range cmds {
			if len(args) > 0 && strings.Contains(strings.Join(args, " "), "check --exercise") {
				checks++
			}
			out, err := exec.Command(bin, append(args, "--help")...).CombinedOutput()
			if err != nil {
				t.Errorf("%s: stagecraft %s: %v\n%s", file, strings.Join(args, " "), err, out)
			}
		}
		if checks == 0 {
			t.Errorf("%s runs no stagecraft check", file)
		}
	}
}
