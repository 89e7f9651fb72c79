package progress

import (
	"bufio"
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/stagecraft/stagecraft/progress/srs"
)

// childEnv makes the test binary act as a child process: "crash:PATH:TAG" writes forever,
// printing each committed id; "write:PATH:TAG:N" writes N answers and exits; "grade:PATH:TAG"
// grades a run forever, printing its uid after each result.
const childEnv = "STAGECRAFT_PROGRESS_TEST_CHILD"

// TestChildProcess is not a test: it is the body of the child processes the tests below start.
func TestChildProcess(t *testing.T) {
	spec := os.Getenv(childEnv)
	if spec == "" {
		t.Skip("run as a child process only")
	}
	parts := strings.Split(spec, ":")
	mode, path, tag := parts[0], parts[1], parts[2]
	ctx := context.Background()
	s, err := Open(ctx, path, Options{})
	if err != nil {
		fmt.Fprintln(os.Stderr, "child open:", err)
		os.Exit(2)
	}
	n := -1
	if mode == "write" {
		fmt.Sscan(parts[3], &n)
	}
	if mode == "grade" { // a grading run of 40 submissions, graded one by one until killed
		run, err := s.StartGradingRun(ctx, GradingRun{Exercise: "go-multistage", Submissions: 40})
		if err != nil {
			fmt.Fprintln(os.Stderr, "child start:", err)
			os.Exit(2)
		}
		for i := 0; ; i++ {
			if err := s.RecordResult(ctx, run, GradingResult{Student: fmt.Sprint("s", i), Score: 100, MaxScore: 100, Gradable: true, At: time.Now()}); err != nil {
				fmt.Fprintln(os.Stderr, "child result:", err)
				os.Exit(3)
			}
			fmt.Printf("committed %s\n", run)
			time.Sleep(5 * time.Millisecond)
		}
	}
	for i := 0; n < 0 || i < n; i++ {
		id := fmt.Sprintf("%s-%d", tag, i)
		if i%5 == 4 {
			_, err = s.RecordAttempt(ctx, "ann", Attempt{UID: id, Exercise: "go-multistage", Dockerfile: strings.Repeat("RUN true\n", 50), Gradable: true, At: time.Now()})
		} else {
			_, err = s.RecordAnswer(ctx, "ann", Answer{UID: id, Question: fmt.Sprint("q", i%30), Rating: srs.Rating(1 + i%4), At: time.Now()})
		}
		if err != nil {
			fmt.Fprintln(os.Stderr, "child write:", err)
			os.Exit(3)
		}
		fmt.Printf("committed %s\n", id) // only after the commit returned
	}
	s.Close()
	os.Exit(0)
}

func child(t *testing.T, spec string) *exec.Cmd {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^TestChildProcess$", "-test.count=1")
	cmd.Env = append(os.Environ(), childEnv+"="+spec)
	return cmd
}

// A process killed with SIGKILL in the middle of writing leaves a database that passes
// integrity_check and holds every write it reported committed.
func TestCrashSafety(t *testing.T) {
	if testing.Short() {
		t.Skip("starts and kills child processes")
	}
	path := t.TempDir() + "/progress.db"
	var committed []string
	for round := range 6 {
		cmd := child(t, fmt.Sprintf("crash:%s:r%d", path, round))
		out, err := cmd.StdoutPipe()
		mustNil(t, err)
		cmd.Stderr = os.Stderr
		mustNil(t, cmd.Start())
		sc := bufio.NewScanner(out)
		killAfter := 20 + rand.IntN(150)
		seen := 0
		for sc.Scan() {
			line := sc.Text()
			if id, ok := strings.CutPrefix(line, "committed "); ok {
				committed = append(committed, id)
				seen++
				if seen == killAfter {
					mustNil(t, cmd.Process.Signal(syscall.SIGKILL))
				}
			}
		}
		cmd.Wait()
		if seen < killAfter {
			t.Fatalf("round %d: the child stopped after %d writes, before being killed", round, seen)
		}

		db := rawDB(t, path)
		var ok string
		mustNil(t, db.QueryRow("PRAGMA integrity_check").Scan(&ok))
		if ok != "ok" {
			t.Fatalf("round %d: integrity_check: %s", round, ok)
		}
		mustNil(t, db.Close())
		s, err := Open(context.Background(), path, Options{})
		if err != nil {
			t.Fatalf("round %d: reopening after the kill: %v", round, err)
		}
		have := map[string]bool{}
		for _, q := range []string{"SELECT uid FROM quiz_answers", "SELECT uid FROM exercise_attempts"} {
			rows, err := s.r.Query(q)
			mustNil(t, err)
			for rows.Next() {
				var id string
				mustNil(t, rows.Scan(&id))
				have[id] = true
			}
			mustNil(t, closeRows(rows))
		}
		for _, id := range committed {
			if !have[id] {
				t.Fatalf("round %d: committed write %s is missing after the kill", round, id)
			}
		}
		mustNil(t, s.Close())
		t.Logf("round %d: killed after %d writes; %d committed writes all present", round, seen, len(committed))
	}
}

