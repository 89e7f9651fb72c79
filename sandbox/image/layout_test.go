package image

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/klauspost/compress/zstd"
	"github.com/opencontainers/go-digest"
	ocispec "github.com/opencontainers/image-spec/specs-go/v1"
)

// The test layouts are written here by hand, independently of the catalog's writer, so the
// reader is checked against OCI as written, not against our own writer's habits.

type tfile struct {
	name string
	typ  byte
	body string
	link string
	mode int64
}

func reg(name, body string) tfile {
	return tfile{name: name, typ: tar.TypeReg, body: body, mode: 0o644}
}
func dir(name string) tfile { return tfile{name: name, typ: tar.TypeDir, mode: 0o755} }
func symlink(name, to string) tfile {
	return tfile{name: name, typ: tar.TypeSymlink, link: to, mode: 0o777}
}
func hardlink(name, to string) tfile {
	return tfile{name: name, typ: tar.TypeLink, link: to, mode: 0o644}
}
func whiteout(name string) tfile { return reg(name, "") }
func tarOf(t *testing.T, files []tfile) []byte {
	t.Helper()
	var b bytes.Buffer
	tw := tar.NewWriter(&b)
	for _, f := range files {
		h := &tar.Header{Name: f.name, Typeflag: f.typ, Mode: f.mode, Linkname: f.link, ModTime: time.Unix(1e9, 0)}
		if f.typ == tar.TypeReg {
			h.Size = int64(len(f.body))
		}
		if err := tw.WriteHeader(h); err != nil {
			t.Fatal(err)
		}
		if _, err := tw.Write([]byte(f.body)); err != nil {
			t.Fatal(err)
		}
	}
	if err := tw.Close(); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

type tlayer struct {
	files       []tfile
	compression string // "", "gzip", "zstd"
	createdBy   string
}

func putBlob(t *testing.T, dir string, b []byte) digest.Digest {
	t.Helper()
	d := digest.FromBytes(b)
	p := filepath.Join(dir, "blobs", "sha256", d.Encoded())
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, b, 0o644); err != nil {
		t.Fatal(err)
	}
	return d
}

// writeLayout writes an OCI layout with one image made of layers, and returns the manifest digest.
func writeLayout(t *testing.T, dir string, layers []tlayer, cfg ocispec.ImageConfig, extraConfig map[string]any) digest.Digest {
	t.Helper()
	var m ocispec.Manifest
	m.SchemaVersion = 2
	m.MediaType = ocispec.MediaTypeImageManifest
	img := map[string]any{"architecture": "amd64", "os": "linux"}
	var diffIDs []digest.Digest
	var history []ocispec.History
	for _, l := range layers {
		raw := tarOf(t, l.files)
		diffIDs = append(diffIDs, digest.FromBytes(raw))
		blob, mt := raw, ocispec.MediaTypeImageLayer
		switch l.compression {
		case "gzip":
			var b bytes.Buffer
			zw := gzip.NewWriter(&b)
			zw.Write(raw)
			zw.Close()
			blob, mt = b.Bytes(), ocispec.MediaTypeImageLayerGzip
		case "zstd":
			zw, _ := zstd.NewWriter(nil)
			blob, mt = zw.EncodeAll(raw, nil), ocispec.MediaTypeImageLayerZstd
		}
		d := putBlob(t, dir, blob)
		m.Layers = append(m.Layers, ocispec.Descriptor{MediaType: mt, Digest: d, Size: int64(len(blob))})
		history = append(history, ocispec.History{CreatedBy: "ENV X=1", EmptyLayer: true}, ocispec.History{CreatedBy: l.createdBy})
	}
	cfgJSON, _ := json.Marshal(cfg)
	var cfgMap map[string]any
	json.Unmarshal(cfgJSON, &cfgMap)
	for k, v := range extraConfig {
		cfgMap[k] = v
	}
	img["config"] = cfgMap
	img["rootfs"] = ocispec.RootFS{Type: "layers", DiffIDs: diffIDs}
	img["history"] = history
	cb, _ := json.Marshal(img)
	m.Config = ocispec.Descriptor{MediaType: ocispec.MediaTypeImageConfig, Digest: putBlob(t, dir, cb), Size: int64(len(cb))}
	mb, _ := json.Marshal(m)
	md := putBlob(t, dir, mb)
	idx := ocispec.Index{MediaType: ocispec.MediaTypeImageIndex, Manifests: []ocispec.Descriptor{
		{MediaType: ocispec.MediaTypeImageManifest, Digest: md, Size: int64(len(mb))},
	}}
	idx.SchemaVersion = 2
	ib, _ := json.Marshal(idx)
	if err := os.WriteFile(filepath.Join(dir, "index.json"), ib, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "oci-layout"), []byte(`{"imageLayoutVersion":"1.0.0"}`), 0o644); err != nil {
		t.Fatal(err)
	}
	return md
}

const secret = "hunter2-d0-not-ship"

// threeLayers adds, deletes and opaque-deletes:
//
//	layer 1 (gzip): /app/{secret.env,keep.txt}, /data/{a,b}, /etc/motd
//	layer 2 (tar):  deletes /app/secret.env; /data is made opaque and gets c; /bin/tool + hard link
//	layer 3 (zstd): /etc/motd becomes a symlink to /app/keep.txt; /lib -> usr/lib; /usr/lib/big
func threeLayers() []tlayer {
	return []tlayer{
		{compression: "gzip", createdBy: "COPY . /app", files: []tfile{
			dir("app/"), reg("app/secret.env", "TOKEN="+secret+"\n"), reg("app/keep.txt", "kept\n"),
			dir("data/"), reg("data/a", "a"), reg("data/b", "bb"),
			dir("etc/"), reg("etc/motd", "hello"),
		}},
		{compression: "", createdBy: "RUN rm /app/secret.env", files: []tfile{
			dir("app/"), whiteout("app/.wh.secret.env"),
			dir("data/"), reg("data/c", "ccc"), whiteout("data/.wh..wh..opq"),
			dir("bin/"), reg("bin/tool", "#!/bin/sh\necho tool\n"), hardlink("bin/tool2", "bin/tool"),
		}},
		{compression: "zstd", createdBy: "RUN ln -s", files: []tfile{
			symlink("etc/motd", "../app/keep.txt"),
			dir("usr/"), dir("usr/lib/"), reg("usr/lib/big", string(bytes.Repeat([]byte("x"), 4096))),
			symlink("lib", "usr/lib"),
		}},
	}
}
