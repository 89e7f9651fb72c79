package lessons

import (
	"cmp"
	"errors"
	"fmt"
	"io/fs"
	"path"
	"runtime"
	"slices"
	"strings"
	"sync"

	"github.com/goccy/go-yaml/ast"

	"github.com/stagecraft/stagecraft/quiz"
	"github.com/stagecraft/stagecraft/quiz/yamlpos"
)

// Load reads the course folder fsys (course.yaml, lessons/, quizzes/, exercises/) and checks
// every file and every reference between them, exercise checks included. When anything is wrong
// it returns quiz.ValidationErrors holding every mistake, each at file:line:col (paths relative
// to fsys), sorted by file and position; a missing or unreadable file is an error with line 0.
// It reads files from several goroutines at once.
func Load(fsys fs.FS) (*Course, error) {
	l := &loader{fsys: fsys}
	c := l.load()
	if len(l.errs) > 0 {
		l.errs.Sort()
		return nil, l.errs
	}
	return c, nil
}

type loader struct {
	fsys fs.FS
	errs quiz.ValidationErrors
}

func (l *loader) fileError(file, format string, a ...any) {
	l.errs = append(l.errs, quiz.Error{File: file, Msg: fmt.Sprintf(format, a...)})
}

func (l *loader) at(file string, p quiz.Pos, format string, a ...any) {
	l.errs = append(l.errs, quiz.Error{File: file, Line: p.Line, Col: p.Col, Msg: fmt.Sprintf(format, a...)})
}

func (l *loader) load() *Course {
	c := &Course{FS: l.fsys}
	l.loadCourseFile(c)
	lessons := l.loadLessons()
	quizzes := l.loadQuizzes()
	exercises := l.loadExercises()
	l.crossCheck(c, lessons, quizzes, exercises)
	return c
}

// readDir lists the files (or folders) of dir with one of the extensions, by name. A missing
// dir has none.
func (l *loader) readDir(dir string, dirs bool, exts ...string) []string {
	entries, err := fs.ReadDir(l.fsys, dir)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		l.fileError(dir, "cannot list the folder: %v", err)
		return nil
	}
	var names []string
	for _, e := range entries {
		name := e.Name()
		if strings.HasPrefix(name, ".") || e.IsDir() != dirs {
			continue
		}
		if dirs || slices.ContainsFunc(exts, func(ext string) bool { return strings.HasSuffix(name, ext) }) {
			names = append(names, path.Join(dir, name))
		}
	}
	return names // fs.ReadDir sorts by name
}

func (l *loader) loadCourseFile(c *Course) {
	const file = "course.yaml"
	data, err := fs.ReadFile(l.fsys, file)
	if errors.Is(err, fs.ErrNotExist) {
		l.fileError(file, "missing: a course folder has a course.yaml with its title and modules")
		return
	}
	if err != nil {
		l.fileError(file, "cannot read: %v", err)
		return
	}
	d := &yamlpos.Decoder{File: file}
	defer func() { l.errs = append(l.errs, d.Errs...) }()
	root := d.Parse(data, 1)
	if root == nil && len(d.Errs) == 0 {
		d.ErrorAt(quiz.Pos{Line: 1, Col: 1}, "course.yaml is empty: it needs a title and modules")
		return
	}
	var moduleNodes []ast.Node
	keys := d.Map(root, "course.yaml", yamlpos.Fields{
		"title":   yamlpos.String(&c.Title),
		"modules": func(d *yamlpos.Decoder, key string, n ast.Node) { moduleNodes = d.Seq(key, n) },
	})
	if !keys.Has("title") {
		d.ErrorAt(keys.KeyPos("title"), "course.yaml needs %q", "title")
	}
	if len(moduleNodes) == 0 {
		d.ErrorAt(keys.Pos("modules"), "course.yaml lists no modules")
	}
	c.modules = map[string]*Module{}
	firstAt := map[string]quiz.Pos{}
	for _, n := range moduleNodes {
		m := &Module{}
		mk := d.Map(n, "a module", yamlpos.Fields{
			"id":      yamlpos.String(&m.ID),
			"title":   yamlpos.String(&m.Title),
			"summary": yamlpos.String(&m.Summary),
		})
		for _, req := range []string{"id", "title"} {
			if !mk.Has(req) {
				d.ErrorAt(mk.KeyPos(req), "a module needs %q", req)
			}
		}
		quiz.CheckID(d, mk.Pos("id"), "module", m.ID)
		if m.ID == "" {
			continue
		}
		if first, dup := firstAt[m.ID]; dup {
			d.ErrorAt(mk.Pos("id"), "module id %q is already used at %s:%s", m.ID, file, first)
			continue
		}
		firstAt[m.ID] = mk.Pos("id")
		m.Index = len(c.Modules)
		c.Modules = append(c.Modules, m)
		c.modules[m.ID] = m
	}
}

