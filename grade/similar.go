package grade

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"regexp"
	"sort"
	"strings"

	"github.com/stagecraft/stagecraft/sandbox/dockerfile"
)

// Similarity is a pair of submissions whose Dockerfiles read nearly the same once whitespace,
// comments, case and stage names are set aside: a hint for the instructor to look, never a
// verdict.
type Similarity struct {
	A          string  `json:"a"`
	B          string  `json:"b"`
	Similarity float64 `json:"similarity"` // 0..1: the share of instructions in common, in order
	Identical  bool    `json:"identical"`  // the same instructions after normalising
}

// DefaultSimilarity is the threshold above which a pair is flagged.
const DefaultSimilarity = 0.9

// FindSimilar flags pairs of results whose Dockerfiles are near-identical: at least threshold
// alike as a whole, and as alike in what they add to the material every student was given (the
// starter, the reference solution, the hints' Dockerfile snippets) — two students who both
// copied the hint share it with the whole class, not with each other. A submission must add at
// least two instructions of its own to be paired. likeGiven lists the submissions
// near-identical to a given Dockerfile.
func FindSimilar(results []Result, given [][]byte, threshold float64) (pairs []Similarity, likeGiven []string) {
	pairs = []Similarity{}
	if threshold <= 0 {
		return pairs, nil
	}
	var givenLines [][]string
	givenSet := map[string]bool{}
	for _, df := range given {
		lines := normalize(df)
		if len(lines) == 0 {
			continue
		}
		givenLines = append(givenLines, lines)
		for _, l := range lines {
			givenSet[l] = true
		}
	}
	type sub struct {
		id         string
		lines, own []string
	}
	var subs []sub
	for _, r := range results {
		if r.Dockerfile == "" || r.Truncated || r.Status == StatusMissing {
			continue
		}
		s := sub{id: r.Student, lines: normalize([]byte(r.Dockerfile))}
		if len(s.lines) == 0 {
			continue
		}
		for _, l := range s.lines {
			if !givenSet[l] {
				s.own = append(s.own, l)
			}
		}
		for _, g := range givenLines {
			if lineRatio(s.lines, g) >= threshold {
				likeGiven = append(likeGiven, s.id)
				break
			}
		}
		subs = append(subs, s)
	}
	const minOwn = 2
	for i := range subs {
		for j := i + 1; j < len(subs); j++ {
			a, b := subs[i], subs[j]
			ratio := lineRatio(a.lines, b.lines)
			if ratio < threshold {
				continue
			}
			if len(givenLines) > 0 && (len(a.own) < minOwn || len(b.own) < minOwn || lineRatio(a.own, b.own) < threshold) {
				continue
			}
			pairs = append(pairs, Similarity{A: a.id, B: b.id, Similarity: float64(int(ratio*1000)) / 1000, Identical: ratio == 1})
		}
	}
	sort.SliceStable(pairs, func(i, j int) bool { return pairs[i].Similarity > pairs[j].Similarity })
	sort.Strings(likeGiven)
	return pairs, likeGiven
}

// fence finds the Dockerfile snippets of a Markdown text (```dockerfile … ```).
var fence = regexp.MustCompile("(?s)```(?:dockerfile|Dockerfile|docker)[^\n]*\n(.*?)```")

// Given is the material every student was given: the starter, the reference solution and the
// Dockerfile snippets of the exercise's hints.
func Given(starter, reference []byte, hints []string) [][]byte {
	var out [][]byte
	for _, df := range [][]byte{starter, reference} {
		if len(df) > 0 {
			out = append(out, df)
		}
	}
	for _, h := range hints {
		for _, m := range fence.FindAllStringSubmatch(h, -1) {
			out = append(out, []byte(m[1]))
		}
	}
	return out
}

