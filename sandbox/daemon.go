package sandbox

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/moby/buildkit/client"
)

// managedFix is what we tell a user who has no daemon at all.
const managedFix = `Either let stagecraft start its own daemon (runc and buildkitd; as a user other than root also
rootlesskit and uidmap, installed once by an administrator):
  make deps buildkitd          # from the stagecraft checkout: runc from apt, bin/buildkitd from go.mod's BuildKit
or point it at a daemon you already have:
  stagecraft --buildkit unix:///run/buildkit/buildkitd.sock …
  export BUILDKIT_HOST=tcp://buildkit.example:1234        # with --tls* flags for mTLS
Docker Desktop users can run BuildKit in a container:
  docker buildx create --name stagecraft --driver docker-container --bootstrap
  export BUILDKIT_HOST=docker-container://buildx_buildkit_stagecraft0`

// Daemon is the managed buildkitd: started on demand with a locked-down config, private root
// under the user cache dir and socket under the runtime dir, left running for the next check.
type Daemon struct {
	Root    string // buildkitd state
	Runtime string // socket, pid file, lock
	Binary  string // buildkitd; found on first use when empty
	// GCKeepBytes is the cache budget buildkitd garbage-collects down to.
	GCKeepBytes int64

	cgroupRoot string // where leftover cgroups are looked for; "" is /sys/fs/cgroup as root
}

// DefaultDaemon places the managed daemon under the user's cache and runtime dirs.
func DefaultDaemon() (*Daemon, error) {
	cache, err := CacheDir()
	if err != nil {
		return nil, err
	}
	return &Daemon{
		Root:        filepath.Join(cache, "buildkit"),
		Runtime:     runtimeDir(),
		GCKeepBytes: 10 << 30,
	}, nil
}

// CacheDir is stagecraft's cache dir ($XDG_CACHE_HOME/stagecraft): daemon root, image catalog.
func CacheDir() (string, error) {
	d, err := os.UserCacheDir()
	if err != nil {
		return "", fmt.Errorf("finding the user cache dir: %w", err)
	}
	return filepath.Join(d, "stagecraft"), nil
}

func runtimeDir() string {
	if d := os.Getenv("XDG_RUNTIME_DIR"); d != "" {
		return filepath.Join(d, "stagecraft")
	}
	if isRoot() {
		return "/run/stagecraft"
	}
	return filepath.Join(os.TempDir(), "stagecraft-"+strconv.Itoa(os.Getuid()))
}

func isRoot() bool { return os.Geteuid() == 0 }

// Socket is the daemon's unix socket path.
func (d *Daemon) Socket() string  { return filepath.Join(d.Runtime, "buildkitd.sock") }
func (d *Daemon) pidFile() string { return filepath.Join(d.Runtime, "buildkitd.pid") }
func (d *Daemon) LogFile() string { return filepath.Join(d.Root, "buildkitd.log") }

func (d *Daemon) Address() string { return "unix://" + d.Socket() }
func (d *Daemon) Local() bool     { return true }

// Client returns a client of the running daemon, starting it first when it is not running.
// Concurrent callers, in one process or several, serialise on a lock file, so they all end up
// on one daemon.
func (d *Daemon) Client(ctx context.Context) (*client.Client, error) {
	if c, err := connectQuick(ctx, d.Address()); err == nil {
		return c, nil
	}
	if err := ownDir(d.Runtime, "runtime dir"); err != nil {
		return nil, err
	}
	unlock, err := lockFile(ctx, filepath.Join(d.Runtime, "daemon.lock"))
	if err != nil {
		return nil, &EnvError{What: "cannot lock the managed daemon", Err: err}
	}
	defer unlock()
	// Another process may have started it while we waited for the lock.
	if c, err := connectQuick(ctx, d.Address()); err == nil {
		return c, nil
	}
	if err := d.start(ctx); err != nil {
		return nil, err
	}
	return connect(ctx, d.Address(), nil, "See the daemon log: "+d.LogFile())
}

func connectQuick(ctx context.Context, addr string) (*client.Client, error) {
	path := strings.TrimPrefix(addr, "unix://")
	if _, err := os.Stat(path); err != nil {
		return nil, err
	}
	qctx, cancel := context.WithTimeout(ctx, 3*time.Second)
	defer cancel()
	c, err := client.New(qctx, addr)
	if err != nil {
		return nil, err
	}
	if _, err := c.Info(qctx); err != nil {
		c.Close()
		return nil, err
	}
	return c, nil
}

