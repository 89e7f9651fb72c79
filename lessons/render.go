package lessons

import (
	"fmt"
	"regexp"
	"strings"
	"sync"

	"charm.land/glamour/v2"
	"charm.land/glamour/v2/ansi"
	"charm.land/glamour/v2/styles"
	xansi "github.com/charmbracelet/x/ansi"
)

// Style is how rendered Markdown looks.
type Style int

const (
	StyleDark  Style = iota // colours for a dark terminal background
	StyleLight              // colours for a light background
	StylePlain              // no colour or other escape codes: NO_COLOR, pipes, tests, golden files
)

func (s Style) String() string {
	switch s {
	case StyleDark:
		return "dark"
	case StyleLight:
		return "light"
	case StylePlain:
		return "plain"
	}
	return fmt.Sprintf("Style(%d)", int(s))
}

// StyleFor picks the style for a terminal: plain when colour is off (NO_COLOR set, or not a
// terminal), else dark or light after the background.
func StyleFor(dark, noColor bool) Style {
	switch {
	case noColor:
		return StylePlain
	case dark:
		return StyleDark
	}
	return StyleLight
}

// MinWidth is the narrowest width lessons are written for; Render clamps to it.
const MinWidth = 60

// CodeWidth is the widest a line of a lesson's code block may be: at MinWidth, after the page's
// and the code's indent, it is what is left. The course check enforces it, so code is never
// re-wrapped at any width from MinWidth up.
const CodeWidth = MinWidth - 2

// Renderer renders lesson Markdown for the terminal, reusing one Glamour renderer per width and
// style (building one is far slower than rendering a lesson). Keep one per program (the zero
// value is ready) and share it: it is safe for concurrent use. It keeps the renderers for the
// few most recent widths, so resizing a window does not grow it.
type Renderer struct {
	mu      sync.Mutex
	entries []*rendererEntry // most recently used last
}

type rendererEntry struct {
	width int
	style Style
	mu    sync.Mutex // a TermRenderer renders one document at a time
	tr    *glamour.TermRenderer
}

const keepRenderers = 6

// NewRenderer returns an empty Renderer.
func NewRenderer() *Renderer { return &Renderer{} }

