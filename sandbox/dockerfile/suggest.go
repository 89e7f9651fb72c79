package dockerfile

import (
	"strings"
)

// SuggestStage returns the name of the stage among stages that name most likely meant, or false.
// Unnamed stages are never suggested. In order of preference:
//  1. the stage itself when only the case differs;
//  2. a stage whose name has the word as one of its parts, or the other way round
//     (`set` → `license-set`, `build-stage` → `build`); separators are - _ and .;
//  3. a stage whose name contains the word or is contained in it (at least three letters);
//  4. the closest name by edit distance, counting a swap of two neighbours as one edit
//     (`biulder` → `builder`), within one edit per two letters of the word (at least one).
//
// Each tier wins over the next, so a short word that happens to be one edit from an unrelated
// name (`set` vs `test`) still finds the stage whose name holds it.
func SuggestStage(name string, stages []Stage) (string, bool) {
	lower := strings.ToLower(name)
	if lower == "" {
		return "", false
	}
	var names []string
	for _, s := range stages {
		if s.Name == "" {
			continue
		}
		if s.Name == lower {
			return s.Name, true
		}
		names = append(names, s.Name)
	}
	words := parts(lower)
	for _, n := range names { // 2: a whole part matches
		for _, p := range parts(n) {
			if p == lower || (len(p) >= 3 && contains(words, p)) {
				return n, true
			}
		}
	}
	if len(lower) >= 3 { // 3: containment
		for _, n := range names {
			if strings.Contains(n, lower) || (len(n) >= 3 && strings.Contains(lower, n)) {
				return n, true
			}
		}
	}
	best, bestD := "", max(1, len(lower)/2)+1
	for _, n := range names { // 4: edit distance
		if d := editDistance(lower, n); d < bestD {
			best, bestD = n, d
		}
	}
	return best, best != ""
}

func parts(s string) []string {
	return strings.FieldsFunc(s, func(r rune) bool { return r == '-' || r == '_' || r == '.' })
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// editDistance is the optimal string alignment distance: insertions, deletions, substitutions
// and swaps of two neighbouring letters each count one.
func editDistance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	d := make([][]int, len(ra)+1)
	for i := range d {
		d[i] = make([]int, len(rb)+1)
		d[i][0] = i
	}
	for j := range d[0] {
		d[0][j] = j
	}
	for i := 1; i <= len(ra); i++ {
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			d[i][j] = min(d[i-1][j]+1, d[i][j-1]+1, d[i-1][j-1]+cost)
			if i > 1 && j > 1 && ra[i-1] == rb[j-2] && ra[i-2] == rb[j-1] {
				d[i][j] = min(d[i][j], d[i-2][j-2]+1)
			}
		}
	}
	return d[len(ra)][len(rb)]
}
