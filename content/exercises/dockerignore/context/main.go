// Command site serves the files of a small static website.
package main

import (
	"flag"
	"fmt"
	"log"
	"net/http"
	"os"
	"path/filepath"
)

const version = "v0.9.0"

// pages are the files the site cannot do without.
var pages = []string{"index.html", "style.css"}

func main() {
	showVersion := flag.Bool("version", false, "print the version and exit")
	check := flag.Bool("check", false, "check that the site's files are in place and exit")
	root := flag.String("root", "/app/static", "folder the site is served from")
	addr := flag.String("addr", ":8080", "address to listen on")
	flag.Parse()

	switch {
	case *showVersion:
		fmt.Println("site", version)
		return
	case *check:
		for _, p := range pages {
			if _, err := os.Stat(filepath.Join(*root, p)); err != nil {
				fmt.Printf("missing %s: %v\n", filepath.Join(*root, p), err)
				os.Exit(1)
			}
		}
		fmt.Printf("ok: serving %d pages from %s\n", len(pages), *root)
		return
	}

	log.Printf("site %s serving %s on %s", version, *root, *addr)
	if err := http.ListenAndServe(*addr, http.FileServer(http.Dir(*root))); err != nil {
		log.Print(err)
		os.Exit(1)
	}
}
