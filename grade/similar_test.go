package grade

import (
	"slices"
	"testing"
)

const (
	reference = "FROM golang:1.22 AS build\nWORKDIR /src\nCOPY . .\nRUN CGO_ENABLED=0 go build -o /out/hello .\n\nFROM gcr.io/distroless/static\nCOPY --from=build /out/hello /hello\nENTRYPOINT [\"/hello\"]\n"
	starter   = "FROM golang:1.22\nWORKDIR /src\nCOPY . .\nRUN go build -o /usr/local/bin/hello .\nCMD [\"/usr/local/bin/hello\"]\n"
	// The same as mine below, written differently: comments, blank lines, case, continuations and
	// the stage's name.
	theirs = "# my solution\nfrom golang:1.22-alpine as compile\nworkdir /app\n\ncopy . .\nrun CGO_ENABLED=0 \\\n    go build -ldflags=\"-s -w\" -o /bin/app .\nfrom scratch\ncopy --from=compile /bin/app /app\nuser 65534\nentrypoint [\"/app\"]\n"
	mine   = "FROM golang:1.22-alpine AS builder\nWORKDIR   /app\nCOPY . .\nRUN CGO_ENABLED=0 go build -ldflags=\"-s -w\" -o /bin/app .\n# final\nFROM scratch\nCOPY --from=builder /bin/app /app\nUSER 65534\nENTRYPOINT [\"/app\"]\n"
	other  = "FROM golang:1.22 AS b\nCOPY main.go go.mod ./\nRUN go build -o /x .\nFROM busybox\nCOPY --from=b /x /usr/bin/x\nRUN adduser -D app\nUSER app\nCMD [\"x\"]\n"
)

func TestNormalize(t *testing.T) {
	a, b := normalize([]byte(mine)), normalize([]byte(theirs))
	if !slices.Equal(a, b) {
		t.Errorf("normalised differently:\n%q\n%q", a, b)
	}
	if lineRatio(a, normalize([]byte(other))) > 0.5 {
		t.Error("unrelated Dockerfiles read as similar")
	}
	// A stage name inside a mount or as a base is renamed too; a path that contains it is not.
	got := normalize([]byte("FROM alpine AS deps\nFROM deps AS app\nRUN --mount=type=cache,from=deps,target=/deps cp /deps/x /x\n"))
	want := []string{"from alpine", "from stage0", "run --mount=type=cache,from=stage0,target=/deps cp /deps/x /x"}
	if !slices.Equal(got, want) {
		t.Errorf("got %q\nwant %q", got, want)
	}
	// What does not parse is compared line by line, on the same terms.
	broken := normalize([]byte("FROM scratch\n# note\nCOPPY  a   b\n"))
	if !slices.Equal(broken, []string{"from scratch", "coppy a b"}) {
		t.Errorf("unparseable: %q", broken)
	}
}

func TestFindSimilar(t *testing.T) {
	res := func(id, df string) Result { return Result{Student: id, Status: StatusGraded, Dockerfile: df} }
	results := []Result{
		res("ann", mine), res("ben", theirs), res("cat", other),
		// Both copy the reference: like the given material, not paired.
		res("dan", reference), res("eva", "# copied\n"+reference),
		res("fay", ""), {Student: "gus", Status: StatusMissing},
	}
	pairs, given := FindSimilar(results, Given([]byte(starter), []byte(reference), nil), DefaultSimilarity)
	if len(pairs) != 1 || pairs[0].A != "ann" || pairs[0].B != "ben" || !pairs[0].Identical || pairs[0].Similarity != 1 {
		t.Errorf("pairs %+v, want ann ~ ben identical", pairs)
	}
	if !slices.Equal(given, []string{"dan", "eva"}) {
		t.Errorf("like the given material: %q", given)
	}
	if pairs, _ := FindSimilar(results, nil, 0); len(pairs) != 0 {
		t.Error("threshold 0 still flags pairs")
	}
	// Without the given material, the two copies of the reference are a pair like any other.
	pairs, _ = FindSimilar(results, nil, DefaultSimilarity)
	if len(pairs) != 2 {
		t.Errorf("pairs %+v, want ann~ben and dan~eva", pairs)
	}
}

func TestFindSimilarDiscountsTheGivenMaterial(t *testing.T) {
	hint := "Fill in the blanks:\n\n```dockerfile\nFROM scratch\nCOPY --from=____ /out/hello /hello\nENTRYPOINT [\"/hello\"]\n```\n"
	given := Given([]byte(starter), []byte(reference), []string{hint})
	if len(given) != 3 {
		t.Fatalf("given %d Dockerfiles, want the starter, the reference and the hint's snippet", len(given))
	}
	build := "FROM golang:1.22 AS build\nWORKDIR /src\nCOPY . .\nRUN CGO_ENABLED=0 go build -o /out/hello .\n"
	res := func(id, final string) Result {
		return Result{Student: id, Status: StatusGraded, Dockerfile: build + final}
	}
	results := []Result{
		// Both took the hint's final stage, one added USER: alike, but in what everyone was given.
		res("ann", "FROM scratch\nCOPY --from=build /out/hello /hello\nENTRYPOINT [\"/hello\"]\n"),
		res("ben", "FROM scratch\nCOPY --from=build /out/hello /hello\nUSER 65534\nENTRYPOINT [\"/hello\"]\n"),
		// Their own final stages, the same down to the odd path: a pair.
		res("cat", "FROM busybox\nCOPY --from=build /out/hello /srv/www/hello\nUSER 10001:10001\nCMD [\"/srv/www/hello\", \"-port\", \"9090\"]\n"),
		res("dan", "# mine\nfrom busybox\ncopy --from=build /out/hello /srv/www/hello\nuser 10001:10001\ncmd [\"/srv/www/hello\", \"-port\", \"9090\"]\n"),
	}
	pairs, _ := FindSimilar(results, given, DefaultSimilarity)
	if len(pairs) != 1 || pairs[0].A != "cat" || pairs[0].B != "dan" {
		t.Errorf("pairs %+v, want only cat ~ dan", pairs)
	}
}

func TestBuildKey(t *testing.T) {
	if buildKey([]byte(mine)) != buildKey([]byte(mine+"LABEL x=y\n")) {
		t.Error("a change in the final stage changes the build key")
	}
	if buildKey([]byte(mine)) == buildKey([]byte(other)) {
		t.Error("different build stages share a key")
	}
	if buildKey([]byte("FROM scratch\nCOPY a /a\n")) != "" {
		t.Error("a single stage has a build key")
	}
}
