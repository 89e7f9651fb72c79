package tui

import (
	"strings"
)

// dockerfileKeywords are the instructions highlighted at the start of a line.
var dockerfileKeywords = map[string]bool{
	"FROM": true, "RUN": true, "COPY": true, "ADD": true, "WORKDIR": true, "ENV": true, "ARG": true,
	"USER": true, "EXPOSE": true, "ENTRYPOINT": true, "CMD": true, "LABEL": true, "HEALTHCHECK": true,
	"VOLUME": true, "SHELL": true, "STOPSIGNAL": true, "ONBUILD": true, "MAINTAINER": true,
}

// highlightDockerfile colours one line: comments faint, the instruction bold, AS names accented.
func highlightDockerfile(s Styles, line string) string {
	trim := strings.TrimLeft(line, " \t")
	if strings.HasPrefix(trim, "#") {
		return s.Faint.Render(line)
	}
	lead := line[:len(line)-len(trim)]
	word, rest, _ := strings.Cut(trim, " ")
	if !dockerfileKeywords[strings.ToUpper(word)] {
		return line
	}
	if rest != "" || strings.HasSuffix(trim, " ") {
		rest = " " + rest
	}
	return lead + s.Keyword.Render(word) + rest
}