// Several stagecraft processes open a new database at the same moment (all racing to create and
// migrate it) and write to it together, while this process writes too.
func TestProcessesShareOneFile(t *testing.T) {
	if testing.Short() {
		t.Skip("starts child processes")
	}
	path := t.TempDir() + "/progress.db"
	const kids, each = 3, 150
	var wg sync.WaitGroup
	errs := make(chan error, kids)
	for k := range kids {
		wg.Add(1)
		go func() {
			defer wg.Done()
			cmd := child(t, fmt.Sprintf("write:%s:p%d:%d", path, k, each))
			if out, err := cmd.CombinedOutput(); err != nil {
				lines := strings.Split(strings.TrimSpace(string(out)), "\n")
				errs <- fmt.Errorf("child %d: %v: %s", k, err, lines[len(lines)-1])
			}
		}()
	}
	time.Sleep(50 * time.Millisecond) // let the children race to create it; this process joins later
	s := openAt(t, path)
	for i := range each {
		_, err := s.RecordAnswer(context.Background(), "bob", Answer{Question: "q", Rating: srs.Good, At: t0.Add(time.Duration(i) * time.Hour)})
		mustNil(t, err)
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	total := count(t, s.r, "SELECT count(*) FROM quiz_answers") + count(t, s.r, "SELECT count(*) FROM exercise_attempts")
	if total != (kids+1)*each {
		t.Errorf("%d rows, want %d", total, (kids+1)*each)
	}
	if n := count(t, s.r, "SELECT count(*) FROM schema_migrations"); n != LatestVersion() {
		t.Errorf("migrations applied %d times for %d versions", n, LatestVersion())
	}
}

// A grading process killed with SIGKILL cannot record that it stopped: its run must still read
// as interrupted (its process is gone), with the results it committed and the number of
// submissions it set out to grade, never as running or complete.
func TestKilledGradingRunReadsInterrupted(t *testing.T) {
	if testing.Short() {
		t.Skip("starts and kills a child process")
	}
	path := t.TempDir() + "/progress.db"
	cmd := child(t, fmt.Sprintf("grade:%s:g", path))
	out, err := cmd.StdoutPipe()
	mustNil(t, err)
	cmd.Stderr = os.Stderr
	mustNil(t, cmd.Start())
	sc := bufio.NewScanner(out)
	s := openAt(t, path)
	var uid string
	committed := 0
	for sc.Scan() {
		id, ok := strings.CutPrefix(sc.Text(), "committed ")
		if !ok {
			continue
		}
		uid = id
		committed++
		if committed == 3 {
			// While the child lives the run is running.
			runs, err := s.GradingRuns(context.Background(), "")
			mustNil(t, err)
			if len(runs) != 1 || runs[0].Status != RunRunning {
				t.Errorf("while grading: %+v, want one running run", runs)
			}
		}
		if committed == 10 {
			mustNil(t, cmd.Process.Signal(syscall.SIGKILL))
		}
	}
	cmd.Wait()
	if committed < 10 {
		t.Fatalf("the child stopped after %d results, before being killed", committed)
	}
	runs, err := s.GradingRuns(context.Background(), "")
	mustNil(t, err)
	if len(runs) != 1 {
		t.Fatalf("%d runs, want 1", len(runs))
	}
	r := runs[0]
	if r.UID != uid || r.Status != RunInterrupted || r.Submissions != 40 || r.Graded < 10 || !r.Finished.IsZero() {
		t.Errorf("killed run: status %q, %d of %d graded, finished %v; want interrupted, at least 10 of 40, no finish time",
			r.Status, r.Graded, r.Submissions, r.Finished)
	}
}
