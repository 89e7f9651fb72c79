package image

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"errors"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/klauspost/compress/zstd"
	ocispec "github.com/opencontainers/image-spec/specs-go/v1"
)

func openThree(t *testing.T, cacheDir string) (*Image, string) {
	t.Helper()
	dir := t.TempDir()
	writeLayout(t, dir, threeLayers(), ocispec.ImageConfig{
		User:         "65532",
		Cmd:          []string{"/app/server"},
		Env:          []string{"PATH=/bin", "MODE=prod"},
		ExposedPorts: map[string]struct{}{"8080/tcp": {}, "443/tcp": {}},
		WorkingDir:   "/app",
		Labels:       map[string]string{"org.example": "yes"},
	}, map[string]any{"Healthcheck": map[string]any{"Test": []string{"CMD", "/app/server", "-health"}, "Interval": int64(30 * time.Second), "Retries": 3}})
	im, err := Open(dir, "", Options{CacheDir: cacheDir})
	if err != nil {
		t.Fatal(err)
	}
	return im, dir
}

func TestOpenReadsConfigAndLayers(t *testing.T) {
	im, _ := openThree(t, "")
	c := im.Config
	if c.User != "65532" || c.WorkingDir != "/app" || !reflect.DeepEqual(c.Cmd, []string{"/app/server"}) {
		t.Errorf("config = %+v", c)
	}
	if !reflect.DeepEqual(c.ExposedPorts, []string{"443/tcp", "8080/tcp"}) {
		t.Errorf("ports = %v", c.ExposedPorts)
	}
	if c.Healthcheck == nil || c.Healthcheck.Interval != 30*time.Second || c.Healthcheck.Retries != 3 {
		t.Errorf("healthcheck = %+v", c.Healthcheck)
	}
	if len(im.Layers) != 3 || len(im.History) != 6 {
		t.Fatalf("%d layers, %d history entries", len(im.Layers), len(im.History))
	}
	want := []string{"COPY . /app", "RUN rm /app/secret.env", "RUN ln -s"}
	for i, l := range im.Layers {
		if l.CreatedBy != want[i] {
			t.Errorf("layer %d created by %q, want %q (empty-layer history entries must be skipped)", i, l.CreatedBy, want[i])
		}
	}
	if im.Layers[0].MediaType != ocispec.MediaTypeImageLayerGzip || im.Layers[2].MediaType != ocispec.MediaTypeImageLayerZstd {
		t.Errorf("media types %s %s", im.Layers[0].MediaType, im.Layers[2].MediaType)
	}
}

// The sizes agree with an independent reading of the same layout: blob sizes from the files on
// disk, uncompressed sizes by decompressing each blob here with other decoders.
func TestSizesAgreeWithLayoutOnDisk(t *testing.T) {
	im, dir := openThree(t, "")
	mb, err := os.ReadFile(filepath.Join(dir, "blobs", "sha256", im.ManifestDigest.Encoded()))
	if err != nil {
		t.Fatal(err)
	}
	var m ocispec.Manifest
	if err := json.Unmarshal(mb, &m); err != nil {
		t.Fatal(err)
	}
	var onDisk, fromManifest, uncompressed int64
	for _, l := range m.Layers {
		p := filepath.Join(dir, "blobs", "sha256", l.Digest.Encoded())
		st, err := os.Stat(p)
		if err != nil {
			t.Fatal(err)
		}
		onDisk += st.Size()
		fromManifest += l.Size
		uncompressed += decompressedLen(t, p, l.MediaType)
	}
	if im.CompressedSize() != onDisk || im.CompressedSize() != fromManifest {
		t.Errorf("CompressedSize = %d, blobs on disk %d, manifest %d", im.CompressedSize(), onDisk, fromManifest)
	}
	if im.UnpackedSize() != uncompressed {
		t.Errorf("UnpackedSize = %d, decompressed here %d", im.UnpackedSize(), uncompressed)
	}
	if im.UnpackedSize() <= im.Layers[1].UncompressedSize {
		t.Errorf("sizes look wrong: %+v", im.Layers)
	}
}

func decompressedLen(t *testing.T, p, mediaType string) int64 {
	t.Helper()
	f, err := os.Open(p)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var r io.Reader = f
	switch {
	case strings.HasSuffix(mediaType, "+gzip"):
		zr, err := gzip.NewReader(f)
		if err != nil {
			t.Fatal(err)
		}
		r = zr
	case strings.HasSuffix(mediaType, "+zstd"):
		zr, err := zstd.NewReader(f)
		if err != nil {
			t.Fatal(err)
		}
		defer zr.Close()
		r = zr
	}
	n, err := io.Copy(io.Discard, r)
	if err != nil {
		t.Fatal(err)
	}
	return n
}

