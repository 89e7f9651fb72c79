// Command stamp reports which Go image built it. The build sets goImage
// with -ldflags "-X main.goImage=…".
package main

import (
	"flag"
	"fmt"
	"log"
	"net/http"
	"os"
)

const version = "v0.5.0"

// goImage is the image tag the binary was built on; set at build time.
var goImage = "unknown"

func main() {
	showVersion := flag.Bool("version", false, "print the version and exit")
	addr := flag.String("addr", ":8080", "address to listen on")
	flag.Parse()
	if *showVersion {
		fmt.Printf("stamp %s (built on golang:%s)\n", version, goImage)
		return
	}
	http.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprintf(w, "built on golang:%s\n", goImage)
	})
	log.Printf("stamp %s on %s", version, *addr)
	if err := http.ListenAndServe(*addr, nil); err != nil {
		log.Print(err)
		os.Exit(1)
	}
}
