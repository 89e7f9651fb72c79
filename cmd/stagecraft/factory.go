package main

import (
	"context"
	"io"
	"sync"
	"time"

	"github.com/stagecraft/stagecraft/lessons"
	"github.com/stagecraft/stagecraft/progress"
	"github.com/stagecraft/stagecraft/sandbox"
	"github.com/stagecraft/stagecraft/study"
)

// factory is what every command is made with: the streams and the global flags, and the
// course, the progress store, the sandbox and the study service, each opened the first time a
// command asks for it (a command that needs no store never opens one) and closed by Close.
// Tests replace its fields (a clock, the terminal test, the cache folder) before running.
type factory struct {
	g *globalOptions

	// Now is the clock of the commands and the study service.
	Now func() time.Time
	// IsTerminal reports whether a stream is a terminal: the terminal app and the quiz screen
	// run only on one, and input typed on one is not echoed back.
	IsTerminal func(v any) bool
	// CacheDir is where the question bank cache and exercise contexts go; nil is cacheDir.
	CacheDir func() (string, error)

	courseOnce sync.Once
	course     *lessons.Course
	courseErr  error

	storeOnce sync.Once
	store     *progress.Store
	storeErr  error

	sbMu sync.Mutex
	sb   *sandbox.Sandbox
}

func newFactory(g *globalOptions) *factory {
	return &factory{g: g, Now: time.Now, IsTerminal: isTTY}
}

// Streams are the command's input and outputs.
func (f *factory) In() io.Reader  { return f.g.In }
func (f *factory) Out() io.Writer { return f.g.Out }
func (f *factory) Err() io.Writer { return f.g.Err }

// Learner is --learner, else the OS user.
func (f *factory) Learner() string { return learnerName(f.g) }

// Course is the course --course names, or the built-in one, loaded once.
func (f *factory) Course() (*lessons.Course, error) {
	f.courseOnce.Do(func() { f.course, f.courseErr = loadCourse(f.g) })
	return f.course, f.courseErr
}

// Store is the progress store --db names, opened once.
func (f *factory) Store(ctx context.Context) (*progress.Store, error) {
	f.storeOnce.Do(func() { f.store, f.storeErr = openProgress(ctx, f.g) })
	return f.store, f.storeErr
}

// Sandbox is the sandbox on the first BuildKit endpoint, connected, opened once.
func (f *factory) Sandbox(ctx context.Context, flags sandboxFlags) (*sandbox.Sandbox, error) {
	f.sbMu.Lock()
	defer f.sbMu.Unlock()
	if f.sb != nil {
		return f.sb, nil
	}
	s, err := f.g.openSandbox(ctx, flags)
	if err != nil {
		return nil, err
	}
	if _, err := s.Client(ctx); err != nil {
		s.Close()
		return nil, err
	}
	f.sb = s
	return s, nil
}

func (f *factory) cacheDir() string {
	get := f.CacheDir
	if get == nil {
		get = cacheDir
	}
	dir, _ := get() // no cache folder: no bank cache, contexts in the temporary folder
	return dir
}

// Service is the study service on the course and st (nil: nothing saved). The course is
// loaded only when the service needs it: a quiz starts from the bank cache.
func (f *factory) Service(st *progress.Store) (*study.Service, error) {
	fsys, _, err := courseFS(f.g.Course)
	if err != nil {
		return nil, err
	}
	return study.New(study.Config{LoadCourse: f.Course, FS: fsys, Store: st, Learner: f.Learner(), Now: f.Now,
		CacheDir: f.cacheDir(), Version: version}), nil
}

// Study is the study service with the store, which must open. The store opens while the
// question bank is read: both are on the way to a quiz's first question.
func (f *factory) Study(ctx context.Context) (*study.Service, error) {
	opened := make(chan error, 1)
	go func() { _, err := f.Store(ctx); opened <- err }()
	svc, err := f.Service(nil)
	if err == nil {
		_, err = svc.Bank()
	}
	if serr := <-opened; err == nil && serr != nil {
		err = serr
	}
	if err != nil {
		return nil, err
	}
	return svc.WithStore(f.store), nil
}

// Close closes what the factory opened.
func (f *factory) Close() {
	if f.store != nil {
		f.store.Close()
	}
	f.sbMu.Lock()
	defer f.sbMu.Unlock()
	if f.sb != nil {
		f.sb.Close()
	}
}
