package progress

import (
	"context"
	"errors"
	"math/rand/v2"
	"os"
	"path/filepath"
	"testing"
)

func TestZZCorrupt(t *testing.T) {
	dir := t.TempDir()
	orig := filepath.Join(dir, "orig.db")
	bigStore(t, orig)
	good, _ := os.ReadFile(orig)
	r := rand.New(rand.NewPCG(1, 2))
	refusedN, openedN := 0, 0
	for i := range 300 {
		b := append([]byte(nil), good...)
		off := r.IntN(len(b))
		n := 1 + r.IntN(64)
		for j := off; j < min(off+n, len(b)); j++ {
			b[j] = byte(r.IntN(256))
		}
		p := filepath.Join(dir, "c.db")
		os.Remove(p + "-wal"); os.Remove(p + "-shm")
		os.WriteFile(p, b, 0o600)
		s, err := Open(context.Background(), p, Options{})
		if err != nil {
			after, _ := os.ReadFile(p)
			if string(after) != string(b) {
				t.Errorf("%d: refused (%v) but changed the file", i, err)
			}
			if !errors.Is(err, ErrUnusable) {
				t.Errorf("%d off %d: not an UnusableError: %v", i, off, err)
			}
			refusedN++
			continue
		}
		openedN++
		if _, err := s.Learners(context.Background()); err != nil {
			t.Logf("%d off %d: opened but read fails: %v", i, off, err)
		}
		s.Close()
	}
	t.Logf("refused %d opened %d", refusedN, openedN)
}
