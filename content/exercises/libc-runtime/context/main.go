// Command ledger stands for the team's ledger service. The security policy says its binaries
// are position-independent executables (-buildmode=pie), so the kernel can load them at a
// random address; -check reports how this one was built.
package main

import (
	"flag"
	"fmt"
	"os"
	"runtime/debug"
)

const version = "v2.3.0"

func main() {
	showVersion := flag.Bool("version", false, "print the version and exit")
	check := flag.Bool("check", false, "check that the binary was built as the policy says, then exit")
	flag.Parse()
	switch {
	case *showVersion:
		fmt.Println("ledger", version)
	case *check:
		if mode := buildMode(); mode != "pie" {
			fmt.Printf("fail: built with -buildmode=%s; the security policy requires -buildmode=pie\n", mode)
			os.Exit(1)
		}
		fmt.Println("ok: buildmode=pie")
	default:
		fmt.Println("ledger", version, "ready")
	}
}

// buildMode is the -buildmode the go command recorded in the binary ("exe" by default).
func buildMode() string {
	bi, ok := debug.ReadBuildInfo()
	if !ok {
		return "unknown"
	}
	for _, s := range bi.Settings {
		if s.Key == "-buildmode" {
			return s.Value
		}
	}
	return "exe"
}
