package sandbox

import (
	"fmt"
	"reflect"
	"strings"
	"testing"
)

func TestInDockerfileOrder(t *testing.T) {
	steps := []Step{
		{Name: "[internal] load build definition from Dockerfile"},
		{Name: "[stage-1 1/2] COPY --from=build /out/app /app"},
		{Name: "[build 3/4] RUN go build -o /out/app ."},
		{Name: "[context golang] load from client"},
		{Name: "[build 1/4] FROM golang"},
		{Name: "[stage-1 2/2] RUN true"},
		{Name: "[build 2/4] COPY . ."},
		{Name: "[build 4/4] RUN go vet ./..."},
	}
	got := InDockerfileOrder(steps, []string{"build", ""})
	var names []string
	for _, s := range got {
		names = append(names, s.Name)
	}
	want := []string{
		"[internal] load build definition from Dockerfile",
		"[context golang] load from client",
		"[build 1/4] FROM golang",
		"[build 2/4] COPY . .",
		"[build 3/4] RUN go build -o /out/app .",
		"[build 4/4] RUN go vet ./...",
		"[stage-1 1/2] COPY --from=build /out/app /app",
		"[stage-1 2/2] RUN true",
	}
	if !reflect.DeepEqual(names, want) {
		t.Errorf("order:\n%q\nwant\n%q", names, want)
	}
	// Stage names match without regard to case; an unknown stage goes last.
	got = InDockerfileOrder([]Step{{Name: "[other 1/1] FROM x"}, {Name: "[Build 1/1] FROM y"}}, []string{"build"})
	if got[0].Name != "[Build 1/1] FROM y" {
		t.Errorf("got %v", got)
	}
	// One stage: BuildKit names no stage ("[2/3] …"); the steps still come in the file's order,
	// whatever order they finished in.
	got = InDockerfileOrder([]Step{{Name: "[3/3] RUN rm /tmp/x"}, {Name: "[2/3] RUN make"}, {Name: "[1/3] FROM busybox"}}, []string{""})
	for i, s := range got {
		if want := fmt.Sprintf("[%d/3]", i+1); !strings.HasPrefix(s.Name, want) {
			t.Errorf("step %d is %q, want %s…", i, s.Name, want)
		}
	}
}
