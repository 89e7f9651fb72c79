// Command notes renders a couple of pages from HTML templates that it reads
// at start-up, so the templates must ship with the binary.
package main

import (
	"flag"
	"fmt"
	"html/template"
	"log"
	"net/http"
	"os"
	"path/filepath"
)

const version = "v2.1.0"

// Page is what every template is rendered with.
type Page struct {
	Title   string
	Version string
	Notes   []string
}

// loadTemplates parses every .html file of dir.
func loadTemplates(dir string) (*template.Template, error) {
	t, err := template.ParseGlob(filepath.Join(dir, "*.html"))
	if err != nil {
		return nil, fmt.Errorf("loading templates from %s: %w", dir, err)
	}
	return t, nil
}

func main() {
	showVersion := flag.Bool("version", false, "print the version and exit")
	check := flag.Bool("check", false, "load the templates and exit")
	dir := flag.String("templates", "/app/templates", "folder of the HTML templates")
	addr := flag.String("addr", ":8080", "address to listen on")
	flag.Parse()

	if *showVersion {
		fmt.Println("notes", version)
		return
	}
	t, err := loadTemplates(*dir)
	if *check {
		if err != nil {
			fmt.Println(err)
			os.Exit(1)
		}
		fmt.Printf("ok: %d templates from %s\n", len(t.Templates()), *dir)
		return
	}
	if err != nil {
		log.Fatal(err)
	}
	page := Page{Version: version, Notes: []string{"Ship the binary.", "Ship the templates.", "Ship nothing else."}}
	http.HandleFunc("GET /{$}", func(w http.ResponseWriter, r *http.Request) {
		page.Title = "Notes"
		t.ExecuteTemplate(w, "index.html", page)
	})
	http.HandleFunc("GET /about", func(w http.ResponseWriter, r *http.Request) {
		page.Title = "About"
		t.ExecuteTemplate(w, "about.html", page)
	})
	log.Printf("notes %s on %s", version, *addr)
	log.Fatal(http.ListenAndServe(*addr, nil))
}
