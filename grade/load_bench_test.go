package grade

import (
	"fmt"
	"os"
	"path/filepath"
	"testing"
)

// BenchmarkLoadClass reads a class of 200 student folders (a Dockerfile and five files of
// their own each, one of them a link): every Dockerfile read and every submission hashed, as
// `stagecraft grade` does before any build. It measures what opening each file without
// following links and checking it is a regular file costs the load.
//
//	go test -run '^$' -bench BenchmarkLoadClass ./grade/
func BenchmarkLoadClass(b *testing.B) {
	class := filepath.Join(b.TempDir(), "submissions")
	for i := range 200 {
		dir := filepath.Join(class, fmt.Sprintf("s%03d", i))
		os.MkdirAll(filepath.Join(dir, "src"), 0o755)
		os.WriteFile(filepath.Join(dir, DockerfileName), []byte(fmt.Sprintf("FROM golang AS build\nLABEL s=%d\nCOPY . /src\nRUN go build -o /app ./src\nFROM busybox\nCOPY --from=build /app /app\n", i)), 0o644)
		for j := range 4 {
			os.WriteFile(filepath.Join(dir, "src", fmt.Sprintf("f%d.go", j)), make([]byte, 4096), 0o644)
		}
		os.Symlink("src/f0.go", filepath.Join(dir, "link.go"))
	}
	b.ResetTimer()
	for b.Loop() {
		c, err := Load(class, "")
		if err != nil || len(c.Students) != 200 || c.Students[0].Missing != "" {
			b.Fatalf("%v %d", err, len(c.Students))
		}
	}
}
