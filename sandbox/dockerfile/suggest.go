package dockerfile

import (
	"strings"

	"github.com/moby/buildkit/util/suggest"
)

// SuggestStage returns the name of the stage among stages that name most likely meant: the
// stage itself when only the case differs, else the closest name within BuildKit's suggestion
// distance (Levenshtein < 3, as util/suggest). Unnamed stages are never suggested.
func SuggestStage(name string, stages []Stage) (string, bool) {
	lower := strings.ToLower(name)
	names := make([]string, 0, len(stages))
	for _, s := range stages {
		if s.Name == "" {
			continue
		}
		if s.Name == lower {
			return s.Name, true
		}
		names = append(names, s.Name)
	}
	if lower == "" {
		return "", false
	}
	return suggest.Search(lower, names, true)
}