func (l *loader) loadLessons() []*Lesson {
	files := l.readDir("lessons", false, ".md")
	if len(files) == 0 {
		l.fileError("lessons", "no lessons: a course needs at least one lessons/NN-<id>.md")
	}
	return each(l, files, func(f string) (*Lesson, quiz.ValidationErrors) {
		data, errs := readFile(l.fsys, f)
		if errs != nil {
			return nil, errs
		}
		return parseLesson(f, data)
	})
}

func (l *loader) loadQuizzes() []*quiz.Quiz {
	return each(l, l.readDir("quizzes", false, ".yaml", ".yml"), func(f string) (*quiz.Quiz, quiz.ValidationErrors) {
		data, errs := readFile(l.fsys, f)
		if errs != nil {
			return nil, errs
		}
		qz, err := quiz.Parse(f, data)
		var ve quiz.ValidationErrors
		if errors.As(err, &ve) {
			return qz, ve
		} else if err != nil {
			return qz, quiz.ValidationErrors{{File: f, Msg: err.Error()}}
		}
		return qz, nil
	})
}

func (l *loader) loadExercises() []*Exercise {
	return each(l, l.readDir("exercises", true), func(dir string) (*Exercise, quiz.ValidationErrors) {
		return parseExercise(l.fsys, dir)
	})
}

// each parses files on up to GOMAXPROCS goroutines (YAML parsing is most of a load) and returns
// what it read in file order, leaving out nil results, and takes their errors.
func each[T comparable](l *loader, files []string, parse func(string) (T, quiz.ValidationErrors)) []T {
	results := make([]T, len(files))
	errs := make([]quiz.ValidationErrors, len(files))
	sem := make(chan struct{}, runtime.GOMAXPROCS(0))
	var wg sync.WaitGroup
	for i, f := range files {
		sem <- struct{}{}
		wg.Go(func() {
			defer func() { <-sem }()
			results[i], errs[i] = parse(f)
		})
	}
	wg.Wait()
	var out []T
	var zero T
	for i, r := range results {
		l.errs = append(l.errs, errs[i]...)
		if r != zero {
			out = append(out, r)
		}
	}
	return out
}

func readFile(fsys fs.FS, name string) ([]byte, quiz.ValidationErrors) {
	data, err := fs.ReadFile(fsys, name)
	if err != nil {
		return nil, quiz.ValidationErrors{{File: name, Msg: fmt.Sprintf("cannot read: %v", err)}}
	}
	return data, nil
}

