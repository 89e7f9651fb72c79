package grade

import (
	"bufio"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

// Student is one row of the class: a submission to grade, or a roster entry with nothing to grade.
type Student struct {
	ID    string `json:"id"`
	Name  string `json:"name,omitempty"`
	Email string `json:"email,omitempty"`
	// Dir is the student's folder, whose files are laid over the exercise's context; "" for a
	// Dockerfile named directly in a list file (its neighbours are not the student's).
	Dir  string `json:"dir,omitempty"`
	File string `json:"file,omitempty"` // the Dockerfile; "" when there is none
	// Missing says why there is nothing to grade ("" when there is a Dockerfile).
	Missing string `json:"missing,omitempty"`
	// OffRoster is set when a roster was given and does not list this folder.
	OffRoster bool `json:"off_roster,omitempty"`
	// Hash identifies the submission: the Dockerfile and the student's own context files.
	Hash string `json:"hash,omitempty"`

	Dockerfile []byte `json:"-"`
}

// Class is the students to grade, in id order.
type Class struct {
	Source   string    // the SUBMISSIONS argument, absolute
	Roster   string    // the roster file, if any
	Students []Student // sorted by ID
}

// InputError is bad input to the grader: a missing folder, an unreadable list or roster. The
// command reports it as a usage error (exit 2).
type InputError struct{ Msg string }

func (e *InputError) Error() string { return e.Msg }

func inputErr(format string, a ...any) error { return &InputError{Msg: fmt.Sprintf(format, a...)} }

// DockerfileName is the file a student folder must hold.
const DockerfileName = "Dockerfile"

// maxRead caps what is read of one Dockerfile: anything larger fails the sandbox's own 1 MiB
// limit anyway, and the report only needs to say how large it was.
const maxRead = 16 << 20

// Load reads a class from src: a folder of student folders, a single student's folder (it holds
// a Dockerfile itself), or a list file with one path per line (a folder or a Dockerfile; blank
// lines and # comments are skipped, relative paths are relative to the list). With a roster, its
// names and emails are attached and students it lists who submitted nothing are added as missing.
func Load(src, roster string) (*Class, error) {
	abs, err := filepath.Abs(src)
	if err != nil {
		return nil, inputErr("submissions %s: %v", src, err)
	}
	st, err := os.Stat(abs)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return nil, inputErr("submissions %s: no such file or folder", src)
		}
		return nil, inputErr("submissions %s: %v", src, err)
	}
	c := &Class{Source: abs}
	switch {
	case !st.IsDir() && looksLikeDockerfile(abs):
		s := Student{ID: idOfFile(abs), File: abs}
		err = s.read()
		c.Students = []Student{s}
	case !st.IsDir():
		c.Students, err = loadList(abs)
	case isFile(filepath.Join(abs, DockerfileName)):
		var s Student
		s, err = folderStudent(abs, filepath.Base(abs))
		c.Students = []Student{s}
	default:
		c.Students, err = loadFolders(abs)
	}
	if err != nil {
		return nil, err
	}
	if roster != "" {
		r, err := ReadRoster(roster)
		if err != nil {
			return nil, err
		}
		c.Roster, _ = filepath.Abs(roster)
		c.Students = r.apply(c.Students)
	}
	sort.Slice(c.Students, func(i, j int) bool { return c.Students[i].ID < c.Students[j].ID })
	return c, nil
}

func isFile(p string) bool {
	st, err := os.Stat(p)
	return err == nil && st.Mode().IsRegular()
}

// loadFolders reads one student per sub-folder. Files beside the folders (a roster, a README) and
// hidden folders are not students.
func loadFolders(dir string) ([]Student, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, inputErr("submissions %s: %v", dir, err)
	}
	var out []Student
	for _, e := range entries {
		if strings.HasPrefix(e.Name(), ".") || !e.IsDir() {
			continue
		}
		s, err := folderStudent(filepath.Join(dir, e.Name()), e.Name())
		if err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	if len(out) == 0 {
		return nil, inputErr("submissions %s: no student folders (want one folder per student, each with a Dockerfile; or a folder with a Dockerfile; or a list file)", dir)
	}
	return out, nil
}

// folderStudent reads one student's folder. A folder without a Dockerfile is a student who
// submitted nothing gradable, not an error.
func folderStudent(dir, id string) (Student, error) {
	s := Student{ID: id, Dir: dir}
	df := filepath.Join(dir, DockerfileName)
	if !isFile(df) {
		s.Missing = "the folder has no Dockerfile"
		return s, nil
	}
	s.File = df
	return s, s.read()
}

