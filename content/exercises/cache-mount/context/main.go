// Command tally counts the lines, words and bytes of its input and prints
// them as JSON, for scripts that would rather not parse `wc`.
package main

import (
	"bufio"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
)

const version = "v3.2.0"

type counts struct {
	Lines int `json:"lines"`
	Words int `json:"words"`
	Bytes int `json:"bytes"`
}

func tally(r io.Reader) (counts, error) {
	var c counts
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64*1024), 1<<20)
	for sc.Scan() {
		line := sc.Text()
		c.Lines++
		c.Words += len(strings.Fields(line))
		c.Bytes += len(line) + 1
	}
	return c, sc.Err()
}

func main() {
	showVersion := flag.Bool("version", false, "print the version and exit")
	flag.Parse()
	if *showVersion {
		fmt.Println("tally", version)
		return
	}
	c, err := tally(os.Stdin)
	if err != nil {
		fmt.Fprintln(os.Stderr, "tally:", err)
		os.Exit(1)
	}
	json.NewEncoder(os.Stdout).Encode(c)
}
