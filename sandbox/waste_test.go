package sandbox

import (
	"context"
	"testing"
)

// A file deleted by a later RUN is still in the image: the report must say how much, where it
// lives and which instruction hid it.
func TestImageInfoMeasuresWastedSpace(t *testing.T) {
	sb := testCatalogSandbox(t)
	df := []byte("FROM busybox\n" +
		"RUN head -c 102400 /dev/zero > /big && echo keep > /keep\n" +
		"RUN rm /big && echo again > /keep\n")
	res, err := sb.Build(context.Background(), Request{Dockerfile: df, Export: true})
	if err != nil || res.Failure != nil {
		t.Fatalf("build: %v %+v", err, res.Failure)
	}
	im, err := sb.OpenImage(res.Manifest)
	if err != nil {
		t.Fatal(err)
	}
	info, err := ImageInfoOf(im, 5)
	if err != nil {
		t.Fatal(err)
	}
	w := info.Waste
	// /big (100 KiB) deleted, and the first /keep ("keep\n") replaced by the second.
	if w == nil || w.WastedBytes != 102400+5 {
		t.Fatalf("waste = %+v, want 102405 bytes", w)
	}
	if f := w.Files[0]; f.Path != "/big" || f.How != "deleted" || f.HiddenBy != f.Layer+1 {
		t.Errorf("largest wasted file = %+v", f)
	}
	big := info.Layers[w.Files[0].Layer]
	if big.WastedBytes != 102405 || big.CreatedBy == "" {
		t.Errorf("layer holding the waste = %+v", big)
	}
	if w.Efficiency >= 1 || w.Efficiency <= 0 {
		t.Errorf("efficiency = %v", w.Efficiency)
	}
}

func TestInstructionOf(t *testing.T) {
	for in, want := range map[string]string{
		"RUN /bin/sh -c rm -rf /src # buildkit":      "RUN rm -rf /src",
		"COPY --from=build /out/app /app # buildkit": "COPY --from=build /out/app /app",
		"/bin/sh -c #(nop) ADD file:abc in / ":       "#(nop) ADD file:abc in /",
		"ENV PATH=/usr/local/go/bin":                 "ENV PATH=/usr/local/go/bin",
	} {
		if got := InstructionOf(in); got != want {
			t.Errorf("InstructionOf(%q) = %q, want %q", in, got, want)
		}
	}
}
