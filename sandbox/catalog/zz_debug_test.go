package catalog

import (
	"context"
	"os"
	"testing"
)

func TestZZDebugBuild(t *testing.T) {
	dir := os.Getenv("DBG_DIR")
	if dir == "" {
		t.Skip()
	}
	if _, err := Open(dir).Build(context.Background(), testLog{t}); err != nil {
		t.Fatal(err)
	}
}