func TestFilesAppliesWhiteouts(t *testing.T) {
	im, _ := openThree(t, "")
	fsys, err := im.Files()
	if err != nil {
		t.Fatal(err)
	}
	for _, gone := range []string{"/app/secret.env", "/data/a", "/data/b", "/app/.wh.secret.env", "/data/.wh..wh..opq"} {
		if _, err := fsys.Lstat(gone); !errors.Is(err, fs.ErrNotExist) {
			t.Errorf("%s: err = %v, want not exist", gone, err)
		}
	}
	list, err := fsys.List("/data")
	if err != nil {
		t.Fatal(err)
	}
	if len(list) != 1 || list[0].Path != "/data/c" || list[0].Size != 3 || list[0].Layer != 1 {
		t.Errorf("/data after the opaque whiteout = %+v, want only c from layer 2", list)
	}
	if f, err := fsys.Lstat("/app/keep.txt"); err != nil || f.Layer != 0 || f.Size != 5 {
		t.Errorf("/app/keep.txt = %+v, %v", f, err)
	}
	// /etc/motd was a file, then a symlink: Lstat sees the link, Stat and ReadFile follow it.
	if f, err := fsys.Lstat("/etc/motd"); err != nil || f.Mode&fs.ModeSymlink == 0 {
		t.Errorf("lstat /etc/motd = %+v, %v", f, err)
	}
	if f, err := fsys.Stat("/etc/motd"); err != nil || f.Path != "/app/keep.txt" {
		t.Errorf("stat /etc/motd = %+v, %v", f, err)
	}
	if b, err := fsys.ReadFile("/etc/motd", 100); err != nil || string(b) != "kept\n" {
		t.Errorf("read /etc/motd = %q, %v", b, err)
	}
	// A symlinked parent directory is followed.
	if f, err := fsys.Stat("/lib/big"); err != nil || f.Path != "/usr/lib/big" || f.Size != 4096 {
		t.Errorf("stat /lib/big = %+v, %v", f, err)
	}
	// A hard link reads its target's content and reports its size.
	if b, err := fsys.ReadFile("/bin/tool2", 100); err != nil || !strings.Contains(string(b), "echo tool") {
		t.Errorf("read /bin/tool2 = %q, %v", b, err)
	}
	if f, _ := fsys.Lstat("/bin/tool2"); f.Size != int64(len("#!/bin/sh\necho tool\n")) {
		t.Errorf("hard link size = %d", f.Size)
	}
	b, err := fsys.ReadFile("/usr/lib/big", 10)
	if !errors.Is(err, ErrTruncated) || len(b) != 10 {
		t.Errorf("limited read = %d bytes, %v", len(b), err)
	}
	if top := fsys.Largest(2); len(top) != 2 || top[0].Path != "/usr/lib/big" || top[1].Path != "/bin/tool" {
		t.Errorf("largest = %+v", top)
	}
	var walked []string
	fsys.Walk(func(f File) error {
		walked = append(walked, f.Path)
		if f.Path == "/usr" {
			return fs.SkipDir
		}
		return nil
	})
	want := []string{"/", "/app", "/app/keep.txt", "/bin", "/bin/tool", "/bin/tool2", "/data", "/data/c", "/etc", "/etc/motd", "/lib", "/usr"}
	if !reflect.DeepEqual(walked, want) {
		t.Errorf("walk = %v\nwant   %v", walked, want)
	}
}

func TestGrepFindsValueInDeletedFile(t *testing.T) {
	im, _ := openThree(t, "")
	ms, err := im.Grep([]byte(secret))
	if err != nil {
		t.Fatal(err)
	}
	if len(ms) != 1 {
		t.Fatalf("matches = %+v, want one", ms)
	}
	m := ms[0]
	if m.Where != "layer" || m.Layer != 0 || m.Path != "/app/secret.env" || m.Offset != int64(len("TOKEN=")) || m.Visible {
		t.Errorf("match = %+v", m)
	}
	if !strings.Contains(m.String(), "deleted by a later layer") {
		t.Errorf("description %q does not say the file was deleted", m.String())
	}
	if ms, _ := im.Grep([]byte("not-anywhere-at-all")); len(ms) != 0 {
		t.Errorf("absent value matched: %+v", ms)
	}
	// Config and history are searched too.
	ms, _ = im.Grep([]byte("prod"))
	if len(ms) != 1 || ms[0].Where != "env" || ms[0].Path != "MODE" {
		t.Errorf("env match = %+v", ms)
	}
	ms, _ = im.Grep([]byte("rm /app/secret"))
	if len(ms) != 1 || ms[0].Where != "history" || ms[0].Layer != 3 {
		t.Errorf("history match = %+v", ms)
	}
}

