package grade

import (
	"encoding/csv"
	"errors"
	"io"
	"strings"

	"github.com/stagecraft/stagecraft/sandbox"
)

// Roster maps student ids (the submission folder names) to names and emails, and lists the
// students who should have submitted.
type Roster struct {
	Path    string
	Entries []RosterEntry
}

// RosterEntry is one row of a roster CSV.
type RosterEntry struct {
	ID, Name, Email string
	Line            int
}

// ReadRoster reads a roster CSV with a header row naming at least an id column; name and email
// are optional, other columns are ignored, and the columns may come in any order.
func ReadRoster(path string) (*Roster, error) {
	// Rosters often sit beside the submissions: a link there is not followed.
	f, _, err := sandbox.OpenRegular(path, path)
	if err != nil {
		return nil, inputErr("--roster: %v", err)
	}
	defer f.Close()
	r := csv.NewReader(f)
	r.FieldsPerRecord = -1
	r.TrimLeadingSpace = true
	header, err := r.Read()
	if errors.Is(err, io.EOF) {
		return nil, inputErr("--roster %s: empty file; want a header row id,name,email", path)
	}
	if err != nil {
		return nil, inputErr("--roster %s: %v", path, err)
	}
	col := map[string]int{}
	for i, h := range header {
		h = strings.ToLower(strings.TrimSpace(strings.TrimPrefix(h, "\ufeff")))
		if _, dup := col[h]; !dup {
			col[h] = i
		}
	}
	idCol, ok := col["id"]
	if !ok {
		return nil, inputErr("--roster %s:1: no id column (the header row names the columns: id,name,email)", path)
	}
	field := func(rec []string, name string) string {
		if i, ok := col[name]; ok && i < len(rec) {
			return strings.TrimSpace(rec[i])
		}
		return ""
	}
	ro := &Roster{Path: path}
	seen := map[string]int{}
	for {
		rec, err := r.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		line, _ := r.FieldPos(0)
		if err != nil {
			return nil, inputErr("--roster %s: %v", path, err)
		}
		if len(rec) == 1 && strings.TrimSpace(rec[0]) == "" {
			continue
		}
		e := RosterEntry{Name: field(rec, "name"), Email: field(rec, "email"), Line: line}
		if idCol < len(rec) {
			e.ID = strings.TrimSpace(rec[idCol])
		}
		if e.ID == "" {
			return nil, inputErr("--roster %s:%d: empty id", path, line)
		}
		if prev, dup := seen[e.ID]; dup {
			return nil, inputErr("--roster %s:%d: id %q is already on line %d", path, line, e.ID, prev)
		}
		seen[e.ID] = line
		ro.Entries = append(ro.Entries, e)
	}
	if len(ro.Entries) == 0 {
		return nil, inputErr("--roster %s: no students below the header", path)
	}
	return ro, nil
}

// apply attaches names and emails to the submissions, adds every roster student who submitted
// nothing as missing, and marks folders the roster does not list. A folder matches a roster id
// exactly, or else ignoring case.
func (ro *Roster) apply(students []Student) []Student {
	byID := map[string]int{}
	byFold := map[string]int{}
	for i, s := range students {
		byID[s.ID] = i
		byFold[strings.ToLower(s.ID)] = i
	}
	matched := map[int]bool{}
	for _, e := range ro.Entries {
		i, ok := byID[e.ID]
		if !ok {
			i, ok = byFold[strings.ToLower(e.ID)]
		}
		if !ok || matched[i] {
			students = append(students, Student{ID: e.ID, Name: e.Name, Email: e.Email, Missing: "no submission"})
			continue
		}
		matched[i] = true
		students[i].Name, students[i].Email = e.Name, e.Email
	}
	for i := range students {
		if students[i].Missing != "no submission" && !matched[i] {
			students[i].OffRoster = true
		}
	}
	return students
}
