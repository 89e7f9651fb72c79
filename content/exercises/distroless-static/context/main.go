// Command clock tells the time in a few cities. It needs two things from the
// image it runs in: a time zone database and CA certificates (for the
// upstream calls a real service would make over HTTPS).
package main

import (
	"bytes"
	"flag"
	"fmt"
	"log"
	"net/http"
	"os"
	"time"
)

const version = "v1.1.0"

var cities = []string{"Europe/Berlin", "America/New_York", "Asia/Tokyo"}

// caFiles are where Linux distributions keep their CA bundle (the first ones Go looks at).
var caFiles = []string{"/etc/ssl/certs/ca-certificates.crt", "/etc/pki/tls/certs/ca-bundle.crt"}

func main() {
	showVersion := flag.Bool("version", false, "print the version and exit")
	check := flag.Bool("check", false, "check for time zones and CA certificates, then exit")
	addr := flag.String("addr", ":8080", "address to listen on")
	flag.Parse()

	switch {
	case *showVersion:
		fmt.Println("clock", version)
		return
	case *check:
		os.Exit(selfCheck())
	}

	http.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		now := time.Now()
		for _, c := range cities {
			loc, err := time.LoadLocation(c)
			if err != nil {
				http.Error(w, err.Error(), http.StatusInternalServerError)
				return
			}
			fmt.Fprintf(w, "%-17s %s\n", c, now.In(loc).Format("15:04 Mon"))
		}
	})
	log.Printf("clock %s on %s", version, *addr)
	log.Fatal(http.ListenAndServe(*addr, nil))
}

func selfCheck() int {
	failed := false
	for _, c := range cities {
		if _, err := time.LoadLocation(c); err != nil {
			fmt.Printf("no time zone data for %s: %v\n", c, err)
			failed = true
			break
		}
	}
	certs := 0
	for _, f := range caFiles {
		if b, err := os.ReadFile(f); err == nil {
			certs = bytes.Count(b, []byte("-----BEGIN CERTIFICATE-----"))
			break
		}
	}
	if certs == 0 {
		fmt.Printf("no CA certificates in %v\n", caFiles)
		failed = true
	}
	if failed {
		return 1
	}
	fmt.Printf("ok: time zones for %d cities, %d CA certificates\n", len(cities), certs)
	return 0
}
