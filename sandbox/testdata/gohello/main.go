package main

import (
	"flag"
	"fmt"
	"net/http"
)

func main() {
	v := flag.Bool("version", false, "print the version")
	flag.Parse()
	if *v {
		fmt.Println("hello v1.0.0")
		return
	}
	http.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) { fmt.Fprintln(w, "hello") })
	http.ListenAndServe(":8080", nil)
}
