// Command greeter serves a small static site from /www.
package main

import (
	"flag"
	"fmt"
	"log"
	"net/http"
	"os"
	"path/filepath"
)

const version = "v1.2.0"

func main() {
	showVersion := flag.Bool("version", false, "print the version and exit")
	check := flag.Bool("check", false, "check that the site is in place and exit")
	root := flag.String("root", "/www", "folder the site is served from")
	addr := flag.String("addr", ":8080", "address to listen on")
	flag.Parse()

	switch {
	case *showVersion:
		fmt.Println("greeter", version)
		return
	case *check:
		index := filepath.Join(*root, "index.html")
		info, err := os.Stat(index)
		if err != nil {
			fmt.Printf("missing %s: the site should come from the assets stage\n", index)
			os.Exit(1)
		}
		fmt.Printf("ok: %s (%d bytes)\n", index, info.Size())
		return
	}

	log.Printf("greeter %s serving %s on %s", version, *root, *addr)
	if err := http.ListenAndServe(*addr, http.FileServer(http.Dir(*root))); err != nil {
		log.Print(err)
		os.Exit(1)
	}
}