// crossCheck checks what no single file can: ids unique across files, and every reference
// resolving. A broken file still takes part with what could be read from it, so one typo does
// not make every reference to it an error too.
func (l *loader) crossCheck(c *Course, lessons []*Lesson, quizzes []*quiz.Quiz, exercises []*Exercise) {
	c.lessons = map[string]*Lesson{}
	c.quizzes = map[string]*quiz.Quiz{}
	c.exercises = map[string]*Exercise{}
	c.questions = map[string]*quiz.Question{}
	if c.modules == nil {
		c.modules = map[string]*Module{}
	}
	moduleIDs := make([]string, len(c.Modules))
	for i, m := range c.Modules {
		moduleIDs[i] = m.ID
	}
	courseOK := len(c.Modules) > 0 // without modules, every lesson's module would be "unknown"

	type orderKey struct {
		module string
		order  int
	}
	orders := map[orderKey]*Lesson{}
	for _, ls := range lessons {
		if ls.ID == "" {
			continue
		}
		if first := c.lessons[ls.ID]; first != nil {
			l.at(ls.File, ls.pos["id"], "lesson id %q is already used by %s:%s", ls.ID, first.File, first.pos["id"])
			continue
		}
		c.lessons[ls.ID] = ls
		m := c.modules[ls.Module]
		if m == nil {
			if ls.Module != "" && courseOK {
				l.at(ls.File, ls.pos["module"], "module %q is not in course.yaml (modules: %s)%s",
					ls.Module, strings.Join(moduleIDs, ", "), suggest(ls.Module, moduleIDs))
			}
			continue
		}
		if ls.Order > 0 {
			k := orderKey{ls.Module, ls.Order}
			if first := orders[k]; first != nil {
				l.at(ls.File, ls.pos["order"], "order %d is already used in module %q by lesson %q at %s:%s",
					ls.Order, ls.Module, first.ID, first.File, first.pos["order"])
			} else {
				orders[k] = ls
			}
		}
		m.Lessons = append(m.Lessons, ls)
	}

	lessonIDs := make([]string, 0, len(lessons))
	for _, ls := range lessons {
		if ls.ID != "" {
			lessonIDs = append(lessonIDs, ls.ID)
		}
	}
	quizOfLesson := map[string]*quiz.Quiz{}
	for _, qz := range quizzes {
		if qz.ID != "" {
			if first := c.quizzes[qz.ID]; first != nil {
				l.at(qz.File, qz.IDPos, "quiz id %q is already used by %s:%s", qz.ID, first.File, first.IDPos)
			} else {
				c.quizzes[qz.ID] = qz
				c.Quizzes = append(c.Quizzes, qz)
			}
		}
		if qz.Lesson != "" {
			if c.lessons[qz.Lesson] == nil {
				l.at(qz.File, qz.LessonPos, "lesson %q does not exist (no lessons/*.md has id: %s)%s", qz.Lesson, qz.Lesson, suggest(qz.Lesson, lessonIDs))
			} else if first := quizOfLesson[qz.Lesson]; first != nil {
				l.at(qz.File, qz.LessonPos, "lesson %q already has quiz %q (%s:%s): one quiz per lesson", qz.Lesson, first.ID, first.File, first.IDPos)
			} else {
				quizOfLesson[qz.Lesson] = qz
			}
		}
		for _, q := range qz.Questions {
			if q.ID == "" {
				continue
			}
			if first := c.questions[q.ID]; first != nil {
				if first.File != q.File { // the same file's duplicates are reported by quiz.Parse
					l.at(q.File, q.IDPos, "question id %q is already used at %s:%s", q.ID, first.File, first.IDPos)
				}
				continue
			}
			c.questions[q.ID] = q
		}
	}

	exerciseIDs := make([]string, 0, len(exercises))
	for _, ex := range exercises {
		exerciseIDs = append(exerciseIDs, ex.ID)
		c.exercises[ex.ID] = ex
		c.Exercises = append(c.Exercises, ex)
		if ex.Lesson != "" && c.lessons[ex.Lesson] == nil {
			l.at(ex.File, ex.pos["lesson"], "lesson %q does not exist (no lessons/*.md has id: %s)%s", ex.Lesson, ex.Lesson, suggest(ex.Lesson, lessonIDs))
		}
	}

	quizIDs := make([]string, 0, len(quizzes))
	for _, qz := range quizzes {
		quizIDs = append(quizIDs, qz.ID)
	}
	for _, ls := range c.lessons {
		if ls.Quiz != "" {
			qz := c.quizzes[ls.Quiz]
			switch {
			case qz == nil:
				l.at(ls.File, ls.pos["quiz"], "quiz %q does not exist (no quizzes/*.yaml has id: %s)%s", ls.Quiz, ls.Quiz, suggest(ls.Quiz, quizIDs))
			case qz.Lesson != "" && qz.Lesson != ls.ID:
				l.at(ls.File, ls.pos["quiz"], "quiz %q belongs to lesson %q (%s:%s), not to this one", ls.Quiz, qz.Lesson, qz.File, qz.LessonPos)
			}
		}
		for i, id := range ls.Exercises {
			if c.exercises[id] == nil {
				l.at(ls.File, ls.exercisePos[i], "exercise %q does not exist (no exercises/%s/exercise.yaml)%s", id, id, suggest(id, exerciseIDs))
			}
		}
	}
	l.checkSnippetContexts(c, exerciseIDs)

	for _, m := range c.Modules {
		slices.SortStableFunc(m.Lessons, func(a, b *Lesson) int { return cmp.Compare(a.Order, b.Order) })
		for _, ls := range m.Lessons {
			ls.Index = len(c.Lessons)
			c.Lessons = append(c.Lessons, ls)
		}
	}
	for _, qz := range c.Quizzes {
		if ls := c.lessons[qz.Lesson]; ls != nil {
			for _, q := range qz.Questions {
				q.Module = ls.Module
			}
		}
	}
}

// suggest returns ` (did you mean "x"?)` when s is a near miss of a candidate.
func suggest(s string, candidates []string) string {
	if c := yamlpos.Closest(s, candidates); c != "" {
		return fmt.Sprintf(" (did you mean %q?)", c)
	}
	return ""
}