// Prereqs reports what the managed daemon needs and this machine lacks, with the fix. Run by
// a user other than root, the daemon runs rootless (see daemonrootless.go).
func (d *Daemon) Prereqs() error {
	var missing, fixes []string
	if !isRoot() {
		missing, fixes = rootlessPrereqs()
	}
	if d.Binary == "" {
		d.Binary = FindBuildkitd()
	}
	if d.Binary == "" {
		missing = append(missing, "buildkitd")
		fixes = append(fixes, "  make buildkitd               # in the stagecraft checkout: builds bin/buildkitd from the BuildKit version in go.mod")
	}
	if _, err := exec.LookPath("runc"); err != nil {
		missing = append(missing, "runc")
		fixes = append(fixes, "  sudo apt-get install -y runc")
	}
	if len(missing) == 0 {
		return nil
	}
	return &EnvError{
		What: "cannot start the managed BuildKit daemon: missing " + strings.Join(missing, ", "),
		Fix:  "Fix:\n" + strings.Join(fixes, "\n") + "\nOr use a daemon you already have:\n" + managedFix[strings.Index(managedFix, "  stagecraft --buildkit"):],
	}
}

// FindBuildkitd looks for buildkitd on PATH, beside the stagecraft binary, then in ./bin.
func FindBuildkitd() string {
	if p, err := exec.LookPath("buildkitd"); err == nil {
		return p
	}
	var dirs []string
	if exe, err := os.Executable(); err == nil {
		dirs = append(dirs, filepath.Dir(exe))
	}
	dirs = append(dirs, "bin")
	for _, dir := range dirs {
		p := filepath.Join(dir, "buildkitd")
		if st, err := os.Stat(p); err == nil && st.Mode().IsRegular() && st.Mode()&0o111 != 0 {
			abs, _ := filepath.Abs(p)
			return abs
		}
	}
	return ""
}

// Config is the buildkitd.toml the managed daemon runs with: only the Dockerfile frontend (no
// gateway.v0, so no `# syntax=` images), a GC budget, and nothing listening beyond the socket.
func (d *Daemon) Config() string {
	return fmt.Sprintf(`# written by stagecraft; see "The sandbox policy" in its README
root = %q
[grpc]
  address = [%q]
[worker.oci]
  enabled = true
  gc = true
  gckeepstorage = %d
[worker.containerd]
  enabled = false
[frontend."gateway.v0"]
  enabled = false
[otel]
  socketPath = %q
`, d.Root, d.Address(), d.GCKeepBytes, filepath.Join(d.Runtime, "otel-grpc.sock"))
}

func (d *Daemon) start(ctx context.Context) error {
	if err := d.Prereqs(); err != nil {
		return err
	}
	// A daemon that holds the pid file but does not answer is dead to us: stop it first.
	if pid := d.pid(); pid > 0 {
		_ = d.stopPID(pid, 5*time.Second)
	}
	_ = os.Remove(d.Socket())
	if err := ownDir(d.Root, "daemon root"); err != nil {
		return err
	}
	// What a daemon that died left behind would get in the new one's way (its mounts).
	_, _ = d.cleanLeftovers()
	cfg, logf, err := d.prepareFiles()
	if err != nil {
		return err
	}
	defer logf.Close()
	bin, args := d.Binary, []string{"--config", cfg}
	var env []string // nil: this process's environment
	if !isRoot() {
		// A dead daemon's rootlesskit state (its pid files, API socket) is not the new one's.
		_ = os.RemoveAll(d.rootlesskitState())
		bin, args = d.rootlessCommand(cfg)
		env = d.rootlessEnv()
	}
	// Not CommandContext: the daemon outlives this process on purpose.
	cmd := exec.Command(bin, args...)
	cmd.Env = env
	cmd.Stdout, cmd.Stderr = logf, logf
	cmd.SysProcAttr = &syscall.SysProcAttr{Setsid: true}
	if err := cmd.Start(); err != nil {
		return &EnvError{What: "cannot start buildkitd", Err: err}
	}
	pid := cmd.Process.Pid
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	if err := writeFileAtomic(d.pidFile(), []byte(strconv.Itoa(pid)), 0o600); err != nil {
		return &EnvError{What: "cannot write the daemon pid file", Err: err}
	}
	deadline := time.After(30 * time.Second)
	for {
		if c, err := connectQuick(ctx, d.Address()); err == nil {
			c.Close()
			return nil
		}
		select {
		case err := <-exited:
			return &EnvError{What: "buildkitd exited at start", Fix: "See the daemon log: " + d.LogFile() + "\n" + tailFile(d.LogFile(), 5), Err: err}
		case <-deadline:
			return &EnvError{What: "buildkitd did not answer within 30s", Fix: "See the daemon log: " + d.LogFile()}
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(100 * time.Millisecond):
		}
	}
}

