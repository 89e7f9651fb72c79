package sandbox

import (
	"compress/gzip"
	"context"
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"testing"

	ocispec "github.com/opencontainers/image-spec/specs-go/v1"
)

const singleStageGo = `FROM golang:1.22
WORKDIR /src
COPY . .
RUN go build -o /hello .
CMD ["/hello"]
`

const multiStageGo = `FROM golang:1.22 AS build
WORKDIR /src
COPY go.mod main.go ./
RUN CGO_ENABLED=0 go build -o /hello .

FROM scratch
COPY --from=build /hello /hello
ENTRYPOINT ["/hello"]
`

// The course's central claim, measured: the same Go server, single-stage and multi-stage,
// both built offline from the catalog.
func TestGoSingleVsMultiStage(t *testing.T) {
	sb := testCatalogSandbox(t)
	ctx := context.Background()
	build := func(df string) *Result {
		t.Helper()
		res, err := sb.Build(ctx, Request{Dockerfile: []byte(df), ContextDir: "testdata/gohello", Export: true})
		if err != nil {
			t.Fatal(err)
		}
		if res.Failure != nil {
			t.Fatalf("build failed: %+v", res.Failure)
		}
		return res
	}
	single, multi := build(singleStageGo), build(multiStageGo)
	si, err := sb.OpenImage(single.Manifest)
	if err != nil {
		t.Fatal(err)
	}
	mi, err := sb.OpenImage(multi.Manifest)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("single stage: %s unpacked, %s compressed; multi-stage: %s unpacked, %s compressed",
		HumanBytes(si.UnpackedSize()), HumanBytes(si.CompressedSize()), HumanBytes(mi.UnpackedSize()), HumanBytes(mi.CompressedSize()))
	if mi.UnpackedSize()*10 >= si.UnpackedSize() {
		t.Errorf("multi-stage image is %d bytes, not under 10%% of the single-stage %d", mi.UnpackedSize(), si.UnpackedSize())
	}
	fs, err := mi.Files()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := fs.Lstat("/usr/local/go"); err == nil {
		t.Error("the multi-stage image contains /usr/local/go")
	}
	if _, err := fs.Stat("/hello"); err != nil {
		t.Errorf("the multi-stage image has no /hello: %v", err)
	}
	sfs, err := si.Files()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := sfs.Stat("/usr/local/go/bin/go"); err != nil {
		t.Errorf("the single-stage image should carry the toolchain: %v", err)
	}
	for _, im := range []struct {
		name string
		res  *Result
	}{{"single", single}, {"multi", multi}} {
		compressed, unpacked := independentSizes(t, sb.ImagesDir(), im.res)
		got, err := sb.OpenImage(im.res.Manifest)
		if err != nil {
			t.Fatal(err)
		}
		if got.CompressedSize() != compressed || got.UnpackedSize() != unpacked {
			t.Errorf("%s: sandbox says %d compressed / %d unpacked, the layout says %d / %d",
				im.name, got.CompressedSize(), got.UnpackedSize(), compressed, unpacked)
		}
	}

	again := build(multiStageGo)
	if again.CachedSteps != again.TotalSteps {
		for _, st := range again.Steps {
			t.Logf("step %q cached=%v internal=%v started=%v completed=%v", st.Name, st.Cached, st.Internal, st.Started != nil, st.Completed != nil)
		}
		t.Errorf("rebuilding the unchanged multi-stage Dockerfile: %d of %d steps cached", again.CachedSteps, again.TotalSteps)
	}
}

// independentSizes reads the OCI layout directly: blob sizes on disk, and the byte count of
// each layer's decompressed tar.
func independentSizes(t *testing.T, dir string, res *Result) (compressed, unpacked int64) {
	t.Helper()
	blob := func(d string) string { return filepath.Join(dir, "blobs", "sha256", d[len("sha256:"):]) }
	b, err := os.ReadFile(blob(res.Manifest.String()))
	if err != nil {
		t.Fatal(err)
	}
	var m ocispec.Manifest
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	for _, l := range m.Layers {
		st, err := os.Stat(blob(l.Digest.String()))
		if err != nil {
			t.Fatal(err)
		}
		compressed += st.Size()
		f, err := os.Open(blob(l.Digest.String()))
		if err != nil {
			t.Fatal(err)
		}
		var r io.Reader = f
		if l.MediaType == ocispec.MediaTypeImageLayerGzip || l.MediaType == "application/vnd.docker.image.rootfs.diff.tar.gzip" {
			zr, err := gzip.NewReader(f)
			if err != nil {
				t.Fatal(err)
			}
			r = zr
		}
		n, err := io.Copy(io.Discard, r)
		f.Close()
		if err != nil {
			t.Fatal(err)
		}
		unpacked += n
	}
	return compressed, unpacked
}