// lineRatio is 2·LCS/(len(a)+len(b)) over the instruction lines: 1 when they are the same.
func lineRatio(a, b []string) float64 {
	if len(a)+len(b) == 0 {
		return 1
	}
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for i := 1; i <= len(a); i++ {
		for j := 1; j <= len(b); j++ {
			switch {
			case a[i-1] == b[j-1]:
				cur[j] = prev[j-1] + 1
			case prev[j] >= cur[j-1]:
				cur[j] = prev[j]
			default:
				cur[j] = cur[j-1]
			}
		}
		prev, cur = cur, prev
	}
	return 2 * float64(prev[len(b)]) / float64(len(a)+len(b))
}

// maxCompared bounds the Dockerfiles compared: beyond it a file is not a plausible copy of
// another, and the comparison would cost more than it tells.
const maxCompared = keptDockerfile

// normalize reads a Dockerfile as BuildKit does and returns its instructions as comparable
// lines: comments and blank lines dropped, continuations joined, whitespace collapsed,
// lower-cased, and stage names replaced by their position (FROM … AS build → stage0).
// A Dockerfile that does not parse is compared line by line on the same terms.
func normalize(df []byte) []string {
	if len(df) == 0 || len(df) > maxCompared {
		return nil
	}
	a, err := dockerfile.Analyze("Dockerfile", df, dockerfile.Options{})
	if err != nil {
		return rawLines(df)
	}
	names := map[string]string{}
	for _, s := range a.Stages {
		if s.Name != "" {
			names[s.Name] = fmt.Sprintf("stage%d", s.Index)
		}
	}
	var out []string
	for _, m := range a.MetaArgs {
		out = append(out, "arg "+strings.ToLower(m.Name))
	}
	for _, s := range a.Stages {
		line := "from " + renameStages(strings.ToLower(s.Base), names)
		if s.Platform != "" {
			line += " --platform=" + strings.ToLower(s.Platform)
		}
		out = append(out, line)
		for _, in := range s.Instructions {
			out = append(out, renameStages(collapse(strings.ToLower(in.Original)), names))
		}
	}
	return out
}

// renameStages replaces stage names in a line's words and in their key=value parts
// (--from=build, --mount=type=cache,from=build).
func renameStages(line string, names map[string]string) string {
	if len(names) == 0 {
		return line
	}
	words := strings.Fields(line)
	for i, w := range words {
		parts := strings.FieldsFunc(w, func(r rune) bool { return r == '=' || r == ',' })
		changed := false
		for _, p := range parts {
			if _, ok := names[p]; ok {
				changed = true
			}
		}
		if !changed {
			continue
		}
		var b strings.Builder
		start := 0
		for k := 0; k <= len(w); k++ {
			if k == len(w) || w[k] == '=' || w[k] == ',' {
				part := w[start:k]
				if n, ok := names[part]; ok {
					part = n
				}
				b.WriteString(part)
				if k < len(w) {
					b.WriteByte(w[k])
				}
				start = k + 1
			}
		}
		words[i] = b.String()
	}
	return strings.Join(words, " ")
}

func collapse(s string) string { return strings.Join(strings.Fields(s), " ") }

// rawLines is normalize for a Dockerfile BuildKit cannot parse.
func rawLines(df []byte) []string {
	var out []string
	var cont strings.Builder
	sc := bufio.NewScanner(bytes.NewReader(df))
	sc.Buffer(make([]byte, 64<<10), maxCompared)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		if strings.HasSuffix(line, "\\") {
			cont.WriteString(strings.TrimSuffix(line, "\\") + " ")
			continue
		}
		cont.WriteString(line)
		out = append(out, collapse(strings.ToLower(cont.String())))
		cont.Reset()
	}
	if cont.Len() > 0 {
		out = append(out, collapse(strings.ToLower(cont.String())))
	}
	return out
}

// buildKey names what a submission builds before its final stage, so submissions that share
// it can be sent to the same daemon and build it once. "" when there is nothing before it.
func buildKey(df []byte) string {
	lines := normalize(df)
	last := -1
	for i, l := range lines {
		if strings.HasPrefix(l, "from ") {
			last = i
		}
	}
	if last <= 0 {
		return ""
	}
	h := sha256.Sum256([]byte(strings.Join(lines[:last], "\n")))
	return hex.EncodeToString(h[:8])
}
