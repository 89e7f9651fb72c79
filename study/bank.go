package study

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"

	"github.com/stagecraft/stagecraft/lessons"
	"github.com/stagecraft/stagecraft/quiz"
)

// Bank is the course's questions: read from the bank cache when the course's lessons and quizzes
// are unchanged since it was written, else taken from the loaded course (which checks all of
// it) and written to the cache. A cache that cannot be read or written is only slower.
func (s *Service) Bank() (*quiz.Bank, error) {
	s.bankMu.Lock()
	defer s.bankMu.Unlock()
	if s.bank != nil {
		return s.bank, nil
	}
	file := s.bankFile()
	if file != "" {
		if data, err := os.ReadFile(file); err == nil {
			if b, err := quiz.UnmarshalBank(data); err == nil {
				s.bank = b
				return b, nil
			}
		}
	}
	c, err := s.Course()
	if err != nil {
		return nil, err
	}
	s.bank = BankOf(c)
	if file != "" {
		if data, err := json.Marshal(s.bank); err == nil {
			writeFileAtomic(file, data)
		}
	}
	return s.bank, nil
}

// bankFile is where the bank of this course is cached, or "" for no cache.
func (s *Service) bankFile() string {
	fsys := s.cfg.FS
	if fsys == nil && s.cfg.Course != nil {
		fsys = s.cfg.Course.FS
	}
	if s.cfg.CacheDir == "" || fsys == nil {
		return ""
	}
	key, err := bankKey(fsys, s.cfg.Version)
	if err != nil {
		return ""
	}
	return filepath.Join(s.cfg.CacheDir, "quiz-bank", key+".json")
}

// bankKey is a hash of what the questions are made of: course.yaml, the lessons and the quizzes
// (and the bank format, and the binary's version).
func bankKey(fsys fs.FS, version string) (string, error) {
	h := sha256.New()
	fmt.Fprintf(h, "%s\x00%s\x00", quiz.BankSchema, version)
	add := func(name string) error {
		data, err := fs.ReadFile(fsys, name)
		if err != nil {
			return err
		}
		fmt.Fprintf(h, "%s\x00%d\x00", name, len(data))
		h.Write(data)
		return nil
	}
	if err := add("course.yaml"); err != nil {
		return "", err
	}
	for _, dir := range []string{"lessons", "quizzes"} {
		entries, err := fs.ReadDir(fsys, dir)
		if err != nil && !errors.Is(err, fs.ErrNotExist) {
			return "", err
		}
		for _, e := range entries {
			if !e.IsDir() {
				if err := add(path.Join(dir, e.Name())); err != nil {
					return "", err
				}
			}
		}
	}
	return hex.EncodeToString(h.Sum(nil))[:32], nil
}

func writeFileAtomic(file string, data []byte) error {
	if err := os.MkdirAll(filepath.Dir(file), 0o755); err != nil {
		return err
	}
	tmp, err := os.CreateTemp(filepath.Dir(file), ".bank-*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), file)
}

// BankOf indexes a loaded course's questions, quizzes in course order.
func BankOf(c *lessons.Course) *quiz.Bank {
	var modules []quiz.BankModule
	for _, m := range c.Modules {
		modules = append(modules, quiz.BankModule{ID: m.ID, Title: m.Title})
	}
	var ls []quiz.BankLesson
	var quizzes []*quiz.Quiz
	done := map[*quiz.Quiz]bool{}
	for _, l := range c.Lessons {
		ls = append(ls, quiz.BankLesson{ID: l.ID, Title: l.Title, Module: l.Module})
		if qz := c.QuizForLesson(l.ID); qz != nil && !done[qz] {
			quizzes, done[qz] = append(quizzes, qz), true
		}
	}
	for _, qz := range c.Quizzes {
		if !done[qz] {
			quizzes = append(quizzes, qz)
		}
	}
	return quiz.NewBank(modules, ls, quizzes)
}
