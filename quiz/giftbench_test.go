package quiz_test

import (
	"bytes"
	"fmt"
	"strings"
	"testing"

	"github.com/stagecraft/stagecraft/quiz"
)

// courseGIFT exports the course's questions again and again, each copy under new ids, until the
// file holds at least size bytes: a large LMS export with every kind of question ExportGIFT writes.
func courseGIFT(t testing.TB, size int) []byte {
	t.Helper()
	base := courseQuestions(t)
	var b bytes.Buffer
	for round := 0; b.Len() < size; round++ {
		qs := make([]*quiz.Question, len(base))
		for i, q := range base {
			c := *q
			c.ID = fmt.Sprintf("%s-%d", q.ID, round)
			qs[i] = &c
		}
		if _, err := quiz.ExportGIFT(&b, qs, ""); err != nil {
			t.Fatal(err)
		}
	}
	return b.Bytes()
}

// longGIFT writes questions of lines lines each (a long prompt, then its answers) until the file
// holds at least size bytes: the shape of an export whose questions carry long listings.
func longGIFT(size, lines int) []byte {
	var b bytes.Buffer
	for n := 0; b.Len() < size; n++ {
		fmt.Fprintf(&b, "::long-%d:: Which line of this build log shows the cache being reused?\n", n)
		for i := range lines - 3 {
			fmt.Fprintf(&b, "#%d [build %d/%d] RUN go build -o /out/app ./cmd/app  # step %d\n", i, i%9, 9, i)
		}
		b.WriteString("{=the CACHED one ~the first one\n~the last one}\n\n")
	}
	return b.Bytes()
}

// importGIFT is what `stagecraft quiz import` does with a file: read it, make a quiz, check it.
func importGIFT(tb testing.TB, data []byte) *quiz.GIFTImport {
	imp, err := quiz.ReadGIFT("big.gift", data, quiz.GIFTOptions{IDPrefix: "big"})
	if err != nil {
		tb.Fatal(err)
	}
	if _, _, err := quiz.QuizFromGIFT("big.gift", imp, "big", "Big", "big"); err != nil {
		tb.Fatal(err)
	}
	return imp
}

func BenchmarkImportGIFT(b *testing.B) {
	files := []struct {
		name string
		data []byte
	}{
		{"course-7MiB", courseGIFT(b, 7<<20)},
		{"long-questions-7MiB", longGIFT(7<<20, 1000)},
	}
	for _, f := range files {
		b.Run(f.name, func(b *testing.B) {
			b.SetBytes(int64(len(f.data)))
			b.ReportAllocs()
			for b.Loop() {
				importGIFT(b, f.data)
			}
		})
	}
}

// A question of many lines is read with a number of allocations that does not grow with its
// lines. Each line used to be added to the question's text by string concatenation, copying all
// the text before it: one allocation per line and bytes quadratic in the question's size (a
// 7 MB file took 53 s and 2.9 GB). Counting allocations catches that without timing anything.
func TestReadGIFTLongQuestionAllocations(t *testing.T) {
	const lines = 20000
	data := longGIFT(1, lines) // one question
	imp := importGIFT(t, data)
	if len(imp.Questions) != 1 || strings.Count(imp.Questions[0].Prompt, "\n") != lines-3 {
		t.Fatalf("read %d questions, want one with a prompt of %d lines", len(imp.Questions), lines-2)
	}
	allocs := testing.AllocsPerRun(3, func() {
		if _, err := quiz.ReadGIFT("long.gift", data, quiz.GIFTOptions{}); err != nil {
			t.Fatal(err)
		}
	})
	t.Logf("%d lines (%d KiB): %.0f allocations", lines, len(data)>>10, allocs)
	if allocs > lines/10 {
		t.Errorf("reading one question of %d lines made %.0f allocations, want fewer than %d: something is done per line", lines, allocs, lines/10)
	}

	// Positions stay right: a warning on the last line of a long block names that line.
	var b strings.Builder
	b.WriteString("::many:: Pick {\n")
	for i := range lines {
		fmt.Fprintf(&b, "~option %d\n", i)
	}
	b.WriteString("=right\n  ~%50%half\n}\n")
	imp, err := quiz.ReadGIFT("many.gift", []byte(b.String()), quiz.GIFTOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if len(imp.Warnings) != 1 || imp.Warnings[0].Line != lines+3 || imp.Warnings[0].Col != 3 {
		t.Errorf("warnings %v, want one at line %d col 3", imp.Warnings, lines+3)
	}
}