// prepareFiles writes the config (through a temp file renamed over whatever is there) and opens
// the log without following a link, in folders checked to be ours.
func (d *Daemon) prepareFiles() (cfg string, logf *os.File, err error) {
	cfg = d.configFile()
	if err := writeFileAtomic(cfg, []byte(d.Config()), 0o600); err != nil {
		return "", nil, &EnvError{What: "cannot write the daemon config", Err: err}
	}
	logf, err = openNoFollow(d.LogFile(), os.O_WRONLY|os.O_APPEND)
	if err != nil {
		return "", nil, &EnvError{What: "cannot open the daemon log", Err: err}
	}
	return cfg, logf, nil
}

// pid is the managed daemon's pid from the pid file, or 0 when the file names no process or
// one that is not our buildkitd.
func (d *Daemon) pid() int {
	pid := d.readPID()
	if pid <= 0 || syscall.Kill(pid, 0) != nil || !d.isOurDaemon(pid) {
		return 0
	}
	return pid
}

// DaemonStatus is what `stagecraft daemon status` shows.
type DaemonStatus struct {
	Running   bool   `json:"running"`
	PID       int    `json:"pid,omitempty"`
	Address   string `json:"address"`
	Root      string `json:"root"`
	Version   string `json:"version,omitempty"`
	CacheSize int64  `json:"cache_bytes"`
	Log       string `json:"log"`
}

// Status reports whether the managed daemon runs, without starting it.
func (d *Daemon) Status(ctx context.Context) DaemonStatus {
	st := DaemonStatus{Address: d.Address(), Root: d.Root, Log: d.LogFile(), PID: d.pid()}
	c, err := connectQuick(ctx, d.Address())
	if err != nil {
		return st
	}
	defer c.Close()
	st.Running = true
	if info, err := c.Info(ctx); err == nil {
		st.Version = info.BuildkitVersion.Version
	}
	if du, err := c.DiskUsage(ctx); err == nil {
		for _, r := range du {
			st.CacheSize += r.Size
		}
	}
	return st
}

// Stop ends the managed daemon and cleans what a daemon leaves behind (mounts under its root,
// empty cgroups) once none answers on its socket. Stopping a daemon that is not running is not
// an error; its leftovers are still cleaned.
func (d *Daemon) Stop() (bool, error) {
	pid := d.pid()
	if pid > 0 {
		if err := d.stopPID(pid, 15*time.Second); err != nil {
			return false, err
		}
		_ = os.Remove(d.pidFile())
		_ = os.Remove(d.Socket())
	}
	if c, err := connectQuick(context.Background(), d.Address()); err == nil {
		c.Close() // something still serves our socket: its mounts are not leftovers
		return pid > 0, nil
	}
	if _, err := d.cleanLeftovers(); err != nil {
		return pid > 0, &EnvError{What: "the managed daemon left mounts that could not be removed", Err: err}
	}
	return pid > 0, nil
}

// stopPID stops our daemon: SIGTERM, then SIGKILL after grace, each only while pid is still
// the buildkitd we started.
func (d *Daemon) stopPID(pid int, grace time.Duration) error {
	if !d.isOurDaemon(pid) {
		return nil
	}
	if err := syscall.Kill(pid, syscall.SIGTERM); err != nil {
		if errors.Is(err, syscall.ESRCH) {
			return nil
		}
		return fmt.Errorf("stopping buildkitd (pid %d): %w", pid, err)
	}
	deadline := time.Now().Add(grace)
	for time.Now().Before(deadline) {
		if syscall.Kill(pid, 0) != nil {
			return nil
		}
		time.Sleep(100 * time.Millisecond)
	}
	if d.isOurDaemon(pid) {
		_ = syscall.Kill(pid, syscall.SIGKILL)
	}
	return nil
}

// lockFile takes an exclusive flock, waiting until ctx is done.
func lockFile(ctx context.Context, path string) (func(), error) {
	f, err := openNoFollow(path, os.O_RDWR)
	if err != nil {
		return nil, err
	}
	for {
		err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB)
		if err == nil {
			return func() { _ = syscall.Flock(int(f.Fd()), syscall.LOCK_UN); f.Close() }, nil
		}
		if !errors.Is(err, syscall.EWOULDBLOCK) {
			f.Close()
			return nil, err
		}
		select {
		case <-ctx.Done():
			f.Close()
			return nil, ctx.Err()
		case <-time.After(50 * time.Millisecond):
		}
	}
}

func tailFile(path string, n int) string {
	b, err := os.ReadFile(path)
	if err != nil {
		return ""
	}
	lines := strings.Split(strings.TrimRight(string(b), "\n"), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, "\n")
}