// Render renders markdown to fit width columns in style. Prose wraps at width; code blocks keep
// their lines as written (Dockerfiles and ASCII diagrams must not be re-flowed), so a code line
// longer than width minus the margins (4 columns) overflows — the content check keeps lesson code
// within the 60-column minimum. ```dockerfile (and Dockerfile, containerfile, docker) blocks are
// highlighted as Dockerfiles; blocks without a language are left plain. A width below MinWidth
// renders at MinWidth.
func (r *Renderer) Render(markdown string, width int, style Style) (string, error) {
	e, err := r.entry(max(width, MinWidth), style)
	if err != nil {
		return "", err
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	out, err := e.tr.Render(prepareMarkdown(markdown))
	if err != nil {
		return "", fmt.Errorf("rendering Markdown: %w", err)
	}
	if style == StylePlain {
		out = xansi.Strip(out) // Glamour writes hyperlinks (OSC 8) even without colours
	}
	return fitWidth(out, e.width), nil
}

func (r *Renderer) entry(width int, style Style) (*rendererEntry, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	for i, e := range r.entries {
		if e.width == width && e.style == style {
			r.entries = append(append(r.entries[:i:i], r.entries[i+1:]...), e)
			return e, nil
		}
	}
	tr, err := newTermRenderer(width, style)
	if err != nil {
		return nil, err
	}
	e := &rendererEntry{width: width, style: style, tr: tr}
	if len(r.entries) >= keepRenderers {
		r.entries = append(r.entries[:0:0], r.entries[1:]...)
	}
	r.entries = append(r.entries, e)
	return e, nil
}

// Render renders markdown once with a renderer made for the call. Code that renders more than
// once keeps a Renderer instead.
func Render(markdown string, width int, dark bool) (string, error) {
	return NewRenderer().Render(markdown, width, StyleFor(dark, false))
}

func newTermRenderer(width int, style Style) (*glamour.TermRenderer, error) {
	var cfg ansi.StyleConfig
	switch style {
	case StyleDark:
		cfg = styles.DarkStyleConfig
	case StyleLight:
		cfg = styles.LightStyleConfig
		// Glamour registers its code theme under one global name ("charm") with the colours of
		// whichever style highlights first; a named Chroma theme keeps light and dark apart.
		cfg.CodeBlock.Chroma = nil
		cfg.CodeBlock.Theme = "github"
	case StylePlain:
		cfg = styles.NoTTYStyleConfig
	default:
		return nil, fmt.Errorf("unknown style %v", style)
	}
	// Glamour's margins (2 on each side of the page, 2 more before code) leave a 60-column
	// terminal 54 columns of code. Lessons are written to CodeWidth (58): the page gets a
	// 1-column indent and no right margin, code 1 more column of indent.
	pageIndent, codeIndent := uint(1), uint(1)
	cfg.Document.Margin, cfg.Document.Indent = nil, &pageIndent
	cfg.CodeBlock.Margin, cfg.CodeBlock.Indent = &codeIndent, nil
	tr, err := glamour.NewTermRenderer(
		glamour.WithStyles(cfg),
		glamour.WithWordWrap(width),
	)
	if err != nil {
		return nil, fmt.Errorf("making a Markdown renderer: %w", err)
	}
	return tr, nil
}

var fenceOpen = regexp.MustCompile("^( {0,3})(`{3,}|~{3,})[ \t]*([^ \t`]*)(.*)$")

// dockerfileLangs are the info strings authors use for Dockerfiles; Chroma's lexer is "docker".
var dockerfileLangs = map[string]bool{"dockerfile": true, "docker": true, "containerfile": true}

// prepareMarkdown names the lexer of every fenced code block: Dockerfile spellings become
// "docker" (losing any snippet attributes after them), and a block with no language becomes
// "text" so that Chroma does not guess one and colour an ASCII diagram as if it were code.
func prepareMarkdown(md string) string {
	lines := strings.SplitAfter(md, "\n")
	var fs fenceScanner
	changed := false
	for i, line := range lines {
		body := strings.TrimRight(line, "\r\n")
		kind, m := fs.step(body)
		if kind != fenceOpening {
			continue
		}
		lang, rest := m[3], m[4]
		switch {
		case lang == "":
			lang = "text"
		case dockerfileLangs[strings.ToLower(lang)]:
			// Snippet attributes (complete, context=…) are for the content check, not the
			// reader: they go, so no renderer can ever show them.
			lang, rest = "docker", ""
		default:
			continue
		}
		lines[i] = m[1] + m[2] + lang + rest + line[len(body):]
		changed = true
	}
	if !changed {
		return md
	}
	return strings.Join(lines, "")
}

type lineKind int

const (
	textLine lineKind = iota
	fenceOpening
	codeLine
	fenceClosing
)

// fenceScanner follows fenced code blocks (``` or ~~~, CommonMark rules) line by line.
type fenceScanner struct {
	fence string // the open fence's marker, "" outside a code block
}

// step classifies the next line (without its line ending); for an opening fence it also returns
// fenceOpen's submatches (indent, marker, language, rest).
func (s *fenceScanner) step(line string) (lineKind, []string) {
	if s.fence != "" {
		t := strings.TrimSpace(line)
		if strings.HasPrefix(t, s.fence) && strings.Trim(t, s.fence[:1]) == "" && len(line)-len(strings.TrimLeft(line, " ")) < 4 {
			s.fence = ""
			return fenceClosing, nil
		}
		return codeLine, nil
	}
	m := fenceOpen.FindStringSubmatch(line)
	if m == nil || (m[2][0] == '`' && strings.Contains(m[4], "`")) {
		return textLine, nil
	}
	s.fence = m[2]
	return fenceOpening, m
}

// fitWidth makes sure no line is wider than width. Glamour's wrapping leaves a list item's line
// a column or two too wide now and then (it does not count the bullet), and pads some lines past
// the edge: padding is cut, and a line with text past the edge is wrapped again with a hanging
// indent under its text.
func fitWidth(out string, width int) string {
	lines := strings.Split(out, "\n")
	var b strings.Builder
	b.Grow(len(out))
	for i, line := range lines {
		if i > 0 {
			b.WriteByte('\n')
		}
		if xansi.StringWidth(line) <= width {
			b.WriteString(line)
			continue
		}
		indent := hangingIndent(xansi.Strip(line))
		if indent > width/2 {
			indent = 0
		}
		parts := strings.Split(xansi.Wrap(line, width, ""), "\n")
		for j, p := range parts {
			if j > 0 {
				p = strings.TrimLeft(p, " ")
				if xansi.StringWidth(p) == 0 {
					b.WriteString(p) // escape codes only: keep them, add no line
					continue
				}
				b.WriteByte('\n')
				b.WriteString(strings.Repeat(" ", indent))
			}
			limit := width
			if j > 0 {
				limit -= indent
			}
			b.WriteString(cut(p, limit))
		}
	}
	return b.String()
}

// cut fits one wrapped piece into limit columns: trailing space is dropped, and text that still
// does not fit (a word longer than the line) is broken.
func cut(s string, limit int) string {
	if xansi.StringWidth(s) <= limit {
		return s
	}
	if xansi.StringWidth(strings.TrimRight(xansi.Strip(s), " ")) <= limit {
		return xansi.Truncate(s, limit, "")
	}
	return xansi.Hardwrap(s, limit, false)
}

var listMarker = regexp.MustCompile(`^ *(?:[•*+-]|\d{1,9}[.)]) `)

// hangingIndent is where a wrapped line's text starts: after its indent and any list marker.
func hangingIndent(plain string) int {
	if m := listMarker.FindString(plain); m != "" {
		return xansi.StringWidth(m)
	}
	return len(plain) - len(strings.TrimLeft(plain, " "))
}