// loadList reads a list file: one folder or Dockerfile per line.
func loadList(list string) ([]Student, error) {
	f, err := os.Open(list)
	if err != nil {
		return nil, inputErr("submissions list %s: %v", list, err)
	}
	defer f.Close()
	base := filepath.Dir(list)
	seen := map[string]int{}
	var out []Student
	sc := bufio.NewScanner(f)
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		p := line
		if !filepath.IsAbs(p) {
			p = filepath.Join(base, p)
		}
		st, err := os.Stat(p)
		if err != nil {
			return nil, inputErr("%s:%d: %s: no such file or folder", list, n, line)
		}
		var s Student
		if st.IsDir() {
			s, err = folderStudent(p, filepath.Base(p))
		} else {
			s = Student{ID: idOfFile(p), File: p}
			err = s.read()
		}
		if err != nil {
			return nil, err
		}
		if prev, dup := seen[s.ID]; dup {
			return nil, inputErr("%s:%d: student %q is already on line %d (ids come from folder names)", list, n, s.ID, prev)
		}
		seen[s.ID] = n
		out = append(out, s)
	}
	if err := sc.Err(); err != nil {
		return nil, inputErr("submissions list %s: %v", list, err)
	}
	if len(out) == 0 {
		return nil, inputErr("submissions list %s names no submissions", list)
	}
	return out, nil
}

// idOfFile names the student of a Dockerfile listed by path: its folder for .../alice/Dockerfile,
// else the file name without its extension (alice.Dockerfile).
func idOfFile(p string) string {
	name := filepath.Base(p)
	if name == DockerfileName {
		return filepath.Base(filepath.Dir(p))
	}
	for _, ext := range []string{".Dockerfile", ".dockerfile"} {
		if strings.HasSuffix(name, ext) && len(name) > len(ext) {
			return strings.TrimSuffix(name, ext)
		}
	}
	return strings.TrimSuffix(name, filepath.Ext(name))
}

// looksLikeDockerfile tells a Dockerfile given directly from a list file by its name.
func looksLikeDockerfile(p string) bool {
	name := filepath.Base(p)
	return name == DockerfileName || strings.HasSuffix(strings.ToLower(name), ".dockerfile")
}

// read loads the Dockerfile and hashes the submission.
func (s *Student) read() error {
	f, err := os.Open(s.File)
	if err != nil {
		return inputErr("student %s: %v", s.ID, err)
	}
	defer f.Close()
	b, err := io.ReadAll(io.LimitReader(f, maxRead))
	if err != nil {
		return inputErr("student %s: %v", s.ID, err)
	}
	s.Dockerfile = b
	s.Hash, err = hashSubmission(s.File, s.Dir)
	if err != nil {
		return inputErr("student %s: %v", s.ID, err)
	}
	return nil
}

// hashSubmission hashes the Dockerfile and every file of the student's folder (path, kind and
// content; a symlink by its target), so --regrade can tell an unchanged submission.
func hashSubmission(dockerfile, dir string) (string, error) {
	h := sha256.New()
	if err := hashFile(h, dockerfile); err != nil {
		return "", err
	}
	if dir != "" {
		err := walkOverlay(dir, func(rel string, d fs.DirEntry) error {
			full := filepath.Join(dir, rel)
			switch {
			case d.Type()&fs.ModeSymlink != 0:
				t, err := os.Readlink(full)
				if err != nil {
					return err
				}
				fmt.Fprintf(h, "L\x00%s\x00%s\x00", filepath.ToSlash(rel), t)
			case d.IsDir():
				fmt.Fprintf(h, "D\x00%s\x00", filepath.ToSlash(rel))
			default:
				fmt.Fprintf(h, "F\x00%s\x00", filepath.ToSlash(rel))
				return hashFile(h, full)
			}
			return nil
		})
		if err != nil {
			return "", err
		}
	}
	return "sha256:" + hex.EncodeToString(h.Sum(nil)), nil
}

func hashFile(w io.Writer, p string) error {
	f, err := os.Open(p)
	if err != nil {
		return err
	}
	defer f.Close()
	_, err = io.Copy(w, f)
	return err
}

// walkOverlay visits the student's own files in a stable order: everything but version-control
// folders, which are not part of what was handed in.
func walkOverlay(dir string, fn func(rel string, d fs.DirEntry) error) error {
	return filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(dir, p)
		if err != nil || rel == "." {
			return err
		}
		if d.IsDir() && (d.Name() == ".git" || d.Name() == ".hg" || d.Name() == ".svn") {
			return filepath.SkipDir
		}
		return fn(rel, d)
	})
}
