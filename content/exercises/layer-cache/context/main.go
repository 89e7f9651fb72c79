// Command quotes serves a random line from a short list of build proverbs.
package main

import (
	"flag"
	"fmt"
	"log"
	"math/rand/v2"
	"net/http"
	"os"
)

const version = "v2.0.3"

var quotes = []string{
	"Copy what changes rarely first.",
	"The cache remembers what you copied, not what you meant.",
	"A small image is a quick pull.",
	"Every RUN is a layer; every layer is forever.",
}

func main() {
	showVersion := flag.Bool("version", false, "print the version and exit")
	addr := flag.String("addr", ":8080", "address to listen on")
	flag.Parse()
	if *showVersion {
		fmt.Println("quotes", version)
		return
	}
	http.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprintln(w, quotes[rand.IntN(len(quotes))])
	})
	log.Printf("quotes %s on %s", version, *addr)
	if err := http.ListenAndServe(*addr, nil); err != nil {
		log.Print(err)
		os.Exit(1)
	}
}
