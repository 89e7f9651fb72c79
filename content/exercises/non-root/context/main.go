// Command counter is a visit counter that appends every visit to a file
// under its data folder, so it needs to write there — and nowhere else.
package main

import (
	"flag"
	"fmt"
	"log"
	"net/http"
	"os"
	"path/filepath"
	"sync"
	"syscall"
)

const version = "v0.3.1"

func main() {
	showVersion := flag.Bool("version", false, "print the version and exit")
	check := flag.String("check", "", "self-check and exit: \"data\" (the data folder is writable) or \"code\" (the program is not)")
	dataDir := flag.String("data", "/data", "folder the visit log is written to")
	addr := flag.String("addr", ":8080", "address to listen on")
	flag.Parse()

	switch {
	case *showVersion:
		fmt.Println("counter", version)
		return
	case *check == "data":
		os.Exit(checkData(*dataDir))
	case *check == "code":
		os.Exit(checkCode())
	case *check != "":
		fmt.Fprintf(os.Stderr, "-check %q: use data or code\n", *check)
		os.Exit(2)
	}

	logFile, err := os.OpenFile(filepath.Join(*dataDir, "visits.log"), os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o644)
	if err != nil {
		log.Fatalf("cannot open the visit log: %v", err)
	}
	var mu sync.Mutex
	visits := 0
	http.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		visits++
		n := visits
		fmt.Fprintf(logFile, "%s %s\n", r.Method, r.URL.Path)
		mu.Unlock()
		fmt.Fprintf(w, "visit number %d\n", n)
	})
	log.Printf("counter %s on %s, writing to %s as uid %d", version, *addr, *dataDir, os.Getuid())
	log.Fatal(http.ListenAndServe(*addr, nil))
}

// checkData creates and removes a file in the data folder, as the running user.
func checkData(dir string) int {
	probe := filepath.Join(dir, ".write-probe")
	if err := os.WriteFile(probe, []byte("ok\n"), 0o644); err != nil {
		fmt.Printf("uid %d cannot write to %s: %v\n", os.Getuid(), dir, err)
		return 1
	}
	os.Remove(probe)
	fmt.Printf("ok: uid %d can write to %s\n", os.Getuid(), dir)
	return 0
}

// checkCode fails if the running user could overwrite the program itself.
func checkCode() int {
	exe, err := os.Executable()
	if err != nil {
		fmt.Printf("cannot find the program: %v\n", err)
		return 1
	}
	if syscall.Access(exe, 2 /* W_OK */) == nil {
		fmt.Printf("uid %d can overwrite %s: the program should stay owned by root\n", os.Getuid(), exe)
		return 1
	}
	fmt.Printf("ok: uid %d cannot modify %s\n", os.Getuid(), exe)
	return 0
}
