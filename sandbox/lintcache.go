package sandbox

import (
	"crypto/sha256"
	"encoding/hex"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"

	"github.com/stagecraft/stagecraft/sandbox/catalog"
)

// lintCache holds BuildKit's lint of the Dockerfiles a sandbox has linted, by lintKey. The
// linter is a pure function of what the key covers, so a hit is the answer the daemon would
// give; it is emptied when the sandbox lets go of its daemon.
type lintCache struct {
	mu sync.Mutex
	m  map[string][]LintFinding
}

// maxLints bounds the cache: a grading run lints one Dockerfile per student, and a learner's
// edits each make a new one.
const maxLints = 256

func (c *lintCache) get(key string) ([]LintFinding, bool) {
	if key == "" {
		return nil, false
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	found, ok := c.m[key]
	return slices.Clone(found), ok
}

func (c *lintCache) put(key string, found []LintFinding) {
	if key == "" {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.m == nil || len(c.m) >= maxLints {
		c.m = map[string][]LintFinding{}
	}
	c.m[key] = slices.Clone(found)
}

func (c *lintCache) reset() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.m = nil
}

// lintKey digests what the Dockerfile frontend reads when it lints: the Dockerfile, every
// frontend attribute (build args, target, the policy's, the named contexts) and the context's
// .dockerignore. It is empty — never cached — when an external image is not pinned by digest
// through a named context: a registry tag may move, and with it the base image's config the
// linter looks at.
func lintKey(req Request, needed []ImageRef, attrs map[string]string) string {
	for _, ref := range needed {
		k, err := catalog.ContextKey(ref.Ref)
		if err != nil || !strings.Contains(attrs[k], "@sha256:") {
			return ""
		}
	}
	h := sha256.New()
	field := func(s string) {
		h.Write([]byte(s))
		h.Write([]byte{0})
	}
	field(string(req.Dockerfile))
	keys := make([]string, 0, len(attrs))
	for k := range attrs {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		field(k)
		field(attrs[k])
	}
	if req.ContextDir != "" {
		// A link is not followed out of a submission, not even to hash it: such a context is
		// linted every time.
		p := filepath.Join(req.ContextDir, ".dockerignore")
		st, err := os.Lstat(p)
		switch {
		case os.IsNotExist(err):
			field("")
		case err != nil || !st.Mode().IsRegular():
			return ""
		default:
			ignore, err := os.ReadFile(p)
			if err != nil {
				return ""
			}
			field(string(ignore))
		}
	}
	return hex.EncodeToString(h.Sum(nil))
}
