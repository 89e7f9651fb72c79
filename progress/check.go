package progress

import (
	"context"
	"database/sql"
	"net/url"
	"os"
)

// Health is what Check found.
type Health struct {
	Path     string   `json:"path"`
	Exists   bool     `json:"exists"`
	Size     int64    `json:"size_bytes"`
	Version  int      `json:"schema_version"`
	Known    int      `json:"known_version"` // the newest version this stagecraft knows
	Learners int      `json:"learners"`
	Backups  []string `json:"backups,omitempty"` // newest first
}

// Check inspects a store file for `stagecraft doctor` without creating, migrating or otherwise
// writing it: the SQLite header, PRAGMA quick_check, the schema version. A missing file is
// healthy (it will be created). A problem is an *UnusableError (a file that cannot be written
// too); an older schema version is fine (the next Open migrates it).
func Check(ctx context.Context, path string) (Health, error) {
	h := Health{Path: path, Known: latestVersion(), Backups: backups(path)}
	fi, err := os.Stat(path)
	if err == nil {
		h.Exists, h.Size = true, fi.Size()
	}
	st, err := inspect(ctx, path)
	if err != nil {
		return h, err
	}
	h.Version = st.version
	if st.version > h.Known {
		return h, &UnusableError{Path: path, Reason: TooNew, Version: st.version, Known: h.Known}
	}
	// Open refuses a store it cannot write; say so here too. Opening the file for writing
	// (without truncating) changes nothing in it.
	if st.exists {
		f, err := os.OpenFile(path, os.O_WRONLY, 0)
		if err != nil {
			return h, &UnusableError{Path: path, Reason: ReadOnly, Detail: err.Error(), Err: err}
		}
		f.Close()
	}
	if st.version == 0 || !st.exists {
		return h, nil
	}
	db, err := sql.Open("sqlite3", dsn(path, url.Values{"mode": {"ro"}, "_busy_timeout": {"10000"}}))
	if err != nil {
		return h, err
	}
	defer db.Close()
	if err := db.QueryRowContext(ctx, "SELECT count(*) FROM learners").Scan(&h.Learners); err != nil {
		return h, checkError(path, err)
	}
	return h, nil
}
