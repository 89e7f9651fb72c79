package catalog

import (
	"archive/zip"
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"strings"
)

// packWheel packs an installed pure-Python package (its folder and its .egg-info or
// .dist-info beside it) into a wheel, name-version-py3-none-any.whl. The python image needs
// one for `wheel`: with no PyPI, pip's isolated build environment installs setuptools and
// wheel from PIP_FIND_LINKS, and Debian ships setuptools as a wheel but wheel only installed.
func packWheel(pkgDir, metaDir string) (name string, data []byte, err error) {
	base := strings.TrimSuffix(strings.TrimSuffix(filepath.Base(metaDir), ".egg-info"), ".dist-info")
	dist, version, ok := strings.Cut(base, "-")
	if !ok {
		return "", nil, fmt.Errorf("%s: no version in the name", metaDir)
	}
	info := dist + "-" + version + ".dist-info"
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	var record strings.Builder
	add := func(name string, content []byte) error {
		w, err := zw.CreateHeader(&zip.FileHeader{Name: name, Method: zip.Deflate, Modified: fixedTime()})
		if err != nil {
			return err
		}
		if _, err := w.Write(content); err != nil {
			return err
		}
		sum := sha256.Sum256(content)
		fmt.Fprintf(&record, "%s,sha256=%s,%d\n", name, base64.RawURLEncoding.EncodeToString(sum[:]), len(content))
		return nil
	}
	err = filepath.WalkDir(pkgDir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			if d.Name() == "__pycache__" {
				return filepath.SkipDir
			}
			return nil
		}
		if !d.Type().IsRegular() {
			return nil
		}
		rel, _ := filepath.Rel(filepath.Dir(pkgDir), p)
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		return add(filepath.ToSlash(rel), b)
	})
	if err != nil {
		return "", nil, err
	}
	metadata, err := os.ReadFile(filepath.Join(metaDir, "PKG-INFO"))
	if err != nil {
		metadata, err = os.ReadFile(filepath.Join(metaDir, "METADATA"))
	}
	if err != nil {
		return "", nil, fmt.Errorf("%s has no PKG-INFO or METADATA", metaDir)
	}
	if err := add(path.Join(info, "METADATA"), metadata); err != nil {
		return "", nil, err
	}
	if ep, err := os.ReadFile(filepath.Join(metaDir, "entry_points.txt")); err == nil {
		if err := add(path.Join(info, "entry_points.txt"), ep); err != nil {
			return "", nil, err
		}
	}
	wheelMeta := "Wheel-Version: 1.0\nGenerator: stagecraft catalog\nRoot-Is-Purelib: true\nTag: py3-none-any\n"
	if err := add(path.Join(info, "WHEEL"), []byte(wheelMeta)); err != nil {
		return "", nil, err
	}
	fmt.Fprintf(&record, "%s,,\n", path.Join(info, "RECORD"))
	w, err := zw.CreateHeader(&zip.FileHeader{Name: path.Join(info, "RECORD"), Method: zip.Deflate, Modified: fixedTime()})
	if err != nil {
		return "", nil, err
	}
	if _, err := w.Write([]byte(record.String())); err != nil {
		return "", nil, err
	}
	if err := zw.Close(); err != nil {
		return "", nil, err
	}
	return dist + "-" + version + "-py3-none-any.whl", buf.Bytes(), nil
}
