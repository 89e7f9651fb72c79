// Command hello says which platform it was built for: the program this exercise ships for
// ARM servers.
package main

import (
	"flag"
	"fmt"
	"runtime"
)

const version = "v1.2.0"

func main() {
	showVersion := flag.Bool("version", false, "print the version and the platform, then exit")
	flag.Parse()
	if *showVersion {
		fmt.Printf("hello %s %s/%s\n", version, runtime.GOOS, runtime.GOARCH)
		return
	}
	fmt.Printf("hello from %s/%s\n", runtime.GOOS, runtime.GOARCH)
}
