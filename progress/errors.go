package progress

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

// Reason says why a store file cannot be used.
type Reason int

const (
	// Corrupt: SQLite's checks found damage, or the file ends early.
	Corrupt Reason = iota + 1
	// NotDatabase: the file is not a SQLite database at all.
	NotDatabase
	// Foreign: a SQLite database, but not a stagecraft progress store.
	Foreign
	// Unreadable: the file cannot be opened (permissions, a directory, an I/O error).
	Unreadable
	// TooNew: written by a newer stagecraft whose schema this one does not know.
	TooNew
	// ReadOnly: stagecraft may read the file but not write it (or its folder cannot hold the
	// files SQLite writes beside it). Every answer is saved as it is given, so such a store is
	// refused up front rather than losing answers.
	ReadOnly
)

func (r Reason) String() string {
	switch r {
	case Corrupt:
		return "damaged"
	case NotDatabase:
		return "not a SQLite database"
	case Foreign:
		return "not a stagecraft progress database"
	case Unreadable:
		return "unreadable"
	case TooNew:
		return "from a newer stagecraft"
	case ReadOnly:
		return "not writable"
	}
	return "unusable"
}

// UnusableError reports a store file stagecraft will not use. The file was left exactly as it was.
type UnusableError struct {
	Path    string
	Reason  Reason
	Detail  string // what SQLite or the OS said
	Version int    // the file's schema version, when known
	Known   int    // the newest schema version this stagecraft knows
	Backup  string // the newest backup beside the file, "" if there is none
	Err     error
}

func (e *UnusableError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "progress database %s is %s", e.Path, e.Reason)
	if e.Reason == TooNew {
		fmt.Fprintf(&b, " (schema version %d; this stagecraft knows up to %d)", e.Version, e.Known)
	}
	if e.Detail != "" {
		fmt.Fprintf(&b, ": %s", e.Detail)
	}
	if e.Reason == ReadOnly {
		b.WriteString(". Nothing was written.")
	} else {
		b.WriteString(". The file was not changed.")
	}
	switch e.Reason {
	case TooNew:
		b.WriteString(" Upgrade stagecraft to use it, or give --db PATH (or STAGECRAFT_DB) to keep a separate database for this version.")
	case Unreadable:
		b.WriteString(" Check its permissions, or give --db PATH (or STAGECRAFT_DB) to use another file.")
	case ReadOnly:
		fmt.Fprintf(&b, " stagecraft saves every answer and attempt as it goes, so it will not use a store it cannot write: make the file and its folder (%s, where SQLite keeps its -wal and -shm files) writable, or give --db PATH (or STAGECRAFT_DB) to use another file.", filepath.Dir(e.Path))
	case Foreign:
		b.WriteString(" It probably belongs to another program: give --db PATH (or STAGECRAFT_DB) to point stagecraft at its own file.")
	default:
		if e.Backup != "" {
			fmt.Fprintf(&b, " The newest backup is %s (written before an upgrade; progress made since is not in it): copy it over the damaged file to go back to it.", e.Backup)
		} else {
			b.WriteString(" No backup was found beside it.")
		}
		b.WriteString(" To start afresh, move the file aside, or give --db PATH (or STAGECRAFT_DB) to use another file")
		if e.Reason == Corrupt {
			b.WriteString("; `sqlite3 FILE .recover` may rescue what it holds")
		}
		b.WriteString(".")
	}
	return b.String()
}

func (e *UnusableError) Unwrap() error { return e.Err }

// ErrUnusable matches every *UnusableError with errors.Is.
var ErrUnusable = errors.New("progress database unusable")

// Is makes errors.Is(err, ErrUnusable) true.
func (e *UnusableError) Is(target error) bool { return target == ErrUnusable }

// backupGlob matches backups written before migrations: <db>.v<N>.bak and <db>.v<N>.<unix>.bak.
func backupGlob(path string) string { return path + ".v*.bak" }

// newestBackup is the most recently modified backup beside path, or "".
func newestBackup(path string) string {
	all := backups(path)
	if len(all) == 0 {
		return ""
	}
	return all[0]
}

// backups lists the backups beside path, newest first.
func backups(path string) []string {
	matches, _ := filepath.Glob(backupGlob(path))
	type fm struct {
		name string
		mod  int64
	}
	var fs []fm
	for _, m := range matches {
		if st, err := os.Stat(m); err == nil && st.Mode().IsRegular() {
			fs = append(fs, fm{m, st.ModTime().UnixNano()})
		}
	}
	sort.Slice(fs, func(i, j int) bool { return fs[i].mod > fs[j].mod })
	out := make([]string, len(fs))
	for i, f := range fs {
		out[i] = f.name
	}
	return out
}
