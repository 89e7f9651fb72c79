package image

import (
	"archive/tar"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"sort"
	"strings"
)

// Match is one place a searched value occurs.
type Match struct {
	// Where is "layer", "env", "label", "cmd", "entrypoint", "healthcheck", "user", "workdir",
	// "history" or "config" (anywhere else in the config blob).
	Where  string
	Layer  int    // layer index for "layer", history index for "history"
	Path   string // file in the layer ("layer"), or the env/label key
	Offset int64  // byte offset in the file; -1 when the value is in the file's name or link
	// Visible is false for a file a later layer deleted or replaced: the value is still in the
	// image (anyone can extract the layer) but not in a running container.
	Visible bool
}

// String describes the match in a learner's terms.
func (m Match) String() string {
	switch m.Where {
	case "layer":
		s := fmt.Sprintf("layer %d, %s", m.Layer+1, m.Path)
		if m.Offset < 0 {
			s += " (in the name)"
		}
		if !m.Visible {
			s += " (deleted by a later layer, still stored in this one)"
		}
		return s
	case "history":
		return fmt.Sprintf("build history entry %d", m.Layer+1)
	case "env", "label":
		return fmt.Sprintf("%s %s", m.Where, m.Path)
	}
	return m.Where
}

// Grep searches the image for value: every file of every layer (files deleted by later layers
// included, names and link targets too), the config and the build history. It decompresses
// every layer; nothing is cached, so the value is never written anywhere.
func (im *Image) Grep(value []byte) ([]Match, error) {
	return im.GrepContext(context.Background(), value)
}

// GrepContext is Grep with cancellation.
func (im *Image) GrepContext(ctx context.Context, value []byte) ([]Match, error) {
	if len(value) == 0 {
		return nil, errors.New("grep: empty value")
	}
	fsys, err := im.Files()
	if err != nil {
		return nil, err
	}
	matches := im.grepConfig(value)
	buf := make([]byte, 1<<20)
	for i, l := range im.Layers {
		err := walkLayer(ctx, im.Dir, l, func(h *tar.Header, r io.Reader) error {
			p := cleanPath(h.Name)
			visible := false
			if f, err := fsys.Lstat(p); err == nil && f.Layer == i && f.Path == p {
				visible = true
			}
			if bytes.Contains([]byte(h.Name), value) || bytes.Contains([]byte(h.Linkname), value) {
				matches = append(matches, Match{Where: "layer", Layer: i, Path: p, Offset: -1, Visible: visible})
			}
			if h.Typeflag != tar.TypeReg && h.Typeflag != tar.TypeRegA {
				return nil
			}
			offs, err := scan(r, value, buf)
			for _, off := range offs {
				matches = append(matches, Match{Where: "layer", Layer: i, Path: p, Offset: off, Visible: visible})
			}
			return err
		}, nil)
		if err != nil {
			return nil, fmt.Errorf("searching layer %d (%s): %w", i+1, l.Digest, err)
		}
	}
	return matches, nil
}

// scan returns every offset of value in r, reading it in chunks of buf that overlap by
// len(value)-1 so a match across a chunk boundary is found once.
func scan(r io.Reader, value, buf []byte) ([]int64, error) {
	var offs []int64
	keep := len(value) - 1
	if keep >= len(buf)/2 {
		buf = make([]byte, 2*len(value))
	}
	var base int64 // offset in the file of buf[0]
	n := 0         // bytes valid in buf
	for {
		m, err := io.ReadFull(r, buf[n:])
		n += m
		for start := 0; ; {
			i := bytes.Index(buf[start:n], value)
			if i < 0 {
				break
			}
			offs = append(offs, base+int64(start+i))
			start += i + 1
		}
		if err == io.EOF || err == io.ErrUnexpectedEOF {
			return offs, nil
		}
		if err != nil {
			return offs, err
		}
		// Carry the tail that could start a match, but never one already reported.
		carry := keep
		if carry > n {
			carry = n
		}
		copy(buf, buf[n-carry:n])
		base += int64(n - carry)
		n = carry
	}
}

func (im *Image) grepConfig(value []byte) []Match {
	var out []Match
	v := string(value)
	c := im.Config
	for _, e := range c.Env {
		if strings.Contains(e, v) {
			k, _, _ := strings.Cut(e, "=")
			out = append(out, Match{Where: "env", Path: k, Offset: -1, Visible: true})
		}
	}
	keys := make([]string, 0, len(c.Labels))
	for k := range c.Labels {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		if strings.Contains(k, v) || strings.Contains(c.Labels[k], v) {
			out = append(out, Match{Where: "label", Path: k, Offset: -1, Visible: true})
		}
	}
	fields := []struct {
		where string
		vals  []string
	}{
		{"cmd", c.Cmd}, {"entrypoint", c.Entrypoint}, {"user", []string{c.User}}, {"workdir", []string{c.WorkingDir}},
	}
	if c.Healthcheck != nil {
		fields = append(fields, struct {
			where string
			vals  []string
		}{"healthcheck", c.Healthcheck.Test})
	}
	for _, f := range fields {
		for _, s := range f.vals {
			if strings.Contains(s, v) {
				out = append(out, Match{Where: f.where, Offset: -1, Visible: true})
				break
			}
		}
	}
	for i, h := range im.History {
		if strings.Contains(h.CreatedBy, v) || strings.Contains(h.Comment, v) {
			out = append(out, Match{Where: "history", Layer: i, Offset: -1, Visible: true})
		}
	}
	if len(out) == 0 && bytes.Contains(im.RawConfig, value) {
		out = append(out, Match{Where: "config", Offset: -1, Visible: true})
	}
	return out
}
