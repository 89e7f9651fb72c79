package sandbox

import (
	"reflect"
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
}
