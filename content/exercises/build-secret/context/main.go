// Command catalog serves a product catalog that was fetched at build time.
package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"log"
	"net/http"
	"os"
)

const version = "v1.0.2"

type catalog struct {
	Source string `json:"source"`
	Items  []struct {
		SKU  string `json:"sku"`
		Name string `json:"name"`
	} `json:"items"`
}

func load(path string) (*catalog, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var c catalog
	if err := json.Unmarshal(b, &c); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	if len(c.Items) == 0 {
		return nil, fmt.Errorf("%s: no items", path)
	}
	return &c, nil
}

func main() {
	showVersion := flag.Bool("version", false, "print the version and exit")
	check := flag.Bool("check", false, "check that the catalog is in place and exit")
	file := flag.String("catalog", "/app/data/catalog.json", "the catalog fetched at build time")
	addr := flag.String("addr", ":8080", "address to listen on")
	flag.Parse()

	if *showVersion {
		fmt.Println("catalog", version)
		return
	}
	c, err := load(*file)
	if *check {
		if err != nil {
			fmt.Println("no catalog:", err)
			os.Exit(1)
		}
		fmt.Printf("ok: %d items from %s\n", len(c.Items), *file)
		return
	}
	if err != nil {
		log.Fatal(err)
	}
	http.HandleFunc("GET /items", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		json.NewEncoder(w).Encode(c.Items)
	})
	log.Printf("catalog %s on %s with %d items", version, *addr, len(c.Items))
	log.Fatal(http.ListenAndServe(*addr, nil))
}
