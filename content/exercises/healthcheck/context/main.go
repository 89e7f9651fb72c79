// Command pinger is a web service that can also check its own health, so an
// image without a shell or curl can still have a HEALTHCHECK:
//
//	pinger             serve on :8080
//	pinger healthcheck GET http://127.0.0.1:8080/healthz; exit 0 if healthy, 1 if not
//	pinger -version    print the version
package main

import (
	"flag"
	"fmt"
	"log"
	"net/http"
	"os"
	"time"
)

const version = "v1.3.0"

func main() {
	if len(os.Args) > 1 && (os.Args[1] == "healthcheck" || os.Args[1] == "-healthcheck") {
		os.Exit(healthcheck("http://127.0.0.1:8080/healthz"))
	}
	showVersion := flag.Bool("version", false, "print the version and exit")
	addr := flag.String("addr", ":8080", "address to listen on")
	flag.Parse()
	if *showVersion {
		fmt.Println("pinger", version)
		return
	}

	http.HandleFunc("GET /healthz", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprintln(w, "ok")
	})
	http.HandleFunc("GET /{$}", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprintln(w, "pong")
	})
	log.Printf("pinger %s on %s", version, *addr)
	log.Fatal(http.ListenAndServe(*addr, nil))
}

// healthcheck is what HEALTHCHECK runs: one request with a short timeout.
func healthcheck(url string) int {
	client := http.Client{Timeout: 2 * time.Second}
	resp, err := client.Get(url)
	if err != nil {
		fmt.Println("unhealthy:", err)
		return 1
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		fmt.Println("unhealthy:", resp.Status)
		return 1
	}
	fmt.Println("healthy")
	return 0
}
