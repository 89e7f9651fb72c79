package main

import (
	"os"
	"strings"
	"testing"
)

func TestTemplatesRender(t *testing.T) {
	tmpl, err := loadTemplates("templates")
	if err != nil {
		t.Fatal(err)
	}
	want, err := os.ReadFile("testdata/index.golden")
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	page := Page{Title: "Notes", Version: "test", Notes: []string{"one", "two"}}
	if err := tmpl.ExecuteTemplate(&b, "index.html", page); err != nil {
		t.Fatal(err)
	}
	if b.String() != string(want) {
		t.Errorf("index.html rendered\n%s\nwant\n%s", b.String(), want)
	}
}
