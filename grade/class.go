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

	"github.com/stagecraft/stagecraft/sandbox"
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
		s.read(src)
		c.Students = []Student{s}
	case !st.IsDir():
		c.Students, err = loadList(abs)
	case present(filepath.Join(abs, DockerfileName)):
		c.Students = []Student{folderStudent(abs, filepath.Base(abs), filepath.Base(abs))}
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

// present reports whether a student's folder has something named p other than a folder: a
// Dockerfile, or a link or pipe in its place, which is then refused when read.
func present(p string) bool {
	st, err := os.Lstat(p)
	return err == nil && !st.IsDir()
}

// loadFolders reads one student per sub-folder. Files beside the folders (a roster, a README) and
// hidden folders are not students. A link to a folder is a student whose submission is refused:
// its files would be another folder's, possibly anywhere on the host.
func loadFolders(dir string) ([]Student, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, inputErr("submissions %s: %v", dir, err)
	}
	var out []Student
	for _, e := range entries {
		if strings.HasPrefix(e.Name(), ".") {
			continue
		}
		shown := filepath.Join(filepath.Base(dir), e.Name())
		if e.Type()&fs.ModeSymlink != 0 {
			// Stat only tells whether the link names a folder; nothing behind it is read.
			if st, err := os.Stat(filepath.Join(dir, e.Name())); err == nil && st.IsDir() {
				out = append(out, Student{ID: e.Name(), Missing: shown + " is a symbolic link; the grader reads the student's own folders only"})
			}
			continue
		}
		if !e.IsDir() {
			continue
		}
		out = append(out, folderStudent(filepath.Join(dir, e.Name()), e.Name(), shown))
	}
	if len(out) == 0 {
		return nil, inputErr("submissions %s: no student folders (want one folder per student, each with a Dockerfile; or a folder with a Dockerfile; or a list file)", dir)
	}
	return out, nil
}

// folderStudent reads one student's folder; shown is how messages name it (the submissions
// folder's name and the student's, never a host path). A folder without a Dockerfile, or whose
// Dockerfile cannot be read as a regular file, is a student who submitted nothing gradable,
// not an error of the run.
func folderStudent(dir, id, shown string) Student {
	s := Student{ID: id, Dir: dir}
	df := filepath.Join(dir, DockerfileName)
	if !present(df) {
		s.Missing = "the folder has no Dockerfile"
		return s
	}
	s.File = df
	s.read(filepath.Join(shown, DockerfileName))
	return s
}

// loadList reads a list file: one folder or Dockerfile per line.
func loadList(list string) ([]Student, error) {
	f, _, err := sandbox.OpenRegular(list, list)
	if err != nil {
		return nil, inputErr("submissions list: %v", err)
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
		st, err := os.Lstat(p)
		if err != nil {
			return nil, inputErr("%s:%d: %s: no such file or folder", list, n, line)
		}
		var s Student
		switch {
		case st.IsDir():
			s = folderStudent(p, filepath.Base(p), line)
		case st.Mode()&fs.ModeSymlink != 0 && isDir(p):
			s = Student{ID: filepath.Base(p), Missing: line + " is a symbolic link; the grader reads the student's own folders only"}
		default:
			s = Student{ID: idOfFile(p), File: p}
			s.read(line)
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

func isDir(p string) bool {
	st, err := os.Stat(p)
	return err == nil && st.IsDir()
}

// read loads the Dockerfile, named shown in messages, and hashes the submission. A file that is
// not a regular file (a link to /etc/shadow, a pipe) or cannot be read makes the student's
// submission ungradable, with the reason in Missing; nothing of it is kept.
func (s *Student) read(shown string) {
	b, _, err := sandbox.ReadRegular(s.File, shown, maxRead)
	if err == nil {
		s.Hash, err = hashSubmission(b, s.Dir, filepath.Dir(shown))
	}
	if err != nil {
		s.Dockerfile, s.Hash, s.Missing = nil, "", err.Error()
		return
	}
	s.Dockerfile = b
}

// hashSubmission hashes the Dockerfile and every file of the student's folder (path, kind and
// content; a symlink by its target, never what it points to), so --regrade can tell an
// unchanged submission. shown names the folder in errors.
func hashSubmission(dockerfile []byte, dir, shown string) (string, error) {
	h := sha256.New()
	h.Write(dockerfile)
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
			case !d.Type().IsRegular():
				// Pipes, sockets, devices: never opened (a pipe would block), and the build
				// context leaves them out too.
				fmt.Fprintf(h, "O\x00%s\x00", filepath.ToSlash(rel))
			default:
				fmt.Fprintf(h, "F\x00%s\x00", filepath.ToSlash(rel))
				return hashFile(h, full, filepath.Join(shown, rel))
			}
			return nil
		})
		if err != nil {
			return "", err
		}
	}
	return "sha256:" + hex.EncodeToString(h.Sum(nil)), nil
}

func hashFile(w io.Writer, p, shown string) error {
	f, _, err := sandbox.OpenRegular(p, shown)
	if err != nil {
		return err
	}
	defer f.Close()
	if _, err = io.Copy(w, f); err != nil {
		return &sandbox.FileReadError{Name: shown, Err: err}
	}
	return nil
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
