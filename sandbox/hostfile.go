package sandbox

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"syscall"
)

// Files read on a submitter's behalf (a Dockerfile, a context or overlay file, a roster) are
// untrusted: a link in a student's folder could point at any file of the host, and whatever we
// read ends up in reports, feedback and the progress store. They are opened here without
// following a symbolic link at the last component and must be regular files.

// FileRefusedError is a submitted file that is not a regular file we may read: a symbolic link,
// a folder, a device or pipe. Name is the file as the submitter gave it (never a link's target),
// so the message can be shown to them as it is.
type FileRefusedError struct {
	Name string
	Kind string // "a symbolic link", "a folder", "a named pipe", …
}

func (e *FileRefusedError) Error() string {
	return fmt.Sprintf("%s is %s; the grader reads regular files only", e.Name, e.Kind)
}

// FileReadError is a submitted file that could not be read, named as the submitter gave it and
// with the system's reason only (no host path).
type FileReadError struct {
	Name string
	Err  error
}

func (e *FileReadError) Error() string { return e.Name + ": " + e.Err.Error() }
func (e *FileReadError) Unwrap() error { return e.Err }

// OpenRegular opens path for reading without following a symbolic link there, and checks that
// it is a regular file. name is how errors call the file. O_NONBLOCK keeps a named pipe from
// blocking the open; it changes nothing for regular files.
func OpenRegular(path, name string) (*os.File, os.FileInfo, error) {
	f, err := os.OpenFile(path, os.O_RDONLY|syscall.O_NOFOLLOW|syscall.O_NONBLOCK|syscall.O_CLOEXEC, 0)
	if err != nil {
		if errors.Is(err, syscall.ELOOP) {
			return nil, nil, &FileRefusedError{Name: name, Kind: "a symbolic link"}
		}
		if st, lerr := os.Lstat(path); lerr == nil && st.Mode()&fs.ModeSymlink != 0 {
			return nil, nil, &FileRefusedError{Name: name, Kind: "a symbolic link"}
		}
		return nil, nil, &FileReadError{Name: name, Err: bareErr(err)}
	}
	st, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, nil, &FileReadError{Name: name, Err: bareErr(err)}
	}
	if !st.Mode().IsRegular() {
		f.Close()
		return nil, nil, &FileRefusedError{Name: name, Kind: kindOf(st.Mode())}
	}
	return f, st, nil
}

// ReadRegular reads at most max bytes (max <= 0: all) of a regular file opened as OpenRegular
// does, and its size on disk, so a caller can say how large an over-limit file is without
// reading it all.
func ReadRegular(path, name string, max int64) ([]byte, int64, error) {
	f, st, err := OpenRegular(path, name)
	if err != nil {
		return nil, 0, err
	}
	defer f.Close()
	var r io.Reader = f
	if max > 0 {
		r = io.LimitReader(f, max)
	}
	b, err := io.ReadAll(r)
	if err != nil {
		return nil, 0, &FileReadError{Name: name, Err: bareErr(err)}
	}
	return b, st.Size(), nil
}

// bareErr drops the path from an *fs.PathError: the caller names the file its own way.
func bareErr(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

func kindOf(m fs.FileMode) string {
	switch {
	case m&fs.ModeSymlink != 0:
		return "a symbolic link"
	case m.IsDir():
		return "a folder"
	case m&fs.ModeNamedPipe != 0:
		return "a named pipe"
	case m&fs.ModeSocket != 0:
		return "a socket"
	case m&fs.ModeDevice != 0:
		return "a device"
	}
	return "not a regular file"
}
