package grade

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/stagecraft/stagecraft/sandbox"
	"github.com/stagecraft/stagecraft/sandbox/check"
)

// PlanHash identifies what submissions are graded against: the checks, the starter, the
// reference and the exercise's context. A re-grade against a different hash checks everyone.
func PlanHash(plan check.Plan) (string, error) {
	h := sha256.New()
	checks, err := json.Marshal(plan.Checks)
	if err != nil {
		return "", err
	}
	fmt.Fprintf(h, "%s\x00%d\x00", plan.Exercise, len(checks))
	h.Write(checks)
	for _, df := range [][]byte{plan.Starter, plan.Reference} {
		fmt.Fprintf(h, "%d\x00", len(df))
		h.Write(df)
	}
	if plan.ContextDir != "" {
		err := filepath.WalkDir(plan.ContextDir, func(p string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			rel, _ := filepath.Rel(plan.ContextDir, p)
			fmt.Fprintf(h, "%s\x00%v\x00", filepath.ToSlash(rel), d.IsDir())
			// A link is hashed by its target's name, never followed: it is sent to BuildKit as
			// a link, so what it points to is not part of the context.
			if d.Type()&fs.ModeSymlink != 0 {
				t, err := os.Readlink(p)
				if err != nil {
					return err
				}
				fmt.Fprintf(h, "L\x00%s\x00", t)
			}
			if d.Type().IsRegular() {
				b, _, err := sandbox.ReadRegular(p, filepath.ToSlash(rel), 0)
				if err != nil {
					return err
				}
				fmt.Fprintf(h, "%d\x00", len(b))
				h.Write(b)
			}
			return nil
		})
		if err != nil {
			return "", fmt.Errorf("hashing the exercise's context: %w", err)
		}
	}
	return "sha256:" + hex.EncodeToString(h.Sum(nil)), nil
}
