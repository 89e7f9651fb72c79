package progress

import (
	"errors"
	"os"
	"os/user"
	"path/filepath"
	"strings"
)

// EnvDB names the environment variable that moves the store, below --db and above the default.
const EnvDB = "STAGECRAFT_DB"

// DefaultPath is the store in the user's data dir: $XDG_DATA_HOME/stagecraft/progress.db, or
// ~/.local/share/stagecraft/progress.db when XDG_DATA_HOME is unset or not absolute (as the XDG
// base directory specification asks).
func DefaultPath() (string, error) {
	if dir := os.Getenv("XDG_DATA_HOME"); filepath.IsAbs(dir) {
		return filepath.Join(dir, "stagecraft", "progress.db"), nil
	}
	home, err := os.UserHomeDir()
	if err != nil || home == "" {
		return "", errors.New("finding the progress database: no home directory; set XDG_DATA_HOME, STAGECRAFT_DB or --db")
	}
	return filepath.Join(home, ".local", "share", "stagecraft", "progress.db"), nil
}

// ResolvePath chooses the store file: the --db flag if given, else $STAGECRAFT_DB, else
// DefaultPath. A leading ~/ is expanded.
func ResolvePath(flag string) (string, error) {
	p := flag
	if p == "" {
		p = os.Getenv(EnvDB)
	}
	if p == "" {
		return DefaultPath()
	}
	if p == "~" || strings.HasPrefix(p, "~/") {
		home, err := os.UserHomeDir()
		if err != nil {
			return "", errors.New("expanding ~ in the progress database path: no home directory")
		}
		p = filepath.Join(home, p[1:])
	}
	return filepath.Abs(p)
}

// DefaultLearner is the learner name when --learner is not given: the OS user name, else $USER,
// else "learner".
func DefaultLearner() string {
	if u, err := user.Current(); err == nil && u.Username != "" {
		return u.Username
	}
	if u := os.Getenv("USER"); u != "" {
		return u
	}
	return "learner"
}