func TestScanAcrossChunkBoundaries(t *testing.T) {
	value := []byte("abcab")
	// "abcababcab...": occurrences every 5 bytes plus the overlapping ones at 3, 8, ...
	data := append([]byte("xx"), bytes.Repeat(value, 7)...)
	var want []int64
	for i := 0; i+len(value) <= len(data); i++ {
		if bytes.Equal(data[i:i+len(value)], value) {
			want = append(want, int64(i))
		}
	}
	for _, size := range []int{8, 9, 10, 13, 64} {
		got, err := scan(bytes.NewReader(data), value, make([]byte, size))
		if err != nil || !reflect.DeepEqual(got, want) {
			t.Errorf("buffer %d: offsets %v, want %v (%v)", size, got, want, err)
		}
	}
}

// A warm Open reads facts from the sidecars and never opens a layer blob: with the layer blobs
// moved away it still succeeds (and a cold Open of the same layout fails).
func TestWarmOpenDoesNotReadLayers(t *testing.T) {
	cache := t.TempDir()
	im, dir := openThree(t, cache)
	side, _ := filepath.Glob(filepath.Join(cache, "sha256-*.json"))
	if len(side) != 3 {
		t.Fatalf("%d sidecars, want 3", len(side))
	}
	for _, l := range im.Layers {
		p := filepath.Join(dir, "blobs", "sha256", l.Digest.Encoded())
		if err := os.Rename(p, p+".away"); err != nil {
			t.Fatal(err)
		}
	}
	warm, err := Open(dir, im.ManifestDigest, Options{CacheDir: cache})
	if err != nil {
		t.Fatalf("warm open read a layer: %v", err)
	}
	if warm.UnpackedSize() != im.UnpackedSize() {
		t.Errorf("warm size %d, cold %d", warm.UnpackedSize(), im.UnpackedSize())
	}
	fsys, err := warm.Files()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := fsys.Stat("/data/c"); err != nil {
		t.Error(err)
	}
	if _, err := Open(dir, im.ManifestDigest, Options{}); err == nil {
		t.Error("cold open without layer blobs succeeded")
	}
}

func TestCorruptLayerIsAnError(t *testing.T) {
	im, dir := openThree(t, "")
	p := filepath.Join(dir, "blobs", "sha256", im.Layers[1].Digest.Encoded()) // the uncompressed one
	b, _ := os.ReadFile(p)
	i := bytes.Index(b, []byte("echo tool"))
	b[i] = 'E'
	os.WriteFile(p, b, 0o644)
	_, err := Open(dir, im.ManifestDigest, Options{})
	if err == nil || !strings.Contains(err.Error(), "corrupt") {
		t.Errorf("err = %v, want a corrupt-layout error", err)
	}
}

func TestOpenPicksPlatformFromIndex(t *testing.T) {
	dir := t.TempDir()
	md := writeLayout(t, dir, threeLayers()[:1], ocispec.ImageConfig{}, nil)
	mb, _ := os.ReadFile(filepath.Join(dir, "blobs", "sha256", md.Encoded()))
	other := []byte(`{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json"}`)
	od := putBlob(t, dir, other)
	idx, _ := json.Marshal(ocispec.Index{MediaType: ocispec.MediaTypeImageIndex, Manifests: []ocispec.Descriptor{
		{MediaType: ocispec.MediaTypeImageManifest, Digest: od, Size: int64(len(other)), Platform: &ocispec.Platform{OS: "linux", Architecture: "s390x"}},
		{MediaType: ocispec.MediaTypeImageManifest, Digest: md, Size: int64(len(mb)), Platform: &ocispec.Platform{OS: "linux", Architecture: runtime.GOARCH}},
	}})
	id := putBlob(t, dir, idx)
	im, err := Open(dir, id, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if im.ManifestDigest != md {
		t.Errorf("picked %s, want the amd64 manifest %s", im.ManifestDigest, md)
	}
}
