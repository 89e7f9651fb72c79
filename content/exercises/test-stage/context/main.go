// Command greet answers GET /greet?name=… with a greeting.
package main

import (
	"flag"
	"fmt"
	"log"
	"net/http"
	"os"
	"strings"
)

const version = "v1.4.0"

// Greeting is what the service says to name.
func Greeting(name string) string {
	name = strings.TrimSpace(name)
	if name == "" {
		name = "stranger"
	}
	return "Hello, " + name + "!"
}

func handler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /greet", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprintln(w, Greeting(r.URL.Query().Get("name")))
	})
	return mux
}

func main() {
	showVersion := flag.Bool("version", false, "print the version and exit")
	addr := flag.String("addr", ":8080", "address to listen on")
	flag.Parse()
	if *showVersion {
		fmt.Println("greet", version)
		return
	}
	log.Printf("greet %s on %s", version, *addr)
	if err := http.ListenAndServe(*addr, handler()); err != nil {
		log.Print(err)
		os.Exit(1)
	}
}
