// Command api serves a tiny JSON API.
package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"log"
	"net/http"
	"os"
	"time"
)

const version = "v3.2.0"

type status struct {
	Service string    `json:"service"`
	Version string    `json:"version"`
	Time    time.Time `json:"time"`
}

func main() {
	showVersion := flag.Bool("version", false, "print the version and exit")
	addr := flag.String("addr", ":8080", "address to listen on")
	flag.Parse()
	if *showVersion {
		fmt.Println("api", version)
		return
	}
	http.HandleFunc("GET /status", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		json.NewEncoder(w).Encode(status{Service: "api", Version: version, Time: time.Now().UTC()})
	})
	log.Printf("api %s on %s", version, *addr)
	if err := http.ListenAndServe(*addr, nil); err != nil {
		log.Print(err)
		os.Exit(1)
	}
}
