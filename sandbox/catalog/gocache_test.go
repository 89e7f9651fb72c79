package catalog

import (
	"archive/tar"
	"bufio"
	"compress/gzip"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stagecraft/stagecraft/sandbox/image"
)

// extractLayers writes the image's layers into root, in order, as a container runtime would
// (the catalog writes no whiteouts, so plain extraction is exact).
func extractLayers(t *testing.T, im *image.Image, root string) {
	t.Helper()
	for _, l := range im.Layers {
		f, err := os.Open(filepath.Join(im.Dir, "blobs", "sha256", l.Digest.Encoded()))
		if err != nil {
			t.Fatal(err)
		}
		var r io.Reader = bufio.NewReaderSize(f, 1<<20)
		if strings.HasSuffix(l.MediaType, "+gzip") {
			zr, err := gzip.NewReader(r)
			if err != nil {
				t.Fatal(err)
			}
			r = zr
		}
		tr := tar.NewReader(r)
		for {
			h, err := tr.Next()
			if err == io.EOF {
				break
			}
			if err != nil {
				t.Fatal(err)
			}
			p := filepath.Join(root, filepath.FromSlash(h.Name))
			switch h.Typeflag {
			case tar.TypeDir:
				err = os.MkdirAll(p, 0o755)
			case tar.TypeSymlink:
				os.Remove(p)
				err = os.Symlink(h.Linkname, p)
			case tar.TypeReg:
				var out *os.File
				if out, err = os.OpenFile(p, os.O_CREATE|os.O_TRUNC|os.O_WRONLY, os.FileMode(h.Mode).Perm()); err == nil {
					_, err = io.Copy(out, tr)
					out.Close()
				}
				if err == nil {
					err = os.Chtimes(p, h.ModTime, h.ModTime)
				}
			}
			if err != nil {
				t.Fatal(err)
			}
		}
		f.Close()
	}
}

// The warm cache hits: the golang image's own toolchain (pruned, at another GOROOT than it was
// warmed with) with the image's GOCACHE builds a net/http program compiling only its main
// package, with and without -trimpath. CGO_ENABLED=0 stands for the image's "no C compiler".
func TestGoCacheHitsWithPrunedToolchain(t *testing.T) {
	if testing.Short() {
		t.Skip("needs the full catalog")
	}
	c := fullCatalog(t)
	e, _ := c.Resolve("golang")
	im, err := image.Open(e.Store, e.Digest, image.Options{})
	if err != nil {
		t.Fatal(err)
	}
	root := t.TempDir()
	extractLayers(t, im, root)
	gorootDir := filepath.Join(root, "usr", "local", "go")
	cache := filepath.Join(root, "root", ".cache", "go-build")
	src := t.TempDir()
	os.WriteFile(filepath.Join(src, "main.go"), []byte(helloMain), 0o644)
	os.WriteFile(filepath.Join(src, "go.mod"), []byte("module example.com/learner\n\ngo 1.22\n"), 0o644)

	for _, flags := range [][]string{nil, {"-trimpath", "-ldflags=-s -w"}} {
		args := append([]string{"build", "-x", "-o", filepath.Join(src, "app")}, flags...)
		cmd := exec.Command(filepath.Join(gorootDir, "bin", "go"), append(args, ".")...)
		cmd.Dir = src
		cmd.Env = []string{
			"PATH=/usr/bin:/bin", "HOME=" + root, "GOENV=off", "GOROOT=" + gorootDir, "GOCACHE=" + cache,
			"GOPATH=" + filepath.Join(root, "go"), "GOTOOLCHAIN=local", "GOPROXY=off", "CGO_ENABLED=0", "GOTELEMETRY=off",
		}
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("go %v: %v\n%s", args, err, out)
		}
		var compiled []string
		for _, line := range strings.Split(string(out), "\n") {
			if strings.Contains(line, "/compile -o") {
				compiled = append(compiled, packageOf(line))
			}
		}
		if len(compiled) != 1 || compiled[0] != "main" {
			t.Errorf("go build %v compiled %d packages %v; want only main", flags, len(compiled), compiled)
		}
	}
}

// packageOf reads the -p flag of a compile command line.
func packageOf(line string) string {
	f := strings.Fields(line)
	for i := range f[:len(f)-1] {
		if f[i] == "-p" {
			return f[i+1]
		}
	}
	return fmt.Sprint(f)
}
